/**
 * Scenario "a directory user signs in": the admin invites a user from the user's page (the email
 * goes through a real SMTP server), the user opens the link, sets a password, signs in, adds a
 * passkey with Chromium's virtual authenticator, signs out, signs in with the passkey alone and sees
 * My Apps with the application assigned to them.
 * This scenario runs its own Roster at http://localhost:<port>: a passkey's relying party must be a
 * host name (browsers refuse an IP address), and the invitation needs ROSTER_SMTP_URL.
 */
import type { APIRequestContext, Browser } from '@playwright/test';
import type { SmtpSink } from '../../packages/roster/test/smtp-sink.ts';
import { expect, json, shot, test } from '../support/fixtures.ts';
import { startMailRoster } from '../support/mail-roster.ts';
import type { StartedRoster } from '../support/roster-server.ts';

const OWNER_PASSWORD = 'portal-owner-password-2026';
const USER_PASSWORD = 'my portal password 2026';

let smtp: SmtpSink;
let roster: StartedRoster;
let admin: APIRequestContext;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ({ smtp, roster, admin } = await startMailRoster('portal.example.com', OWNER_PASSWORD));
});

test.afterAll(async () => {
  await admin?.dispose();
  await roster?.stop();
  await smtp?.close();
});

/** An admin's browser, signed in through the sign-in page. */
async function adminPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: roster.facts.url });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(roster.facts.ownerEmail);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  return { context, page };
}

test('a directory user is invited by email, sets a password and a passkey, and signs in with the passkey to My Apps', async ({ browser }) => {
  test.setTimeout(180_000);
  const session = await json<{ csrfToken: string }>(await admin.get('/api/session'));
  const headers = { 'x-csrf-token': session.csrfToken };
  // This Roster is fresh for the scenario, so a fixed email keeps the guide's screenshots the same run after run.
  const email = 'paula.portal@example.com';
  const user = await json<{ id: string }>(await admin.post('/api/users', { data: { email, displayName: 'Paula Portal', givenName: 'Paula', familyName: 'Portal' }, headers }));
  const app = await json<{ id: string }>(await admin.post('/api/apps', { data: { type: 'zendesk', displayName: 'Zendesk – Support', settings: { subdomain: roster.facts.sandboxSubdomain } }, headers }));
  expect((await admin.post(`/api/apps/${app.id}/assignments`, { data: { principalType: 'user', principalId: user.id, role: 'agent' }, headers })).status()).toBe(201);

  // The admin sends the invitation from the user's page.
  const a = await adminPage(browser);
  await a.page.goto(`/users/${user.id}`);
  const panel = a.page.getByTestId('sign-in-panel');
  await expect(panel.getByText('Never invited')).toBeVisible();
  await panel.getByRole('button', { name: 'Send invitation' }).click();
  await expect(panel.getByText('Invited', { exact: true })).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await shot(a.page, 'user-sign-in-panel', { guide: true });
  await expect.poll(() => smtp.received.filter((m) => m.envelopeTo.includes(email)).length).toBe(1);
  const mail = smtp.received.find((m) => m.envelopeTo.includes(email))!;
  const link = /http:\/\/localhost:\d+\/portal\/accept-invitation#token=\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();

  // The user, in a browser of their own, sets a password and signs in.
  const context = await browser.newContext({ baseURL: roster.facts.url });
  const page = await context.newPage();
  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await page.getByLabel('New password').fill(USER_PASSWORD);
  await page.getByLabel('Repeat it').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await shot(page, 'portal-sign-in', { guide: true });
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'My Apps' })).toBeVisible();
  await expect(page.getByTestId('my-app')).toHaveCount(1);

  // A passkey, made by Chromium's virtual authenticator (user verification included).
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByRole('heading', { name: 'Security' })).toBeVisible();
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByTestId('passkey-row')).toHaveCount(1);
  expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
  await shot(page, 'portal-security', { guide: true });

  // Sign out; sign in with the passkey alone.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await page.request.get('/portal/api/apps')).status()).toBe(401);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'My Apps' })).toBeVisible();
  const appCard = page.getByTestId('my-app');
  await expect(appCard).toHaveCount(1);
  await expect(appCard.getByRole('link', { name: 'Zendesk – Support' })).toHaveAttribute('href', `/sso/apps/${app.id}/start`);
  await expect(appCard).toContainText('Agent');
  await shot(page, 'portal-my-apps', { guide: true });

  // Behind the page: the session counts as multi-factor, and the admin sees it.
  const state = await json<{ mfa: boolean; passkeys: number }>(await page.request.get('/portal/api/session'));
  expect(state).toMatchObject({ mfa: true, passkeys: 1 });
  const status = await json<{ status: string; passkeys: number; sessions: { method: string }[] }>(await admin.get(`/api/users/${user.id}/sign-in`));
  expect(status).toMatchObject({ status: 'active', passkeys: 1 });
  expect(status.sessions.map((s) => s.method)).toContain('passkey');

  // A return_to off the site is refused by the server with the refusal page (no open redirect);
  // one back to the sign-in page itself is the browser's to turn into My Apps.
  const refused = await page.goto('/portal/sign-in?return_to=%2F%2Fevil.example.com%2F');
  expect(refused?.status()).toBe(400);
  await expect(page.getByTestId('sso-refusal')).toHaveText('Sign-in to Roster refused');
  await page.goto('/portal/sign-in?return_to=%2Fportal%2Fsign-in');
  await expect(page).toHaveURL(/\/portal$/);
  await context.close();
  await a.context.close();
});
