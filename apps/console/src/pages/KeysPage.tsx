import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { submitFields } from '../form-submit';
import { formatDate } from '../format';
import { SecretOnce } from './SignInPage';

const SCOPES = ['models:read', 'models:write', 'infer', 'training', 'usage:read', 'keys:manage'];

/** API keys: create with scopes and expiry (secret shown once), list with last use, revoke. */
export function KeysPage() {
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['keys'], queryFn: async () => unwrap(await api.GET('/v1/keys')) });
  const [secret, setSecret] = useState<string>();
  const create = useMutation({
    mutationFn: async (form: FormData) => {
      const expires = String(form.get('expiresAt') ?? '');
      return unwrap(await api.POST('/v1/keys', { body: { name: String(form.get('name')), scopes: form.getAll('scopes').map(String), ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}) } as never }));
    },
    onSuccess: (key) => {
      setSecret(key.key);
      void queries.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/v1/keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['keys'] }),
  });
  const submit = submitFields((fields) => create.mutate(fields));
  return (
    <section>
      <h1>API keys</h1>
      <form onSubmit={submit} className="card stack" aria-label="Create an API key">
        <h2>Create a key</h2>
        <label>
          Name
          <input name="name" required maxLength={100} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="inline">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'infer'} /> {scope}
            </label>
          ))}
        </fieldset>
        <label>
          Expires (optional)
          <input name="expiresAt" type="date" />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
        <ErrorMessage error={create.error} />
      </form>
      {secret && <SecretOnce secret={secret} />}
      <QueryState query={keys} isEmpty={(list) => list.length === 0} empty="No keys yet.">
        {(list) => (
          <table>
            <caption>Keys of this organisation</caption>
            <TableHead columns={['Name', 'Key', 'Scopes', 'Last used', 'Expires', 'State']} />
            <tbody>
              {list.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}_…</code>
                  </td>
                  <td>{key.scopes.join(', ')}</td>
                  <td>{formatDate(key.lastUsedAt)}</td>
                  <td>{formatDate(key.expiresAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      `revoked ${formatDate(key.revokedAt)}`
                    ) : (
                      <ConfirmButton question={`Revoke "${key.name}"? Calls with it will fail from now on.`} onConfirm={() => revoke.mutate(key.id)}>
                        Revoke
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorMessage error={revoke.error} />
    </section>
  );
}
