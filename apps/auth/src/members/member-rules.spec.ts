import { describe, expect, it } from 'vitest';
import { assertMayManage } from './member-rules';

describe('assertMayManage', () => {
  const target = (role: 'OWNER' | 'ADMIN' | 'MEMBER') => ({ id: 'target', role });
  it.each([
    ['OWNER', 'OWNER', undefined, true],
    ['OWNER', 'MEMBER', 'OWNER', true],
    ['ADMIN', 'MEMBER', 'ADMIN', true],
    ['ADMIN', 'ADMIN', undefined, true],
    ['ADMIN', 'OWNER', undefined, false],
    ['ADMIN', 'MEMBER', 'OWNER', false],
    ['MEMBER', 'MEMBER', undefined, false],
  ] as const)('%s acting on %s (new role %s) allowed: %s', (actor, targetRole, newRole, allowed) => {
    const attempt = () => assertMayManage({ role: actor, userId: 'actor' }, target(targetRole), newRole);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow();
  });

  it('refuses changes to oneself, even for owners', () => {
    expect(() => assertMayManage({ role: 'OWNER', userId: 'same' }, { id: 'same', role: 'OWNER' }, 'MEMBER')).toThrow('You cannot change or remove your own membership');
  });
});
