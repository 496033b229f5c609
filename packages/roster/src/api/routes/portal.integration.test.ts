/**
 * Directory users signing in, end to end through HTTP: invitation mailed through a real SMTP server,
 * first password, sign-in, throttling, reset, sessions the admin revokes, deactivation, the MFA
 * policy with TOTP, and passkeys made by a software authenticator (real keys, real CBOR, real
 * signatures) checked by the real server library.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.ts';
import { SoftwareAuthenticator } from '../../../test/software-authenticator.ts';
import { decryptSecret } from '../../db/crypto.ts';
import { portalCredentials, portalTokens } from '../../db/people-schema.ts';
import { auditLog } from '../../db/schema.ts';
import { totpCode } from '../../people/totp.ts';

const ORIGIN = 'http://localhost:8080';
const PASSWORD = 'correct horse battery';

type Inject = Awaited<ReturnType<TestApp['app']['inject']>>;

/** One browser: carries the roster_portal cookie and the CSRF token between requests. */
class Browser {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(private readonly h: TestApp) {}
  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}): Promise<Inject> {
    const r = await this.h.app.inject({
      method,
      url,
      headers: {
        'x-roster-portal': '1',
        ...(this.cookie ? { cookie: `roster_portal=${this.cookie}` } : {}),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      ...(payload ? { payload } : {}),
    });
    const set = r.cookies.find((c) => c.name === 'roster_portal');
    if (set) this.cookie = set.value || null;
    const body = r.headers['content-type']?.includes('json') ? (r.json() as { csrfToken?: string }) : {};
    if (typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
    return r;
  }
  async signIn(email: string, password = PASSWORD): Promise<Inject> {
    return this.call('POST', '/portal/api/session', { email, password });
  }
}

describe.each(openTestDatabase.drivers())('directory users signing in on %s', (driver) => {
  let h: TestApp;
  let smtp: SmtpSink;
  let n = 0;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await openTestApp(driver, { ROSTER_SMTP_URL: smtp.url, ROSTER_PUBLIC_URL: ORIGIN, ROSTER_MAIL_FROM: 'Roster <roster@example.test>' });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: h.owner.headers, ...(payload ? { payload } : {}) });
  const newUser = async (name = `Person ${++n}`) => {
    const r = await admin('POST', '/api/users', { email: `person${++n}-${driver}@example.test`, displayName: name });
    expect(r.statusCode).toBe(201);
    return r.json() as { id: string; email: string; version: number };
  };
  /** The token of the last link mailed to `email`, read from the mail as a person would. */
  const linkFromMail = (email: string, page: string): string => {
    const mail = [...smtp.received].reverse().find((m) => m.envelopeTo.includes(email));
    if (!mail) throw new Error(`no mail to ${email}`);
    const url = new URL(/https?:\/\/\S+/.exec(mail.text)![0]);
    expect(url.origin + url.pathname).toBe(`${ORIGIN}${page}`);
    return decodeURIComponent(new URLSearchParams(url.hash.slice(1)).get('token')!);
  };
  const invited = async () => {
    const u = await newUser();
    expect((await admin('POST', `/api/users/${u.id}/sign-in/invite`)).statusCode).toBe(200);
    const token = linkFromMail(u.email, '/portal/accept-invitation');
    const b = new Browser(h);
    expect((await b.call('POST', '/portal/api/invitations/accept', { token, password: PASSWORD })).statusCode).toBe(200);
    return u;
  };
  const auditActions = async (userId: string) =>
    (await h.t.database.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, userId)))).map((r) => r.action);

  it('invites by email, sets the first password once, signs in and shows only what the user is assigned', async () => {
    const u = await newUser('Ivy Invited');
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json()).toMatchObject({ status: 'never', sessions: [] });
    const sent = await admin('POST', `/api/users/${u.id}/sign-in/invite`);
    expect(sent.statusCode).toBe(200);
    expect(sent.json().sentTo).toBe(u.email);
    expect(JSON.stringify(sent.json())).not.toMatch(/rpi_/);
    const mail = smtp.received.at(-1)!;
    expect(mail).toMatchObject({ from: expect.stringContaining('roster@example.test'), subject: expect.stringMatching(/invited/i) });
    const token = linkFromMail(u.email, '/portal/accept-invitation');
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json().status).toBe('invited');
    // Only the hash is stored.
    const stored = await h.t.database.db.select().from(portalTokens).where(eq(portalTokens.userId, u.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    const b = new Browser(h);
    const short = await b.call('POST', '/portal/api/invitations/accept', { token, password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.issues[0]).toMatchObject({ path: 'body.password', reason: expect.stringContaining('at least 12') });
    expect((await b.call('POST', '/portal/api/invitations/accept', { token, password: PASSWORD })).json()).toEqual({ email: u.email });
    const again = await b.call('POST', '/portal/api/invitations/accept', { token, password: PASSWORD });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.issues[0].path).toBe('body.token');

    expect((await b.signIn(u.email, 'wrong password here')).statusCode).toBe(401);
    const signed = await b.signIn(u.email.toUpperCase());
    expect(signed.json()).toMatchObject({ stage: 'full' });
    const cookie = signed.cookies.find((c) => c.name === 'roster_portal')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await b.call('GET', '/portal/api/session')).json()).toMatchObject({ user: { id: u.id, email: u.email }, stage: 'full', mfa: false });

    // My Apps: a direct assignment shows; Default Access does not.
    const appA = (await admin('POST', '/api/apps', { type: 'zendesk', displayName: `Support ${n}`, settings: { subdomain: `portal-a-${n}` } })).json().id as string;
    const appB = (await admin('POST', '/api/apps', { type: 'zendesk', displayName: `Hidden ${n}`, settings: { subdomain: `portal-b-${n}` } })).json().id as string;
    expect((await admin('POST', `/api/apps/${appA}/assignments`, { principalType: 'user', principalId: u.id, role: 'agent' })).statusCode).toBe(201);
    expect((await admin('POST', `/api/apps/${appB}/assignments`, { principalType: 'user', principalId: u.id, role: 'default-access' })).statusCode).toBe(201);
    const apps = (await b.call('GET', '/portal/api/apps')).json().items;
    expect(apps).toEqual([{ id: appA, displayName: `Support ${n}`, type: 'zendesk', role: 'agent', roleLabel: 'Agent', startUrl: `/sso/apps/${appA}/start` }]);

    const status = (await admin('GET', `/api/users/${u.id}/sign-in`)).json();
    expect(status).toMatchObject({ status: 'active', totp: false, passkeys: 0, sessions: [{ method: 'password', mfa: false, stage: 'full' }] });
    expect(JSON.stringify(status)).not.toMatch(/scrypt|rpi_|idHash|csrf/i);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['user.sign_in.invite', 'portal.invitation.accept', 'portal.session.failed', 'portal.session.create']));
  });

  it('lets the admin end one session or all of them', async () => {
    const u = await invited();
    const a = new Browser(h);
    const b = new Browser(h);
    await a.signIn(u.email);
    await b.signIn(u.email);
    const sessions = (await admin('GET', `/api/users/${u.id}/sign-in`)).json().sessions as { id: string }[];
    expect(sessions).toHaveLength(2);
    const mine = (await a.call('GET', '/portal/api/session')).statusCode;
    expect(mine).toBe(200);
    const revokeOne = await admin('DELETE', `/api/users/${u.id}/sign-in/sessions/${sessions[0]!.id}`);
    expect(revokeOne.json()).toEqual({ ended: 1 });
    const still = [(await a.call('GET', '/portal/api/session')).statusCode, (await b.call('GET', '/portal/api/session')).statusCode].sort();
    expect(still).toEqual([200, 401]);
    expect((await admin('DELETE', `/api/users/${u.id}/sign-in/sessions`)).json()).toEqual({ ended: 1 });
    expect((await a.call('GET', '/portal/api/session')).statusCode).toBe(401);
    expect((await b.call('GET', '/portal/api/session')).statusCode).toBe(401);
    expect((await admin('DELETE', `/api/users/${u.id}/sign-in/sessions/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['user.sign_in.session.revoke', 'user.sign_in.sessions.revoke_all']));
  });

  it('ends the sessions at once when the user is deactivated, and refuses their sign-in', async () => {
    const u = await invited();
    const b = new Browser(h);
    await b.signIn(u.email);
    expect((await b.call('GET', '/portal/api/apps')).statusCode).toBe(200);
    expect((await admin('POST', `/api/users/${u.id}/deactivate`)).statusCode).toBe(200);
    expect((await b.call('GET', '/portal/api/apps')).statusCode).toBe(401);
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json().sessions).toEqual([]);
    const refused = await new Browser(h).signIn(u.email);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('invalid_credentials');
    expect((await admin('POST', `/api/users/${u.id}/sign-in/invite`)).statusCode).toBe(409);
  });

  it('throttles wrong passwords per email and address, then refuses even the right one', async () => {
    const u = await invited();
    const b = new Browser(h);
    for (let i = 0; i < 5; i++) expect((await b.signIn(u.email, `wrong password ${i}!`)).statusCode).toBe(401);
    const locked = await b.signIn(u.email);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const reasons = await h.t.database.db.select({ after: auditLog.after }).from(auditLog).where(and(eq(auditLog.action, 'portal.session.failed'), eq(auditLog.targetId, u.id)));
    expect(reasons.map((r) => (r.after as { reason: string }).reason)).toEqual(Array(5).fill('wrong_password'));
  });

  it('resets a forgotten password by email without telling whether the email exists; the link works once and ends sessions', async () => {
    const u = await invited();
    const old = new Browser(h);
    await old.signIn(u.email);
    const before = smtp.received.length;
    const unknown = await new Browser(h).call('POST', '/portal/api/password/forgot', { email: 'nobody-here@example.test' });
    const known = await new Browser(h).call('POST', '/portal/api/password/forgot', { email: u.email });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(before + 1);
    const token = linkFromMail(u.email, '/portal/reset-password');
    const b = new Browser(h);
    expect((await b.call('POST', '/portal/api/password/reset', { token, password: 'a brand new password' })).statusCode).toBe(200);
    expect((await b.call('POST', '/portal/api/password/reset', { token, password: 'another new password' })).statusCode).toBe(400);
    expect((await old.call('GET', '/portal/api/session')).statusCode).toBe(401);
    expect((await b.signIn(u.email)).statusCode).toBe(401);
    expect((await b.signIn(u.email, 'a brand new password')).json().stage).toBe('full');
    // An invitation link cannot reset, and an expired reset link is refused.
    expect((await admin('POST', `/api/users/${u.id}/sign-in/reset`)).statusCode).toBe(200);
    const adminToken = linkFromMail(u.email, '/portal/reset-password');
    await h.t.database.db.update(portalTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(portalTokens.userId, u.id));
    const expired = await b.call('POST', '/portal/api/password/reset', { token: adminToken, password: 'yet another password' });
    expect(expired.json().error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'body.token', reason: 'is invalid, expired or already used' }] });
    expect((await b.call('POST', '/portal/api/invitations/accept', { token: adminToken, password: 'yet another password' })).statusCode).toBe(400);
  });

  it('refuses portal writes without the portal header or the session CSRF token', async () => {
    const u = await invited();
    const b = new Browser(h);
    const noHeader = await h.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: u.email, password: PASSWORD } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error).toMatchObject({ code: 'csrf_failed', issues: [{ path: 'headers.x-roster-portal' }] });
    await b.signIn(u.email);
    const noCsrf = await b.call('DELETE', '/portal/api/session', undefined, { 'x-csrf-token': 'nope' });
    expect(noCsrf.statusCode).toBe(403);
    expect((await b.call('DELETE', '/portal/api/session')).statusCode).toBe(204);
    expect((await b.call('GET', '/portal/api/session')).statusCode).toBe(401);
    // An admin's credentials open nothing in the portal.
    expect((await h.app.inject({ url: '/portal/api/apps', headers: h.owner.headers })).statusCode).toBe(401);
  });

  it('with MFA required, makes a user enrol TOTP before My Apps, then asks for the code at each sign-in', async () => {
    const u = await invited();
    expect((await admin('PUT', '/api/settings/sign-in', { mfaRequired: true })).json()).toMatchObject({ mfaRequired: true });
    try {
      const b = new Browser(h);
      expect((await b.signIn(u.email)).json().stage).toBe('enrol');
      const blocked = await b.call('GET', '/portal/api/apps');
      expect(blocked.statusCode).toBe(401);
      expect(blocked.json().error.details).toMatchObject({ stage: 'enrol' });
      const setup = (await b.call('POST', '/portal/api/totp/setup', {})).json() as { uri: string; secret: string; qrSvg: string };
      expect(setup.uri).toMatch(/^otpauth:\/\/totp\//);
      expect(setup.qrSvg).toContain('<svg');
      const [cred] = await h.t.database.db.select().from(portalCredentials).where(eq(portalCredentials.userId, u.id));
      expect(cred!.totpSecretEnc).not.toContain(setup.secret);
      expect(decryptSecret(h.ctx.secretKey, cred!.totpSecretEnc!)).toBe(setup.secret);
      const wrong = await b.call('POST', '/portal/api/totp/confirm', { code: '000000' === totpCode(setup.secret, new Date()) ? '111111' : '000000' });
      expect(wrong.json().error.issues[0].path).toBe('body.code');
      // The step of the enrolment code is kept: the reuse below must send that same code even when a 30 s step boundary passes in between.
      const enrolledAt = new Date();
      expect((await b.call('POST', '/portal/api/totp/confirm', { code: totpCode(setup.secret, enrolledAt) })).statusCode).toBe(204);
      expect((await b.call('GET', '/portal/api/session')).json()).toMatchObject({ stage: 'full', mfa: true, totp: true });
      expect((await b.call('GET', '/portal/api/apps')).statusCode).toBe(200);

      const c = new Browser(h);
      expect((await c.signIn(u.email)).json().stage).toBe('second_factor');
      expect((await c.call('GET', '/portal/api/apps')).statusCode).toBe(401);
      // The code just used at enrolment cannot be used again; the next step's code can.
      const reused = await c.call('POST', '/portal/api/session/totp', { code: totpCode(setup.secret, enrolledAt) });
      expect(reused.statusCode).toBe(401);
      expect((await c.call('POST', '/portal/api/session/totp', { code: totpCode(setup.secret, new Date(enrolledAt.getTime() + 30_000)) })).json().stage).toBe('full');
      expect((await c.call('GET', '/portal/api/apps')).statusCode).toBe(200);
      // A user who signed in with a password only, before the policy, is sent back to enrol.
      expect((await c.call('DELETE', '/portal/api/totp')).statusCode).toBe(409);
    } finally {
      await admin('PUT', '/api/settings/sign-in', { mfaRequired: false });
    }
  });

  it('adds a passkey after sign-in and signs in with it alone, as multi-factor; refuses a forged assertion', async () => {
    const u = await invited();
    const b = new Browser(h);
    await b.signIn(u.email);
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const start = (await b.call('POST', '/portal/api/passkeys/options', {})).json() as { challengeId: string; options: { challenge: string; rp: { id: string }; user: { id: string } } };
    expect(start.options.rp.id).toBe('localhost');
    const added = await b.call('POST', '/portal/api/passkeys', { challengeId: start.challengeId, name: 'Laptop', credential: authenticator.create(start.options) });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name: 'Laptop' });
    // The challenge is single use.
    const replay = await b.call('POST', '/portal/api/passkeys', { challengeId: start.challengeId, credential: authenticator.create(start.options) });
    expect(replay.statusCode).toBe(401);
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json().passkeys).toBe(1);
    expect((await b.call('DELETE', '/portal/api/session')).statusCode).toBe(204);

    const fresh = new Browser(h);
    const opts = (await fresh.call('POST', '/portal/api/passkey-sign-in/options', {})).json() as { challengeId: string; options: { challenge: string; rpId: string } };
    const signed = await fresh.call('POST', '/portal/api/passkey-sign-in', { challengeId: opts.challengeId, credential: authenticator.get(opts.options) });
    expect(signed.json()).toMatchObject({ stage: 'full' });
    expect((await fresh.call('GET', '/portal/api/session')).json()).toMatchObject({ user: { id: u.id }, mfa: true });

    // A password sign-in now needs the passkey as its second factor.
    const two = new Browser(h);
    expect((await two.signIn(u.email)).json().stage).toBe('second_factor');
    const second = (await two.call('POST', '/portal/api/passkey-sign-in/options', {})).json() as { challengeId: string; options: { challenge: string; allowCredentials: { id: string }[] } };
    expect(second.options.allowCredentials).toHaveLength(1);
    expect((await two.call('POST', '/portal/api/passkey-sign-in', { challengeId: second.challengeId, credential: authenticator.get(second.options) })).json().stage).toBe('full');
    expect((await two.call('GET', '/portal/api/session')).json()).toMatchObject({ stage: 'full', mfa: true });

    // Forged: signed by another key; and an authenticator that did not verify the user.
    const forger = new SoftwareAuthenticator(ORIGIN);
    forger.create({ challenge: 'x', rp: { id: 'localhost' }, user: { id: 'x' } });
    const o2 = (await new Browser(h).call('POST', '/portal/api/passkey-sign-in/options', {})).json() as { challengeId: string; options: { challenge: string } };
    const forged = { ...forger.passkeys[0]!, credentialId: authenticator.passkeys[0]!.credentialId };
    const refused = await new Browser(h).call('POST', '/portal/api/passkey-sign-in', { challengeId: o2.challengeId, credential: forger.get(o2.options, forged) });
    expect(refused.statusCode).toBe(401);
    const o3 = (await new Browser(h).call('POST', '/portal/api/passkey-sign-in/options', {})).json() as { challengeId: string; options: { challenge: string } };
    authenticator.flags = 0x01;
    const noUv = await new Browser(h).call('POST', '/portal/api/passkey-sign-in', { challengeId: o3.challengeId, credential: authenticator.get(o3.options) });
    expect(noUv.statusCode).toBe(401);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['portal.passkey.add', 'portal.session.create', 'portal.session.failed']));
  });

  it('keeps the MFA policy behind manage_users and audits its change', async () => {
    expect((await admin('GET', '/api/settings/sign-in')).json()).toMatchObject({ mfaRequired: false });
    const bad = await admin('PUT', '/api/settings/sign-in', { mfaRequired: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('body.mfaRequired');
    const rows = await h.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'settings.sign_in.update'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('with MFA required, lets a user enrol a passkey right after the password, which opens My Apps', async () => {
    const u = await invited();
    expect((await admin('PUT', '/api/settings/sign-in', { mfaRequired: true })).statusCode).toBe(200);
    try {
      const b = new Browser(h);
      expect((await b.signIn(u.email)).json().stage).toBe('enrol');
      expect((await b.call('GET', '/portal/api/apps')).statusCode).toBe(401);
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const start = (await b.call('POST', '/portal/api/passkeys/options', {})).json() as { challengeId: string; options: { challenge: string; rp: { id: string }; user: { id: string } } };
      expect((await b.call('POST', '/portal/api/passkeys', { challengeId: start.challengeId, credential: authenticator.create(start.options) })).statusCode).toBe(201);
      expect((await b.call('GET', '/portal/api/session')).json()).toMatchObject({ stage: 'full', mfa: true, passkeys: 1 });
      expect((await b.call('GET', '/portal/api/apps')).statusCode).toBe(200);
      // The only second factor stays while the policy requires one.
      const only = (await b.call('GET', '/portal/api/passkeys')).json().items[0].id as string;
      const kept = await b.call('DELETE', `/portal/api/passkeys/${only}`);
      expect(kept.json().error).toMatchObject({ code: 'conflict', details: { reason: 'last_second_factor' } });
    } finally {
      await admin('PUT', '/api/settings/sign-in', { mfaRequired: false });
    }
  });

  it('reports an invitation the SMTP server refuses, and does not mark the user invited', async () => {
    const u = await newUser();
    smtp.refuseNext(1, 550);
    const refused = await admin('POST', `/api/users/${u.id}/sign-in/invite`);
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toMatchObject({ code: 'unavailable', details: { reason: 'smtp_failed' } });
    expect(refused.json().error.message).not.toContain('mail-pass-123');
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json().status).toBe('never');
    expect(await auditActions(u.id)).toContain('user.sign_in.invite.failed');
    expect((await admin('POST', `/api/users/${u.id}/sign-in/invite`)).statusCode).toBe(200);
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json().status).toBe('invited');
  });

  // Last: it exhausts the forgot-password allowance of the test's one client address.
  it('limits forgot-password requests: 3 mails per email per hour, then 429 for the address', async () => {
    const u = await invited();
    const mailsTo = () => smtp.received.filter((m) => m.envelopeTo.includes(u.email)).length;
    const before = mailsTo();
    for (let i = 0; i < 4; i++) expect((await new Browser(h).call('POST', '/portal/api/password/forgot', { email: u.email })).statusCode).toBe(202);
    await expect.poll(mailsTo, { timeout: 10_000 }).toBe(before + 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo()).toBe(before + 3);
    const answers: number[] = [];
    for (let i = 0; i < 10 && !answers.includes(429); i++) answers.push((await new Browser(h).call('POST', '/portal/api/password/forgot', { email: `nobody${i}@example.test` })).statusCode);
    expect(answers.at(-1)).toBe(429);
    expect(answers.slice(0, -1).every((c) => c === 202)).toBe(true);
  });
});
