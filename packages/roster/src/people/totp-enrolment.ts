/**
 * Enrolling an authenticator app: a new secret (encrypted at rest with the secret key, db/crypto.ts)
 * is shown once as an otpauth URI and QR code, and counts only after a code from it is confirmed.
 * A session enrolling the second factor the policy requires becomes a full sign-in on confirmation.
 */
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { recordAudit } from '../audit/audit.ts';
import { decryptSecret, encryptSecret } from '../db/crypto.ts';
import type { Db } from '../db/database.ts';
import { portalCredentials } from '../db/people-schema.ts';
import { AppError } from '../errors/app-error.ts';
import { accountById, writeCredentials } from './credentials.ts';
import { portalPrincipal } from './portal-principal.ts';
import { type PortalSessionState, completePortalSession } from './portal-session.ts';
import { readSignInPolicy } from './policy.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';

export async function startTotpEnrolment(db: Db, secretKey: Buffer, session: PortalSessionState): Promise<{ uri: string; secret: string; qrSvg: string }> {
  const account = await accountById(db, session.userId);
  if (account?.totpConfirmed) throw new AppError('conflict', 'An authenticator app is already set up: remove it first to set up another.', { details: { reason: 'totp_exists' } });
  const secret = newTotpSecret();
  await writeCredentials(db, session.userId, { totpSecretEnc: encryptSecret(secretKey, secret), totpConfirmedAt: null, totpLastStep: null });
  const uri = totpUri(secret, session.email, 'Roster');
  return { uri, secret, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
}

export async function confirmTotpEnrolment(db: Db, secretKey: Buffer, session: PortalSessionState, code: string, requestId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [cred] = await tx.select().from(portalCredentials).where(eq(portalCredentials.userId, session.userId)).for('update');
    if (!cred?.totpSecretEnc || cred.totpConfirmedAt) throw new AppError('conflict', 'Start setting up an authenticator app first.', { details: { reason: 'no_totp_pending' } });
    const step = checkTotp(decryptSecret(secretKey, cred.totpSecretEnc), code, null);
    if (step === null) throw new AppError('validation_failed', 'body.code: is wrong (check the time of the device)', { issues: [{ path: 'body.code', reason: 'is wrong' }] });
    await tx.update(portalCredentials).set({ totpConfirmedAt: new Date(), totpLastStep: step, updatedAt: new Date() }).where(eq(portalCredentials.userId, session.userId));
    if (session.stage === 'enrol') await completePortalSession(tx, session.sessionId, 'password+totp');
    await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.totp.enrol', targetType: 'user', targetId: session.userId }, requestId);
  });
}

export async function removeTotp(db: Db, session: PortalSessionState, requestId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const account = await accountById(tx, session.userId);
    if (!account?.totpConfirmed) throw new AppError('not_found', 'No authenticator app is set up.', { details: { kind: 'totp' } });
    if ((await readSignInPolicy(tx)).mfaRequired && account.passkeys === 0) {
      throw new AppError('conflict', 'Your organisation requires a second factor: add a passkey before removing the authenticator app.', { details: { reason: 'last_second_factor' } });
    }
    await tx.update(portalCredentials).set({ totpSecretEnc: null, totpConfirmedAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(portalCredentials.userId, session.userId));
    await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.totp.remove', targetType: 'user', targetId: session.userId }, requestId);
  });
}
