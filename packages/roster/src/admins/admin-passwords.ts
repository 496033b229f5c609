/** Passwords after creation: an admin resets someone else's; everyone changes their own. */
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { getAdminRow } from './admin-read.ts';
import { auditingRefusals } from './admin-refusals.ts';
import { assertMayActOn } from './admin-rules.ts';
import { revokeAdminTokens } from './api-tokens.ts';
import { type AdminView, toAdminView } from './admin-view.ts';
import { writeAdmin } from './admin-update.ts';
import { generatePassword } from './bootstrap.ts';
import { clearThrottle, lockedForSeconds, recordFailure, throttleKeys } from './login-throttle.ts';
import { MAX_PASSWORD_LENGTH, newPasswordSchema } from './password-policy.ts';
import type { Principal } from './permissions.ts';
import { hashPassword, verifyPassword } from './secrets.ts';
import { endSessions } from './sessions.ts';

export const resetPasswordSchema = z.strictObject({
  /** Absent: a one-time password is generated and returned once. Either way it must be changed at next sign-in. */
  password: newPasswordSchema.optional(),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH),
  newPassword: newPasswordSchema,
});

/**
 * Sets another admin's password, ends their sessions, revokes their API tokens (whoever knew the old
 * password may have made them) and makes them change it at next sign-in.
 */
export async function resetPassword(
  db: Db,
  actor: Principal,
  id: string,
  password: string | undefined,
  requestId?: string,
): Promise<{ admin: AdminView; oneTimePassword?: string; sessionsEnded: number; tokensRevoked: number }> {
  if (actor.adminId === id) {
    throw new AppError('conflict', 'Change your own password with POST /api/session/password (it asks for the current one).', { details: { reason: 'own_password' } });
  }
  const oneTimePassword = password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(password ?? (oneTimePassword as string));
  return auditingRefusals(db, actor, { action: 'admin.password.reset', targetId: id }, requestId, () =>
    db.transaction(async (tx) => {
      const current = await getAdminRow(tx, id, { forUpdate: true });
      assertMayActOn(actor, current, 'reset the password of');
      const row = await writeAdmin(tx, id, { passwordHash, mustChangePassword: true });
      const sessionsEnded = await endSessions(tx, id);
      // Audited one entry per token (a count under a `token` key would be redacted in the audit log).
      const tokensRevoked = await revokeAdminTokens(tx, actor, id, 'password_reset', requestId);
      const admin = toAdminView(row);
      await recordAudit(tx, actor, { action: 'admin.password.reset', targetType: 'admin', targetId: id, before: toAdminView(current), after: { ...admin, sessionsEnded } }, requestId);
      return { admin, ...(oneTimePassword === undefined ? {} : { oneTimePassword }), sessionsEnded, tokensRevoked };
    }),
  );
}

/**
 * Changes the caller's own password after checking the current one (wrong guesses count against
 * login throttling), and ends their other sessions.
 */
export async function changeOwnPassword(
  db: Db,
  actor: Principal,
  input: z.infer<typeof changePasswordSchema>,
  ctx: { address: string; keepSessionCookie?: string | null; requestId?: string },
): Promise<AdminView> {
  if (!actor.adminId || !actor.email) throw new AppError('unauthenticated', 'Sign in to change your password.');
  const adminId = actor.adminId;
  const keys = throttleKeys(actor.email, ctx.address);
  const lockedFor = await lockedForSeconds(db, [keys.pair]);
  if (lockedFor > 0) throw new AppError('too_many_attempts', 'Too many wrong passwords; try again later.', { retryAfterSeconds: lockedFor });
  const current = await getAdminRow(db, adminId);
  if (!(await verifyPassword(input.currentPassword, current.passwordHash))) {
    await db.transaction(async (tx) => {
      await recordFailure(tx, keys.pair);
      await recordAudit(tx, actor, { action: 'session.password.failed', targetType: 'admin', targetId: adminId }, ctx.requestId);
    });
    throw new AppError('validation_failed', 'body.currentPassword: is wrong', { issues: [{ path: 'body.currentPassword', reason: 'is wrong' }] });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation_failed', 'body.newPassword: must differ from the current password', { issues: [{ path: 'body.newPassword', reason: 'must differ from the current password' }] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await clearThrottle(tx, keys.pair);
    const row = await writeAdmin(tx, adminId, { passwordHash, mustChangePassword: false });
    await endSessions(tx, adminId, ctx.keepSessionCookie ?? undefined);
    const admin = toAdminView(row);
    await recordAudit(tx, actor, { action: 'session.password.change', targetType: 'admin', targetId: adminId }, ctx.requestId);
    return admin;
  });
}
