import type { Role, Scope } from './scopes';

/** Who is calling: a console session (a user) or an API key, always within one tenant. */
export interface Principal {
  kind: 'session' | 'api-key';
  tenantId: string;
  /** The session's user, or the user who created the key (if still a member). */
  userId?: string;
  apiKeyId?: string;
  /** Sessions only: the user's role in the tenant. */
  role?: Role;
  scopes: readonly Scope[];
}

/** Owners and admins manage members; a key with `keys:manage` acts with an admin's rights. */
export function effectiveRole(principal: Principal): Role {
  return principal.role ?? 'ADMIN';
}
