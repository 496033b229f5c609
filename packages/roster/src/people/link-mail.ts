/** The invitation and password-reset emails, through the SMTP server of ROSTER_SMTP_URL (provisioning/notify/mailer.ts). */
import type { Config } from '../config/config.ts';
import { type SendResult, smtpMailer } from '../provisioning/notify/mailer.ts';
import { LINK_TTL_MS, type LinkKind, linkUrl } from './links.ts';

export function linkMail(kind: LinkKind, to: { email: string; displayName: string }, url: string): { subject: string; text: string } {
  const hours = LINK_TTL_MS[kind] / 3_600_000;
  const valid = hours >= 24 ? `${hours / 24} days` : `${hours} hour${hours === 1 ? '' : 's'}`;
  if (kind === 'invite') {
    return {
      subject: 'You are invited to sign in with Roster',
      text: `Hello ${to.displayName},\n\nYou can now sign in to your organisation's applications with Roster as ${to.email}.\nChoose your password here (the link works once, for ${valid}):\n\n${url}\n\nIf you did not expect this email, you can ignore it.\n`,
    };
  }
  return {
    subject: 'Reset your Roster password',
    text: `Hello ${to.displayName},\n\nSomeone asked to reset the password of ${to.email}. Choose a new password here (the link works once, for ${valid}):\n\n${url}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
  };
}

/** Sends one link; null when no SMTP server is configured. */
export async function sendLinkMail(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>, kind: LinkKind, to: { email: string; displayName: string }, token: string): Promise<SendResult | null> {
  if (!config.smtpUrl) return null;
  const mail = linkMail(kind, to, linkUrl(config.publicUrl, kind, token));
  return smtpMailer(config.smtpUrl).send({ from: config.mailFrom, to: to.email, ...mail });
}
