/**
 * Invitations and password resets of directory users. An admin sends either; a user may ask for a
 * reset themselves, and that answer never says whether the email is known. Using a link sets the
 * password and ends every portal session of the user.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type ThrottleKey, lockedForSeconds, recordFailure } from '../admins/login-throttle.ts';
import type { Principal } from '../admins/permissions.ts';
import { hashPassword } from '../admins/secrets.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { accountByEmail, accountById } from './credentials.ts';
import { writeCredentials } from './credentials.ts';
import { sendLinkMail } from './link-mail.ts';
import { type LinkKind, consumeLink, issueLink } from './links.ts';
import { portalPrincipal } from './portal-principal.ts';
import { endPortalSessionsOf } from './portal-session.ts';
import { lockedError } from './sign-in.ts';

type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>;

const noSmtp = (): AppError =>
  new AppError('conflict', 'Roster has no SMTP server to send the email with: set ROSTER_SMTP_URL (README, configuration).', { details: { reason: 'smtp_not_configured' } });

/**
 * An admin sends an invitation (`invite`) or a password reset (`reset`) to a directory user. The link
 * is stored before sending; a mail the server refuses is an error (the link, never delivered, is of
 * no use to anyone) and the user is not marked invited. Audited either way.
 */
export async function sendLinkAsAdmin(db: Db, config: MailConfig, actor: Principal, userId: string, kind: LinkKind, requestId?: string): Promise<{ sentTo: string; expiresAt: Date }> {
  const account = await accountById(db, userId);
  if (!account) throw notFound('user', userId);
  if (account.status !== 'active') throw new AppError('conflict', 'The user is inactive: activate them before sending a sign-in email.', { details: { reason: 'user_inactive' } });
  if (kind === 'reset' && !account.passwordHash) throw new AppError('conflict', 'The user has no password yet: send an invitation instead.', { details: { reason: 'no_password' } });
  if (!config.smtpUrl) throw noSmtp();
  const action = kind === 'invite' ? 'user.sign_in.invite' : 'user.sign_in.reset';
  const { token, expiresAt } = await issueLink(db, userId, kind);
  const sent = await sendLinkMail(config, kind, account, token);
  if (!sent?.ok) {
    await recordAudit(db, actor, { action: `${action}.failed`, targetType: 'user', targetId: userId, after: { email: account.email, error: sent?.error ?? 'no SMTP server' } }, requestId);
    throw new AppError('unavailable', `The email could not be sent: ${sent?.error ?? 'no SMTP server'}`, { details: { reason: 'smtp_failed' } });
  }
  // "Invited" only once the mail is out.
  await db.transaction(async (tx) => {
    if (kind === 'invite') await writeCredentials(tx, userId, { invitedAt: new Date() });
    await recordAudit(tx, actor, { action, targetType: 'user', targetId: userId, after: { email: account.email, expiresAt } }, requestId);
  });
  return { sentTo: account.email, expiresAt };
}

/**
 * "Forgot password": sends a reset link when the email belongs to an active user who has a password
 * or an open invitation, and nothing otherwise; the caller answers the same in both cases, at once
 * (the mail goes out after the answer, so timing does not tell either).
 */
export async function requestReset(db: Db, config: MailConfig, log: FastifyBaseLogger, email: string, ctx: { address: string; requestId?: string }): Promise<void> {
  const requestId = ctx.requestId;
  const keys = resetThrottleKeys(email, ctx.address);
  const lockedFor = await lockedForSeconds(db, [keys.address]);
  if (lockedFor > 0) throw lockedError(lockedFor);
  // Every request counts; an email asked for too often gets no more mail for a while (and the answer stays the same).
  await recordFailure(db, keys.address);
  const emailQuiet = (await lockedForSeconds(db, [keys.email])) > 0;
  await recordFailure(db, keys.email);
  const account = await accountByEmail(db, email);
  const eligible = !emailQuiet && account !== null && account.status === 'active' && (account.passwordHash !== null || account.invitedAt !== null);
  await recordAudit(db, portalPrincipal(email.trim()), {
    action: 'portal.password.reset_requested',
    targetType: 'user',
    targetId: account?.userId ?? null,
    after: { email: email.trim(), sent: eligible && Boolean(config.smtpUrl) },
  }, requestId);
  if (!eligible || !config.smtpUrl) {
    if (eligible) log.warn({ userId: account.userId }, 'password reset requested but no SMTP server is configured (ROSTER_SMTP_URL)');
    return;
  }
  // After the answer: making the link and sending it must not make a known email answer slower.
  void issueLink(db, account.userId, 'reset')
    .then(({ token }) => sendLinkMail(config, 'reset', account, token))
    .then(
      (r) => {
        if (r && !r.ok) log.warn({ userId: account.userId, error: r.error }, 'password reset email not sent');
      },
      (e: unknown) => log.warn({ userId: account.userId, error: String(e) }, 'password reset email not sent'),
    );
}

/** "Forgot password" limits: 10 requests per address per 15 minutes; 3 mails per email per hour. */
export const resetThrottleKeys = (email: string, address: string): { address: ThrottleKey; email: ThrottleKey } => ({
  address: { key: `portal-reset-ip:${address}`, maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  email: { key: `portal-reset-email:${email.trim().toLowerCase()}`, maxFailures: 3, windowMs: 60 * 60_000, lockMs: 60 * 60_000 },
});

const badLink = (): AppError =>
  new AppError('validation_failed', 'body.token: the link is invalid, expired or was already used; ask for a new one', {
    issues: [{ path: 'body.token', reason: 'is invalid, expired or already used' }],
  });

/** Sets the password from an invitation or reset link; ends every session of the user. */
export async function usePasswordLink(db: Db, kind: LinkKind, token: string, password: string, requestId?: string): Promise<{ email: string }> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const userId = await consumeLink(tx, token, kind);
    if (!userId) throw badLink();
    const account = await accountById(tx, userId);
    if (!account || account.status !== 'active') throw badLink();
    const now = new Date();
    await writeCredentials(tx, userId, { passwordHash, passwordSetAt: now });
    const sessionsEnded = await endPortalSessionsOf(tx, userId);
    await recordAudit(tx, portalPrincipal(account.email), {
      action: kind === 'invite' ? 'portal.invitation.accept' : 'portal.password.reset',
      targetType: 'user',
      targetId: userId,
      after: { email: account.email, sessionsEnded },
    }, requestId);
    return { email: account.email };
  });
}
