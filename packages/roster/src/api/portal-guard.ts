/**
 * Access checks of the directory users' portal API (`/portal/api/...`), the realm beside the admins'
 * (api/auth.ts leaves these routes alone). Routes declare the sign-in stage they need:
 * - `anonymous` (signing in, links, forgot password): unsafe methods must carry the header
 *   `x-roster-portal: 1`. A cross-site form cannot set a header and a cross-origin script cannot
 *   without a CORS preflight Roster never grants, so this stops login CSRF;
 * - a list of stages: the `roster_portal` session must be in one of them, and unsafe methods must
 *   echo its CSRF token in `x-csrf-token`.
 * A full session without a second factor while the organisation requires one counts as `enrol`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { Db } from '../db/database.ts';
import { type PortalSessionState, type PortalStage, portalSessionOf } from '../people/portal-session.ts';
import { CSRF_HEADER } from './auth.ts';

export const PORTAL_HEADER = 'x-roster-portal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The portal session of the request (any stage), loaded by portalAccess. */
    portalSession: PortalSessionState | null;
  }
}

/** Constant-time comparison (of digests, so lengths do not differ). */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const d = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(d(given), d(expected));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The stage that counts for access: `full` without the second factor the policy requires is `enrol`. */
export const effectiveStage = (s: PortalSessionState): PortalStage => (s.stage === 'full' && s.mfaRequired && !s.mfa ? 'enrol' : s.stage);

export function portalAccess(db: Db, need: 'anonymous' | readonly PortalStage[]): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const session = await portalSessionOf(db, request);
    request.portalSession = session;
    if (need === 'anonymous') {
      if (!SAFE_METHODS.has(request.method) && request.headers[PORTAL_HEADER] !== '1') {
        throw new AppError('csrf_failed', `Portal requests must carry the header ${PORTAL_HEADER}: 1.`, { issues: [{ path: `headers.${PORTAL_HEADER}`, reason: 'missing' }] });
      }
      return;
    }
    if (!session || !need.includes(effectiveStage(session))) {
      const reason = !session ? 'not signed in' : `sign-in not complete (${effectiveStage(session)})`;
      throw new AppError('unauthenticated', `Sign in to the portal first (${reason}).`, { issues: [{ path: 'cookie.roster_portal', reason }], details: { stage: session ? effectiveStage(session) : null } });
    }
    if (!SAFE_METHODS.has(request.method) && !sameSecret(request.headers[CSRF_HEADER], session.csrfToken)) {
      throw new AppError('csrf_failed', `Portal requests with a session must echo its CSRF token in ${CSRF_HEADER}.`, { issues: [{ path: `headers.${CSRF_HEADER}`, reason: 'missing or wrong' }] });
    }
  };
}

/** The session of a route that ran portalAccess with stages. */
export function portalSessionOfRequest(request: FastifyRequest): PortalSessionState {
  if (!request.portalSession) throw new AppError('unauthenticated', 'Sign in to the portal first.');
  return request.portalSession;
}
