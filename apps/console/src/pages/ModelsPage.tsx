import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { submitFields } from '../form-submit';
import { formatDate } from '../format';
import { href } from '../hash-route';

/** Models: search, list, create. */
export function ModelsPage() {
  const queries = useQueryClient();
  const [search, setSearch] = useState('');
  const models = useQuery({ queryKey: ['models', search], queryFn: async () => unwrap(await api.GET('/v1/models', { params: { query: { search: search || undefined, limit: 100 } as never } })) });
  const create = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.POST('/v1/models', { body: { name: String(form.get('name')), description: String(form.get('description') ?? '') } })),
    onSuccess: (model) => {
      void queries.invalidateQueries({ queryKey: ['models'] });
      window.location.hash = href('models', model.name);
    },
  });
  const submit = submitFields((fields) => create.mutate(fields));
  return (
    <section>
      <h1>Models</h1>
      <form onSubmit={submit} className="card row" aria-label="Create a model">
        <label>
          Name
          <input name="name" required pattern="[a-z0-9][a-z0-9._-]*" title="lowercase letters, digits, '.', '_' and '-'" />
        </label>
        <label>
          Description
          <input name="description" />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create model
        </button>
        <ErrorMessage error={create.error} />
      </form>
      <label className="search">
        Search
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      </label>
      <QueryState query={models} isEmpty={(page) => page.items.length === 0} empty="No models yet: create one above.">
        {(page) => (
          <table>
            <caption>{page.total} models</caption>
            <TableHead columns={['Name', 'Description', 'Updated']} />
            <tbody>
              {page.items.map((model) => (
                <tr key={model.id}>
                  <td>
                    <a href={href('models', model.name)}>{model.name}</a>
                  </td>
                  <td>{model.description}</td>
                  <td>{formatDate(model.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
