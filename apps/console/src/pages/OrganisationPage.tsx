import { useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { submitFields } from '../form-submit';
import { formatDate, formatNumber } from '../format';
import { href } from '../hash-route';

/** The organisation: its plan and limits, members (invite, change role, remove) and the audit log. */
export function OrganisationPage({ me }: { me: Schemas['MeResponseDto'] }) {
  return (
    <section>
      <h1>{me.tenant.name}</h1>
      <PlanLimits tenant={me.tenant} />
      <Members myId={me.user?.id} />
      <AuditLog />
    </section>
  );
}

function PlanLimits({ tenant }: { tenant: Schemas['TenantDto'] }) {
  const limits = tenant.limits;
  if (!limits) return null;
  const rows: Array<[string, string]> = [
    ['Requests per minute', formatNumber(limits.requestsPerMinute)],
    ['Requests in flight', formatNumber(limits.concurrentRequests)],
    ['Requests a month', formatNumber(limits.monthlyRequests)],
    ['Training jobs at once', formatNumber(limits.concurrentTrainingJobs)],
    ['Storage', `${formatNumber(limits.storageBytes / 2 ** 30)} GiB`],
    ['Price per 1,000 requests', `${limits.pricePer1kRequests} USD`],
    ['Price per training second', `${limits.pricePerTrainingSecond} USD`],
  ];
  return (
    <table>
      <caption>The {tenant.plan.toLowerCase()} plan</caption>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Members({ myId }: { myId?: string }) {
  const queries = useQueryClient();
  const members = useQuery({ queryKey: ['members'], queryFn: async () => unwrap(await api.GET('/v1/members')) });
  // Every change to members is audited: the log below shows it too.
  const refresh = () => Promise.all([queries.invalidateQueries({ queryKey: ['members'] }), queries.invalidateQueries({ queryKey: ['audit'] })]);
  const [inviteLink, setInviteLink] = useState<string>();
  const invite = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.POST('/v1/members', { body: { email: String(form.get('email')), role: form.get('role') as 'ADMIN' | 'MEMBER' } })),
    onSuccess: (invited) => {
      setInviteLink(`${window.location.origin}/${href('accept-invite', invited.inviteToken)}`);
      void refresh();
    },
  });
  const changeRole = useMutation({ mutationFn: async ({ id, role }: { id: string; role: string }) => unwrap(await api.PATCH('/v1/members/{id}', { params: { path: { id } }, body: { role: role as 'ADMIN' } })), onSuccess: refresh });
  const remove = useMutation({ mutationFn: async (id: string) => unwrap(await api.DELETE('/v1/members/{id}', { params: { path: { id } } })), onSuccess: refresh });
  const submit = submitFields((fields) => invite.mutate(fields));
  return (
    <>
      <form className="card row" onSubmit={submit} aria-label="Invite a member">
        <h2>Invite a member</h2>
        <label>
          Email
          <input name="email" type="email" required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="MEMBER">
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        <button type="submit" disabled={invite.isPending}>
          Invite
        </button>
        <ErrorMessage error={invite.error} />
      </form>
      {inviteLink && (
        <div className="secret" role="region" aria-label="Invitation link">
          <p className="warning">Send this link to the person invited: it is shown this once and works for 7 days.</p>
          <code data-testid="invite-link">{inviteLink}</code>
          <button onClick={() => navigator.clipboard?.writeText(inviteLink).catch(() => undefined)}>Copy</button>
        </div>
      )}
      <QueryState query={members}>
        {(list) => (
          <table>
            <caption>Members</caption>
            <TableHead columns={['Email', 'Role', 'Last log-in', 'Actions']} />
            <tbody>
              {list.map((member) => (
                <tr key={member.id}>
                  <td>
                    {member.email} {member.pending && <span className="muted">(invited)</span>}
                  </td>
                  <td>
                    {member.role === 'OWNER' || member.id === myId ? (
                      member.role.toLowerCase()
                    ) : (
                      <select aria-label={`Role of ${member.email}`} value={member.role} onChange={(event) => changeRole.mutate({ id: member.id, role: event.target.value })}>
                        <option value="MEMBER">member</option>
                        <option value="ADMIN">admin</option>
                      </select>
                    )}
                  </td>
                  <td>{formatDate(member.lastLoginAt)}</td>
                  <td>
                    {member.role !== 'OWNER' && member.id !== myId && (
                      <ConfirmButton question={`Remove ${member.email} from the organisation?`} onConfirm={() => remove.mutate(member.id)}>
                        Remove
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorMessage error={changeRole.error ?? remove.error} />
    </>
  );
}

function AuditLog() {
  const audit = useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/v1/audit', { params: { query: { limit: 50, ...(pageParam ? { before: pageParam } : {}) } as never } })),
    getNextPageParam: (page) => (page.length === 50 ? page[page.length - 1].id : undefined),
  });
  if (audit.isPending) return <p role="status">Loading…</p>;
  if (audit.isError) return <ErrorMessage error={audit.error} />;
  const entries = audit.data.pages.flat();
  return (
    <>
      <table>
        <caption>Audit log (newest first)</caption>
        <TableHead columns={['When', 'Action', 'By', 'Target', 'Details']} />
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDate(entry.createdAt)}</td>
              <td>{entry.action}</td>
              <td>
                {entry.actorType} {entry.actorId?.slice(0, 8)}
              </td>
              <td>
                {entry.targetType} {entry.targetId?.slice(0, 8)}
              </td>
              <td>
                <code>{entry.details ? JSON.stringify(entry.details) : ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage && (
        <button onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          Older entries
        </button>
      )}
    </>
  );
}
