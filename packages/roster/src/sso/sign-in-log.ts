/**
 * Every sign-in and every refusal goes to the audit log (who, which application, why) and to the
 * application's provisioning log as a `sign_in` event, so an admin reading either sees it.
 */
import { insertAuditRows } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import { recordEvents } from '../provisioning/events/record-event.ts';

/** The audit actions of single sign-on, chosen per entry below (the words test reads this list). */
export const signInAuditActions = { logout: 'sso.logout', signIn: 'sso.sign_in', refused: 'sso.refused' } as const;

export interface SignInLogEntry {
  applicationId: string;
  userId: string | null;
  email: string | null;
  method: 'saml' | 'jwt' | 'logout';
  /** `logout` entries are always successes. */
  ok: boolean;
  /** e.g. `idp_initiated`, `sp_initiated`. */
  flow?: string;
  refusal?: { code: string; message: string; advice: string } | undefined;
  requestId?: string | undefined;
}

export async function logSignIn(executor: Executor, e: SignInLogEntry): Promise<void> {
  const action = e.method === 'logout' ? signInAuditActions.logout : e.ok ? signInAuditActions.signIn : signInAuditActions.refused;
  const audit = insertAuditRows(executor, [
    {
      actorId: null,
      actorEmail: e.email,
      via: 'sso',
      action,
      targetType: 'application',
      targetId: e.applicationId,
      before: null,
      after: { method: e.method, userId: e.userId, ...(e.flow ? { flow: e.flow } : {}), ...(e.refusal ? { code: e.refusal.code, reason: e.refusal.message } : {}) },
      requestId: e.requestId ?? null,
    },
  ]);
  if (e.method === 'logout') return audit;
  // Both writes at once (separate pool connections on PostgreSQL); a sign-in waits for both.
  const event = recordEvents(executor, [
    {
      applicationId: e.applicationId,
      cycleId: null,
      directoryId: e.userId,
      targetId: null,
      identity: e.email,
      action: 'sign_in',
      status: e.ok ? 'success' : 'failed',
      steps: [],
      changes: [],
      error: e.refusal,
    },
  ]);
  await Promise.all([audit, event]);
}

/** A refusal at the portal itself (its own `return_to`): an audit entry, no application to log it under. */
export async function logPortalRefusal(executor: Executor, e: { userId: string | null; email: string | null; refusal: { code: string; message: string }; requestId?: string | undefined }): Promise<void> {
  await insertAuditRows(executor, [
    {
      actorId: null,
      actorEmail: e.email,
      via: 'sso',
      action: signInAuditActions.refused,
      targetType: 'portal',
      targetId: null,
      before: null,
      after: { method: 'portal', userId: e.userId, code: e.refusal.code, reason: e.refusal.message },
      requestId: e.requestId ?? null,
    },
  ]);
}
