/**
 * Who is calling: an API token (`Authorization: Bearer rst_…`, for the CLI and scripts) or a
 * session cookie (the admin UI, with a CSRF token required on every unsafe method).
 * Routes declare what they need with `onRequest: requirePermission(...)`: the check runs before the
 * body is parsed or validated, so an anonymous or unauthorized caller gets 401/403, never a 400.
 * An admin whose password must change is known but holds no principal outside the password-change
 * routes: public routes and the UI's own pages still load, protected API routes answer 403
 * `password_change_required`.
 */
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Permission, type Principal, effectivePermissions } from '../admins/permissions.ts';
import { sha256 } from '../admins/secrets.ts';
import { SESSION_TOUCH_MS, touchSession } from '../admins/sessions.ts';
import type { Db } from '../db/database.ts';
import { adminSessions, admins, apiTokens } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';

export const SESSION_COOKIE = 'roster_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null. Set by the auth hook before any route runs. */
    principal: Principal | null;
    /** The session's CSRF token when the caller came by session cookie. */
    csrfToken: string | null;
    /** The session cookie value when the caller came by session (to sign out or keep this session). */
    sessionCookie: string | null;
    /** Valid credentials of an admin who must change their password first (principal stays null). */
    passwordChangePending: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionCookie', null);
  app.decorateRequest('passwordChangePending', false);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <API token>".', { issues: [{ path: 'headers.authorization', reason: 'not a bearer token' }] });
      const found = await principalFromToken(db, match[1] as string);
      if (!found) throw new AppError('unauthenticated', 'The API token is unknown, revoked or expired.', { issues: [{ path: 'headers.authorization', reason: 'invalid token' }] });
      // A token never stands in for the password change: its admin must sign in and change it first.
      if (found.mustChangePassword) request.passwordChangePending = true;
      else request.principal = found.principal;
      return;
    }
    // The IdP endpoints serve directory users (portal session), never the admin realm; an admin's
    // cookie on the same site must not turn the SP's cross-site POST into a CSRF refusal.
    if (request.url.startsWith('/sso/')) return;
    // Signing in needs no session; a stale cookie must not block it with a CSRF refusal.
    if (request.method === 'POST' && request.routeOptions.url === '/api/session') return;
    // The directory users' portal is another realm with its own cookie and CSRF check (people/portal-guard.ts).
    if (request.routeOptions.url?.startsWith('/portal/')) return;
    const cookie = readCookie(request, SESSION_COOKIE);
    if (!cookie) return;
    const session = await principalFromSession(db, cookie);
    if (!session) return;
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError('csrf_failed', `This request came with a session cookie but without the session's ${CSRF_HEADER} header.`, {
        issues: [{ path: `headers.${CSRF_HEADER}`, reason: 'missing or wrong' }],
      });
    }
    request.csrfToken = session.csrfToken;
    request.sessionCookie = cookie;
    if (session.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
      request.passwordChangePending = true;
      return;
    }
    request.principal = session.principal;
  });
}

const passwordChangeRequired = (): AppError =>
  new AppError('password_change_required', 'Change your one-time or admin-set password first: POST /api/session/password with currentPassword and newPassword (the admin UI asks for it). API tokens of this admin work again once it is changed.', {
    issues: [{ path: 'session', reason: 'password must be changed' }],
  });

const unauthenticated = (): AppError => new AppError('unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer <token>".');

/** The caller, or the 401/403 an anonymous caller or one whose password must change gets. */
function signedInPrincipal(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  throw request.passwordChangePending ? passwordChangeRequired() : unauthenticated();
}

/** What a session whose password must change may still do. */
const PASSWORD_CHANGE_ROUTES = new Set(['GET /api/session', 'DELETE /api/session', 'POST /api/session/password']);

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const fromPlugin = (request as { cookies?: Record<string, string | undefined> }).cookies?.[name];
  if (fromPlugin) return fromPlugin;
  const raw = request.headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Whether a token's `lastUsedAt` is worth writing again: never set, or older than a minute. */
export const tokenTouchDue = (lastUsedAt: Date | null, now: Date): boolean => lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= 60_000;

export async function principalFromToken(db: Db, token: string): Promise<{ principal: Principal; mustChangePassword: boolean } | null> {
  const now = new Date();
  const rows = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      adminId: admins.id,
      email: admins.email,
      role: admins.role,
      permissions: admins.permissions,
      mustChangePassword: admins.mustChangePassword,
    })
    .from(apiTokens)
    .innerJoin(admins, eq(admins.id, apiTokens.adminId))
    .where(
      and(
        eq(apiTokens.tokenHash, sha256(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
        eq(admins.status, 'active'),
      ),
    )
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  // Touch at most once a minute, so a busy script does not write on every call.
  if (tokenTouchDue(row.lastUsedAt, now)) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), sql`${apiTokens.lastUsedAt} < now() - interval '1 minute'`)));
  }
  return { principal: toPrincipal(row, 'token'), mustChangePassword: row.mustChangePassword };
}

export async function principalFromSession(db: Db, cookie: string): Promise<{ principal: Principal; csrfToken: string; mustChangePassword: boolean } | null> {
  const now = new Date();
  const rows = await db
    .select({
      adminId: admins.id,
      email: admins.email,
      role: admins.role,
      permissions: admins.permissions,
      mustChangePassword: admins.mustChangePassword,
      csrfToken: adminSessions.csrfToken,
      lastSeenAt: adminSessions.lastSeenAt,
    })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .where(and(eq(adminSessions.idHash, sha256(cookie)), gt(adminSessions.expiresAt, now), eq(admins.status, 'active')))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_TOUCH_MS) await touchSession(db, cookie, now);
  return { principal: toPrincipal(row, 'session'), csrfToken: row.csrfToken, mustChangePassword: row.mustChangePassword };
}

function toPrincipal(row: { adminId: string; email: string; role: string; permissions: string[] }, via: 'session' | 'token'): Principal {
  const role = row.role === 'owner' ? 'owner' : 'admin';
  return { adminId: row.adminId, email: row.email, role, permissions: effectivePermissions(role, row.permissions), via };
}

/** A route check: the caller's request, before its body is parsed (use it as the route's `onRequest`). */
export type AccessCheck = (request: FastifyRequest) => Promise<void>;

/** Requires a signed-in caller holding every named permission. */
export function requirePermission(...needed: Permission[]): AccessCheck {
  return async (request) => {
    const p = signedInPrincipal(request);
    const missing = needed.filter((perm) => !p.permissions.has(perm));
    if (missing.length > 0) {
      throw new AppError('forbidden', `This needs the permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, { details: { missing } });
    }
  };
}

/** Requires a signed-in caller holding at least one of the named permissions. */
export function requireAnyPermission(...any: Permission[]): AccessCheck {
  return async (request) => {
    const p = signedInPrincipal(request);
    if (!any.some((perm) => p.permissions.has(perm))) {
      throw new AppError('forbidden', `This needs one of the permissions ${any.join(', ')}.`, { details: { anyOf: any } });
    }
  };
}

/** Permissions that may read the directory (users, groups and their members, custom attributes). */
export const directoryReaders: Permission[] = ['manage_users', 'view_apps', 'assign_apps', 'import_users'];

/** The caller, for routes that already ran `requirePermission`. */
export function principalOf(request: FastifyRequest): Principal {
  return signedInPrincipal(request);
}
