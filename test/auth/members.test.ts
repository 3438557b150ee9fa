import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, signUp, SignedUpAccount, STRONG_PASSWORD } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('members and roles', () => {
  let app: TestApp;
  let owner: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    owner = await signUp(app, 'Members Inc');
  });
  afterAll(() => app.close());

  /** Invites `email` with `role` as `inviter`, accepts, and returns the new member's session. */
  async function join(inviter: string, email: string, role: 'ADMIN' | 'MEMBER'): Promise<{ id: string; session: string }> {
    const invite = await app.request({ method: 'POST', url: '/v1/members', headers: bearer(inviter), payload: { email, role } });
    expect(invite.statusCode, invite.body).toBe(201);
    const { member, inviteToken } = invite.json();
    expect(member).toMatchObject({ email, role, pending: true });
    const accepted = await app.request({ method: 'POST', url: '/v1/auth/accept-invite', payload: { token: inviteToken, password: STRONG_PASSWORD } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const reused = await app.request({ method: 'POST', url: '/v1/auth/accept-invite', payload: { token: inviteToken, password: STRONG_PASSWORD } });
    expect(reused.statusCode).toBe(401);
    return { id: member.id, session: accepted.json().session.token };
  }

  it('an invited member logs in but cannot manage keys or members', async () => {
    const member = await join(owner.apiKey, 'member-one@example.com', 'MEMBER');
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: 'member-one@example.com', password: STRONG_PASSWORD } });
    expect(login.statusCode).toBe(200);

    for (const request of [
      { url: '/v1/keys' },
      { method: 'POST', url: '/v1/keys', payload: { name: 'k', scopes: ['infer'] } },
      { url: '/v1/members' },
      { method: 'POST', url: '/v1/members', payload: { email: 'x@example.com', role: 'MEMBER' } },
      { url: '/v1/audit' },
    ]) {
      const response = await app.request({ ...request, headers: bearer(member.session) });
      expect(response.statusCode, request.url).toBe(403);
      expect(response.json().error.message).toBe('Your role (member) lacks the scope keys:manage that this request needs');
    }
    const me = await app.request({ url: '/v1/me', headers: bearer(member.session) });
    expect(me.json().user).toMatchObject({ role: 'MEMBER' });
    expect(me.json().scopes).not.toContain('keys:manage');
  });

  it('admins manage members but never owners; nobody changes themself', async () => {
    const admin = await join(owner.sessionToken, 'admin-one@example.com', 'ADMIN');
    const member = await join(admin.session, 'member-two@example.com', 'MEMBER');

    const promote = await app.request({ method: 'PATCH', url: `/v1/members/${member.id}`, headers: bearer(admin.session), payload: { role: 'ADMIN' } });
    expect(promote.statusCode).toBe(200);
    expect(promote.json()).toMatchObject({ role: 'ADMIN' });

    const cases: Array<[string, string, unknown, string]> = [
      ['PATCH', `/v1/members/${member.id}`, { role: 'OWNER' }, 'Only an owner can make someone an owner'],
      ['PATCH', `/v1/members/${owner.userId}`, { role: 'MEMBER' }, 'Only an owner can change or remove an owner'],
      ['DELETE', `/v1/members/${owner.userId}`, undefined, 'Only an owner can change or remove an owner'],
      ['PATCH', `/v1/members/${admin.id}`, { role: 'OWNER' }, 'You cannot change or remove your own membership'],
    ];
    for (const [method, url, payload, message] of cases) {
      const response = await app.request({ method, url, headers: bearer(admin.session), payload });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.message).toBe(message);
    }

    const demote = await app.request({ method: 'PATCH', url: `/v1/members/${member.id}`, headers: bearer(owner.sessionToken), payload: { role: 'MEMBER' } });
    expect(demote.json()).toMatchObject({ role: 'MEMBER' });
    // A role change applies to existing sessions at once: the role is read on every request.
    expect((await app.request({ url: '/v1/keys', headers: bearer(member.session) })).statusCode).toBe(403);

    expect((await app.request({ method: 'DELETE', url: `/v1/members/${member.id}`, headers: bearer(admin.session) })).statusCode).toBe(204);
    const removed = await app.request({ url: '/v1/me', headers: bearer(member.session) });
    expect(removed.statusCode).toBe(401);
    expect(removed.json().error.message).toBe('Session is no longer valid: the account was removed');

    const actions = ((await app.request({ url: '/v1/audit', headers: bearer(owner.apiKey) })).json() as Array<{ action: string }>).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invited', 'member.joined', 'member.role_changed', 'member.removed']));
  });

  it('refuses to invite an email that already has an account', async () => {
    const response = await app.request({ method: 'POST', url: '/v1/members', headers: bearer(owner.apiKey), payload: { email: owner.email, role: 'MEMBER' } });
    expect(response.statusCode).toBe(409);
  });
});
