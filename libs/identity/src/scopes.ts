/** What an API key may do. Sessions get theirs from the user's role. */
export const SCOPES = ['models:read', 'models:write', 'infer', 'training', 'usage:read', 'keys:manage'] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export const ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;

export type Role = (typeof ROLES)[number];

/** Owners and admins may do everything; members everything but managing keys, members and audit. */
export function scopesOfRole(role: Role): readonly Scope[] {
  return role === 'MEMBER' ? SCOPES.filter((scope) => scope !== 'keys:manage') : SCOPES;
}
