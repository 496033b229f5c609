/**
 * A Roster of its own for scenarios that send mail (invitations, resets): at http://localhost:<port>
 * (passkeys refuse an IP address as the relying party), with a real SMTP sink, and the owner's
 * first sign-in and password change already made through the API (the admin UI's own flow has its
 * scenario). `csrf` is the signed-in owner's CSRF header for writes through `admin`.
 */
import { type APIRequestContext, expect, request } from '@playwright/test';
import { type SmtpSink, startSmtpSink } from '../../packages/roster/test/smtp-sink.ts';
import { json } from './fixtures.ts';
import { type StartedRoster, startRoster } from './roster-server.ts';

export interface MailRoster {
  smtp: SmtpSink;
  roster: StartedRoster;
  admin: APIRequestContext;
  csrf: Record<string, string>;
}

export async function startMailRoster(domain: string, ownerPassword: string): Promise<MailRoster> {
  const smtp = await startSmtpSink();
  const roster = await startRoster({ ownerEmail: `owner@${domain}`, host: 'localhost', env: { ROSTER_SMTP_URL: smtp.url, ROSTER_MAIL_FROM: `Roster <roster@${domain}>` } });
  const admin = await request.newContext({ baseURL: roster.facts.url });
  const first = await json<{ csrfToken: string }>(await admin.post('/api/session', { data: { email: roster.facts.ownerEmail, password: roster.facts.oneTimePassword } }));
  expect((await admin.post('/api/session/password', { data: { currentPassword: roster.facts.oneTimePassword, newPassword: ownerPassword }, headers: { 'x-csrf-token': first.csrfToken } })).status()).toBe(200);
  const csrf = { 'x-csrf-token': (await json<{ csrfToken: string }>(await admin.get('/api/session'))).csrfToken };
  return { smtp, roster, admin, csrf };
}
