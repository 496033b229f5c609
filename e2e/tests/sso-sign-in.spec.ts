/**
 * Single sign-on in a real browser (Chromium): a directory user, invited by email (real SMTP sink),
 * opens the application's SAML sign-in URL with an AuthnRequest made by an independent SP library
 * (@node-saml/node-saml), is sent to the portal's sign-in page, signs in, comes back, and the page
 * Roster serves posts the signed SAMLResponse to the application's assertion consumer URL under the
 * page's CSP (no inline script). The post is captured at the ACS and validated by the SP library.
 * Then IdP-initiated from My Apps, JWT (verified with jose), remote logout, and an unassigned user's refusal page. (The sandbox's own
 * `/access/saml` is another branch's; here the ACS answer is stubbed by the browser test.)
 */
import type { APIRequestContext } from '@playwright/test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { jwtVerify } from 'jose';
import type { SmtpSink } from '../../packages/roster/test/smtp-sink.ts';
import { expect, json, test } from '../support/fixtures.ts';
import { startMailRoster } from '../support/mail-roster.ts';
import type { StartedRoster } from '../support/roster-server.ts';

const OWNER_PASSWORD = 'sso-owner-password-2026';
const USER_PASSWORD = 'my sso password 2026';

let smtp: SmtpSink;
let roster: StartedRoster;
let admin: APIRequestContext;
let headers: Record<string, string>;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ({ smtp, roster, admin, csrf: headers } = await startMailRoster('sso.example.com', OWNER_PASSWORD));
});

test.afterAll(async () => {
  await admin?.dispose();
  await roster?.stop();
  await smtp?.close();
});

/** Invites a user by email and returns the link from the mail. */
async function invite(userId: string, email: string): Promise<string> {
  expect((await admin.post(`/api/users/${userId}/sign-in/invite`, { headers })).status()).toBeLessThan(300);
  await expect.poll(() => smtp.received.filter((m) => m.envelopeTo.includes(email)).length).toBe(1);
  const mail = smtp.received.find((m) => m.envelopeTo.includes(email))!;
  const link = /http:\/\/localhost:\d+\/portal\/accept-invitation#token=\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  return link!;
}

test('SP-initiated through the portal sign-in, IdP-initiated from My Apps, JWT, remote logout, and an unassigned user refused — in Chromium', async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const sub = roster.facts.sandboxSubdomain;
  const ada = { email: `ada.sso.${stamp}@example.com` };
  const adaId = (await json<{ id: string }>(await admin.post('/api/users', { data: { email: ada.email, displayName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' }, headers }))).id;
  const bobEmail = `bob.sso.${stamp}@example.com`;
  const bobId = (await json<{ id: string }>(await admin.post('/api/users', { data: { email: bobEmail, displayName: 'Bob Nobody', givenName: 'Bob', familyName: 'Nobody' }, headers }))).id;
  const app = await json<{ id: string }>(await admin.post('/api/apps', { data: { type: 'zendesk', displayName: 'Zendesk SSO', settings: { subdomain: sub } }, headers }));
  expect((await admin.post(`/api/apps/${app.id}/assignments`, { data: { principalType: 'user', principalId: adaId, role: 'agent' }, headers })).status()).toBe(201);
  const view = await json<{ version: number }>(await admin.get(`/api/apps/${app.id}/sso`));
  const sso = await json<{ certificates: { state: string; certificatePem: string }[]; target: { acsUrl: string; audience: string }; paste: { entityId: string; samlSignInUrl: string } }>(
    await admin.patch(`/api/apps/${app.id}/sso`, { data: { method: 'saml' }, headers: { ...headers, 'if-match': `"${view.version}"` } }),
  );
  const sp = new SAML({
    entryPoint: sso.paste.samlSignInUrl,
    issuer: sso.target.audience,
    callbackUrl: sso.target.acsUrl,
    audience: sso.target.audience,
    idpCert: sso.certificates.find((c) => c.state === 'active')!.certificatePem,
    idpIssuer: sso.paste.entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
  });

  // The user's own browser; the application's ACS answers with a stub page and the post is kept.
  const context = await browser.newContext({ baseURL: roster.facts.url });
  const page = await context.newPage();
  const posted: string[] = [];
  await page.route(sso.target.acsUrl, async (route) => {
    posted.push(route.request().postData() ?? '');
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>ACS reached</h1>' });
  });
  const link = await invite(adaId, ada.email);
  await page.goto(link);
  await page.getByLabel('New password').fill(USER_PASSWORD);
  await page.getByLabel('Repeat it').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await context.clearCookies();

  // SP-initiated: not signed in → the portal's sign-in page → back to the request → posted to the ACS.
  const relay = `${sso.target.acsUrl.replace(/\/access\/saml$/, '')}/agent/tickets/7`;
  await page.goto(await sp.getAuthorizeUrlAsync(relay, undefined, {}));
  await expect(page).toHaveURL(/\/portal\/sign-in\?return_to=/);
  await page.getByLabel('Email').fill(ada.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'ACS reached' })).toBeVisible();
  expect(posted).toHaveLength(1);
  const form = new URLSearchParams(posted[0]);
  expect(form.get('RelayState')).toBe(relay);
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.get('SAMLResponse')! });
  expect([profile?.nameID, profile?.['role']]).toEqual([ada.email, 'agent']);

  // IdP-initiated from My Apps.
  await page.goto('/portal');
  await page.getByTestId('my-app').getByRole('link', { name: 'Zendesk SSO' }).click();
  await expect(page.getByRole('heading', { name: 'ACS reached' })).toBeVisible();
  expect(posted).toHaveLength(2);
  const unsolicited = await sp.validatePostResponseAsync({ SAMLResponse: new URLSearchParams(posted[1]).get('SAMLResponse')! });
  expect(unsolicited.profile?.nameID).toBe(ada.email);

  // JWT: the same browser, the application switched to JWT; the token posted to /access/jwt verifies with jose.
  const secret = `zendesk-shared-secret-${stamp}`;
  const current = await json<{ version: number }>(await admin.get(`/api/apps/${app.id}/sso`));
  expect((await admin.patch(`/api/apps/${app.id}/sso`, { data: { method: 'jwt', jwtSecret: secret }, headers: { ...headers, 'if-match': `"${current.version}"` } })).status()).toBe(200);
  const jwtUrl = sso.target.acsUrl.replace(/\/access\/saml$/, '/access/jwt');
  const jwtPosts: string[] = [];
  await page.route(jwtUrl, async (route) => {
    jwtPosts.push(route.request().postData() ?? '');
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>JWT reached</h1>' });
  });
  await page.goto(`/sso/jwt/${app.id}?brand_id=1&return_to=${encodeURIComponent(relay)}`);
  await expect(page.getByRole('heading', { name: 'JWT reached' })).toBeVisible();
  const jwtForm = new URLSearchParams(jwtPosts[0]);
  expect(jwtForm.get('return_to')).toBe(relay);
  const { payload } = await jwtVerify(jwtForm.get('jwt')!, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
  expect(payload).toMatchObject({ email: ada.email, name: 'Ada Lovelace', role: 'agent' });

  // Remote logout ends the portal session.
  await page.goto(`/sso/saml/${app.id}/logout?email=${encodeURIComponent(ada.email)}`);
  await expect(page.getByTestId('sso-signed-out')).toBeVisible();
  await page.goto(`/sso/apps/${app.id}/start`);
  await expect(page).toHaveURL(/\/portal\/sign-in\?return_to=/);
  await context.close();

  // An unassigned user signs in and is refused with the access page.
  const bobContext = await browser.newContext({ baseURL: roster.facts.url });
  const bobPage = await bobContext.newPage();
  await bobPage.goto(await invite(bobId, bobEmail));
  await bobPage.getByLabel('New password').fill(USER_PASSWORD);
  await bobPage.getByLabel('Repeat it').fill(USER_PASSWORD);
  await bobPage.getByRole('button', { name: 'Set password' }).click();
  await expect(bobPage.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await bobContext.clearCookies();
  await bobPage.goto(`/sso/apps/${app.id}/start`);
  await bobPage.getByLabel('Email').fill(bobEmail);
  await bobPage.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await bobPage.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(bobPage.getByTestId('sso-refusal')).toHaveText("You don't have access to Zendesk SSO");
  await bobContext.close();
});
