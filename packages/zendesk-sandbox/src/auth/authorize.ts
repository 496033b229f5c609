import { ApiError, problems } from '../http/errors.ts';
import type { Access, Caller, ScopeNeed } from '../http/route.ts';

/** True when an OAuth token's scopes cover the need: broad `read`/`write` or `resource:access`. */
export function scopesAllow(scopes: readonly string[], need: ScopeNeed): boolean {
  if (scopes.includes(need.access)) return true;
  return need.resource !== undefined && scopes.includes(`${need.resource}:${need.access}`);
}

/**
 * Refuses callers below the route's minimum: anonymous → 401, wrong role or missing OAuth scope →
 * 403 Forbidden (API-NOTES §6.1, §7.2).
 */
export function authorize(caller: Caller, access: Access, scope: ScopeNeed | undefined): void {
  if (access === 'none' || access === 'anonymous') return;
  if (caller.kind === 'anonymous') throw new ApiError(problems.unauthenticated());
  const role = caller.user.role;
  if (access === 'agent' && role === 'end-user') throw new ApiError(problems.forbidden());
  if (access === 'admin' && role !== 'admin') throw new ApiError(problems.forbidden());
  if (caller.via === 'oauth' && scope && !scopesAllow(caller.token.scopes, scope)) throw new ApiError(problems.forbidden());
}

/** Is the caller an admin (for handlers that check finer rules themselves)? */
export function isAdmin(caller: Caller): boolean {
  return caller.kind === 'user' && caller.user.role === 'admin';
}
