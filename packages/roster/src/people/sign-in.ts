/**
 * Directory users signing in with email and password, then (when they hold one) a second factor.
 * As for admins (admins/sign-in.ts): every failure gives the same answer after the same work, counts
 * against login throttling (admins/login-throttle.ts, keys of their own so the realms do not share
 * a pair) and is audited. The session a password opens is `full` only when no second factor is due.
 */
import { eq } from 'drizzle-orm';
import { clearThrottle, lockedForSeconds, recordFailure, throttleKeys } from '../admins/login-throttle.ts';
import { hashPassword, verifyPassword } from '../admins/secrets.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { decryptSecret } from '../db/crypto.ts';
import { portalCredentials } from '../db/people-schema.ts';
import { AppError } from '../errors/app-error.ts';
import { type PortalAccount, accountByEmail, accountById } from './credentials.ts';
import { portalPrincipal } from './portal-principal.ts';
import { type NewPortalSession, type PortalSessionState, type PortalStage, completePortalSession, createPortalSession } from './portal-session.ts';
import { readSignInPolicy } from './policy.ts';
import { checkTotp } from './totp.ts';

export interface AttemptContext {
  address: string;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

/** Throttle keys of the portal realm: the same policy as admins, a key space of its own. */
export const portalThrottleKeys = (email: string, address: string) => throttleKeys(`portal:${email}`, address);

let dummyHash: Promise<string> | undefined;

const invalidCredentials = (): AppError =>
  new AppError('invalid_credentials', 'The email or the password is wrong.', { issues: [{ path: 'body', reason: 'email or password is wrong' }] });

export function lockedError(seconds: number): AppError {
  const wait = seconds < 120 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`;
  return new AppError('too_many_attempts', `Too many failed sign-ins from this address; try again in ${wait}.`, { retryAfterSeconds: seconds });
}

/** The stage a password sign-in opens for this account under the policy. */
export function stageAfterPassword(account: Pick<PortalAccount, 'totpConfirmed' | 'passkeys'>, mfaRequired: boolean): PortalStage {
  if (account.totpConfirmed || account.passkeys > 0) return 'second_factor';
  return mfaRequired ? 'enrol' : 'full';
}

export async function signInWithPassword(db: Db, input: { email: string; password: string }, ctx: AttemptContext): Promise<{ session: NewPortalSession; stage: PortalStage }> {
  const email = input.email.trim();
  const keys = portalThrottleKeys(email, ctx.address);
  const lockedFor = await lockedForSeconds(db, [keys.pair, keys.address]);
  if (lockedFor > 0) {
    await recordAudit(db, portalPrincipal(email), { action: 'portal.session.failed', targetType: 'user', after: { email, reason: 'locked' } }, ctx.requestId);
    throw lockedError(lockedFor);
  }
  const account = await accountByEmail(db, email);
  dummyHash ??= hashPassword('roster-dummy-password');
  const passwordOk = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash));
  if (!account || !account.passwordHash || !passwordOk || account.status !== 'active') {
    const reason = !account ? 'unknown_email' : !account.passwordHash ? 'no_password' : !passwordOk ? 'wrong_password' : 'inactive';
    await db.transaction(async (tx) => {
      await recordFailure(tx, keys.pair);
      await recordFailure(tx, keys.address);
      await recordAudit(tx, portalPrincipal(email), { action: 'portal.session.failed', targetType: 'user', targetId: account?.userId ?? null, after: { email, reason } }, ctx.requestId);
    });
    throw invalidCredentials();
  }
  const policy = await readSignInPolicy(db);
  const stage = stageAfterPassword(account, policy.mfaRequired);
  return db.transaction(async (tx) => {
    await clearThrottle(tx, keys.pair);
    const session = await createPortalSession(tx, { userId: account.userId, stage, mfa: false, method: 'password', address: ctx.address, userAgent: ctx.userAgent ?? null });
    if (stage === 'full') await markSignedIn(tx, account.userId);
    const action = stage === 'full' ? 'portal.session.create' : 'portal.session.password_ok';
    await recordAudit(tx, portalPrincipal(account.email), { action, targetType: 'user', targetId: account.userId, after: { email: account.email, method: 'password', stage } }, ctx.requestId);
    return { session, stage };
  });
}

export async function markSignedIn(executor: Executor, userId: string): Promise<void> {
  await executor.update(portalCredentials).set({ lastSignInAt: new Date() }).where(eq(portalCredentials.userId, userId));
}

/** The TOTP step of a sign-in whose password was right. Wrong codes count against throttling. */
export async function verifySecondFactorTotp(db: Db, secretKey: Buffer, session: PortalSessionState, code: string, ctx: AttemptContext): Promise<void> {
  if (session.stage !== 'second_factor') throw new AppError('conflict', 'This session is not waiting for a second factor.', { details: { reason: 'no_second_factor_due' } });
  const keys = portalThrottleKeys(session.email, ctx.address);
  const lockedFor = await lockedForSeconds(db, [keys.pair, keys.address]);
  if (lockedFor > 0) throw lockedError(lockedFor);
  const account = await accountById(db, session.userId);
  const ok = await db.transaction(async (tx) => {
    const [cred] = await tx.select().from(portalCredentials).where(eq(portalCredentials.userId, session.userId)).for('update');
    if (!account || !cred?.totpSecretEnc || !cred.totpConfirmedAt) return false;
    const step = checkTotp(decryptSecret(secretKey, cred.totpSecretEnc), code, cred.totpLastStep);
    if (step === null) return false;
    await tx.update(portalCredentials).set({ totpLastStep: step, lastSignInAt: new Date() }).where(eq(portalCredentials.userId, session.userId));
    await completePortalSession(tx, session.sessionId, 'password+totp');
    await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.session.create', targetType: 'user', targetId: session.userId, after: { email: session.email, method: 'password+totp' } }, ctx.requestId);
    return true;
  });
  if (!ok) {
    await db.transaction(async (tx) => {
      await recordFailure(tx, keys.pair);
      await recordFailure(tx, keys.address);
      await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.session.failed', targetType: 'user', targetId: session.userId, after: { email: session.email, reason: 'wrong_totp' } }, ctx.requestId);
    });
    throw new AppError('invalid_credentials', 'The code is wrong or was already used.', { issues: [{ path: 'body.code', reason: 'is wrong or was already used' }] });
  }
}

