/**
 * Scenario "single sign-on to Zendesk" across the three SSO parts: the admin sets up SSO for a Zendesk
 * application on its SSO tab and pastes what it shows into the sandbox's Zendesk (through the sandbox's
 * control API, standing in for Admin Center); a directory user invited by email (real SMTP server) sets
 * a password, opens the sandbox's Zendesk, is sent to Roster, signs in and lands in Zendesk signed in as
 * themselves with the role of their assignment — through SAML, then through JWT, then with a passkey
 * (Chromium's virtual authenticator) after signing out; signing out of Zendesk
 * goes to Roster's remote logout URL and ends the portal session; an unassigned user is refused.
 * Own Roster at http://localhost:<port> (invitations need ROSTER_SMTP_URL); the sandbox's Zendesk is
 * at http://127.0.0.1:<port>/<sub>, so the browser really crosses from one site to the other.
 */
import { type APIRequestContext, type Browser, type BrowserContext, type Page, request } from '@playwright/test';
import type { SmtpSink } from '../../packages/roster/test/smtp-sink.ts';
import { unique } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';
import { startMailRoster } from '../support/mail-roster.ts';
import type { StartedRoster } from '../support/roster-server.ts';

const OWNER_PASSWORD = 'sso-owner-password-2026';
const USER_PASSWORD = 'my sso portal password 2026';

let smtp: SmtpSink;
let roster: StartedRoster;
let admin: APIRequestContext;
let sandbox: APIRequestContext;
let csrf: Record<string, string>;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ({ smtp, roster, admin, csrf } = await startMailRoster('sso.example.com', OWNER_PASSWORD));
  sandbox = await request.newContext({ baseURL: roster.facts.sandboxUrl });
});

test.afterAll(async () => {
  await admin?.dispose();
  await sandbox?.dispose();
  await roster?.stop();
  await smtp?.close();
});

/** An admin's browser, signed in through the sign-in page. */
async function adminPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: roster.facts.url });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(roster.facts.ownerEmail);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  return { context, page };
}

interface Person {
  id: string;
  email: string;
}

/** A directory user, invited by email; the link from the email is used in the user's own browser to set a password. */
async function invitedUser(browser: Browser, name: [string, string]): Promise<Person> {
  const email = `${unique(name[0].toLowerCase())}@example.com`;
  const user = await json<{ id: string }>(await admin.post('/api/users', { data: { email, displayName: name.join(' '), givenName: name[0], familyName: name[1] }, headers: csrf }));
  await json(await admin.post(`/api/users/${user.id}/sign-in/invite`, { headers: csrf }));
  await expect.poll(() => smtp.received.filter((m) => m.envelopeTo.includes(email)).length).toBe(1);
  const mail = smtp.received.find((m) => m.envelopeTo.includes(email))!;
  const link = /http:\/\/localhost:\d+\/portal\/accept-invitation#token=\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await page.getByLabel('New password').fill(USER_PASSWORD);
  await page.getByLabel('Repeat it').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await context.close();
  return { id: user.id, email };
}

/** Opens the sandbox's Zendesk in a fresh browser: Zendesk sends the visitor to Roster, who signs in there. */
async function openZendeskAndSignIn(browser: Browser, zendeskHome: string, person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(zendeskHome);
  await expect(page).toHaveURL(new RegExp(`^${roster.facts.url}/portal/sign-in\\?return_to=`));
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  return { context, page };
}

async function zendeskUser(subdomain: string, email: string): Promise<Record<string, unknown> | undefined> {
  const snap = await json<{ users: Record<string, unknown>[] }>(await sandbox.get(`/__sandbox/accounts/${subdomain}/snapshot`));
  return snap.users.find((u) => u['email'] === email);
}

test('a directory user signs in to Zendesk through Roster with SAML, then JWT, then a passkey; sign-out ends the portal session; an unassigned user is refused', async ({ browser }) => {
  test.setTimeout(240_000);
  const subdomain = unique('ssozd').replace(/[^a-z0-9]/g, '');
  await json(await sandbox.post('/__sandbox/accounts', { data: { subdomain, plan: 'enterprise' } }));
  const zendeskHome = `${roster.facts.sandboxUrl}/${subdomain}/`;

  const app = await json<{ id: string }>(await admin.post('/api/apps', { data: { type: 'zendesk', displayName: 'Zendesk – SSO', settings: { subdomain } }, headers: csrf }));
  const sam = await invitedUser(browser, ['Sam', 'Saml']);
  const uma = await invitedUser(browser, ['Uma', 'Unassigned']);
  expect((await admin.post(`/api/apps/${app.id}/assignments`, { data: { principalType: 'user', principalId: sam.id, role: 'agent' }, headers: csrf })).status()).toBe(201);

  // The admin turns SAML on in the SSO tab and reads what to paste into Zendesk Admin Center.
  const a = await adminPage(browser);
  await a.page.goto(`/apps/${app.id}/sso`);
  const tab = a.page.getByTestId('sso-tab');
  await tab.getByTestId('sso-method').getByText('SAML 2.0').click();
  await expect(a.page.getByText('SSO settings saved.')).toBeVisible();
  const samlUrl = (await tab.getByTestId('sso-saml-url').textContent())!;
  const fingerprint = (await tab.getByTestId('sso-fingerprint').textContent())!;
  const logoutUrl = (await tab.getByTestId('sso-logout-url').textContent())!;
  expect(samlUrl).toBe(`${roster.facts.url}/sso/saml/${app.id}`);
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i);
  expect(logoutUrl).toBe(`${roster.facts.url}/sso/saml/${app.id}/logout`);

  // …and pastes it into Zendesk (the sandbox's Admin Center is its control API).
  await json(await sandbox.put(`/__sandbox/accounts/${subdomain}/sso`, { data: { saml: { enabled: true, signInUrl: samlUrl, certFingerprint: fingerprint, remoteLogoutUrl: logoutUrl }, agents: true, endUsers: true } }));

  // SAML: Zendesk → Roster's sign-in → back in Zendesk as Sam, agent.
  const s = await openZendeskAndSignIn(browser, zendeskHome, sam);
  await expect(s.page).toHaveURL(zendeskHome);
  await expect(s.page.getByTestId('zendesk-user')).toHaveText(sam.email);
  await expect(s.page.getByTestId('zendesk-role')).toHaveText('agent');
  expect(await zendeskUser(subdomain, sam.email)).toMatchObject({ name: 'Sam Saml', role: 'agent' });
  expect((await s.page.request.get(`${roster.facts.url}/portal/api/session`)).status()).toBe(200);

  // Sign-out in Zendesk goes to Roster's remote logout URL, which ends the portal session.
  await s.page.getByRole('link', { name: 'Sign out' }).click();
  await expect(s.page).toHaveURL(new RegExp(`^${logoutUrl}\\?`));
  const out = new URL(s.page.url());
  expect(out.searchParams.get('email')).toBe(sam.email);
  expect(out.searchParams.has('brand_id')).toBe(true);
  expect((await s.page.request.get(`${roster.facts.url}/portal/api/session`)).status()).toBe(401);
  // Zendesk's session is gone too: opening it again goes back to Roster's sign-in.
  await s.page.goto(zendeskHome);
  await expect(s.page).toHaveURL(new RegExp(`^${roster.facts.url}/portal/sign-in`));
  await s.context.close();

  // An unassigned user signs in at Roster but gets no assertion: Roster's "no access" page; Zendesk never sees them.
  const u = await openZendeskAndSignIn(browser, zendeskHome, uma);
  await expect(u.page.getByText(/You don.t have access to Zendesk – SSO/)).toBeVisible();
  expect(u.page.url().startsWith(roster.facts.url)).toBe(true);
  expect(await zendeskUser(subdomain, uma.email)).toBeUndefined();
  await u.context.close();

  // JWT: Zendesk generates the shared secret; the admin pastes it into Roster and switches the method.
  const zendeskSso = await json<{ sso: { jwt: { sharedSecret: string } } }>(
    await sandbox.put(`/__sandbox/accounts/${subdomain}/sso`, { data: { saml: { enabled: false }, jwt: { enabled: true, signInUrl: `${roster.facts.url}/sso/jwt/${app.id}`, remoteLogoutUrl: logoutUrl } } }),
  );
  await tab.getByTestId('sso-jwt-secret').fill(zendeskSso.sso.jwt.sharedSecret);
  await tab.getByRole('button', { name: 'Save secret' }).click();
  await expect(tab.getByText('A secret is set.', { exact: false })).toBeVisible();
  await tab.getByTestId('sso-method').getByText('JWT').click();
  await expect(tab.getByTestId('sso-jwt-url')).toHaveText(`${roster.facts.url}/sso/jwt/${app.id}`);
  await a.context.close();

  const j = await openZendeskAndSignIn(browser, zendeskHome, sam);
  await expect(j.page).toHaveURL(zendeskHome);
  await expect(j.page.getByTestId('zendesk-user')).toHaveText(sam.email);
  await expect(j.page.getByTestId('zendesk-role')).toHaveText('agent');
  const writes = await json<{ writes: { kind: string; path: string }[] }>(await sandbox.get(`/__sandbox/accounts/${subdomain}/writes`));
  expect(writes.writes.map((w) => `${w.kind} ${w.path}`)).toEqual(['user.create /access/saml', 'user.update /access/jwt']);

  // Sam adds a passkey in Roster's portal (Chromium's virtual authenticator), signs out of Zendesk, and
  // next time Zendesk sends him to Roster he signs in with the passkey alone and lands back in Zendesk.
  const cdp = await j.context.newCDPSession(j.page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await j.page.goto(`${roster.facts.url}/portal/security`);
  await j.page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(j.page.getByTestId('passkey-row')).toHaveCount(1);
  expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
  await j.page.goto(zendeskHome);
  await j.page.getByRole('link', { name: 'Sign out' }).click();
  await expect(j.page).toHaveURL(new RegExp(`^${logoutUrl}\\?`));
  expect((await j.page.request.get(`${roster.facts.url}/portal/api/session`)).status()).toBe(401);
  await j.page.goto(zendeskHome);
  await expect(j.page).toHaveURL(new RegExp(`^${roster.facts.url}/portal/sign-in\\?return_to=`));
  await j.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(j.page).toHaveURL(zendeskHome);
  await expect(j.page.getByTestId('zendesk-user')).toHaveText(sam.email);
  const signIn = await json<{ sessions: { method: string }[] }>(await admin.get(`/api/users/${sam.id}/sign-in`));
  expect(signIn.sessions.map((x) => x.method)).toContain('passkey');
  await j.context.close();
});
