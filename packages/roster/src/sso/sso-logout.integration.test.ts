/**
 * SAML single logout at Roster's IdP, with @node-saml/node-saml (not Roster's code) as the service
 * provider: it builds the LogoutRequests (HTTP-Redirect and HTTP-POST) and validates Roster's
 * LogoutResponse (signature over the redirect query, issuer, Success, InResponseTo). Also: the
 * metadata, the SP logout URL setting (own URLs only), refusals (issuer, stale, replayed, Destination,
 * bad XML), and Zendesk's remote logout GET unchanged. Both database drivers.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { buildApp } from '../api/app.ts';
import type { ApiApp } from '../api/context.ts';
import { loadConfig } from '../config/config.ts';
import { portalSessions } from '../db/people-schema.ts';
import { auditLog } from '../db/schema.ts';
import { createPortalSession, PORTAL_COOKIE } from '../people/portal-session.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const PUBLIC_URL = 'http://roster.test';
const ZENDESK_TEMPLATE = 'http://127.0.0.1:9/{subdomain}';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** node-saml makes the LogoutRequest XML itself; the HTTP-POST binding is left to the caller. */
type LogoutRequestMaker = { _generateLogoutRequest(user: { nameID: string; nameIDFormat: string; sessionIndex?: string }): Promise<string> };

describe.each(openTestDatabase.drivers())('SAML single logout on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let headers: { authorization: string };
  let appId: string;
  let sub: string;
  let audience: string;
  let entityId: string;
  let certPem: string;
  let spLogoutUrl: string;
  let userId: string;
  let email: string;

  const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<Json> => {
    const r = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.json() as Json;
  };
  const patchSso = async (body: Record<string, unknown>) => {
    const view = await ok('GET', `/api/apps/${appId}/sso`);
    return app.inject({ method: 'PATCH', url: `/api/apps/${appId}/sso`, headers, payload: { ...body, version: view['version'] } });
  };
  const sp = (over: Partial<ConstructorParameters<typeof SAML>[0]> = {}) =>
    new SAML({
      entryPoint: `${PUBLIC_URL}/sso/saml/${appId}`,
      logoutUrl: `${PUBLIC_URL}/sso/saml/${appId}/logout`,
      issuer: audience,
      callbackUrl: `http://127.0.0.1:9/${sub}/access/saml`,
      audience,
      idpCert: certPem,
      idpIssuer: entityId,
      validateInResponseTo: ValidateInResponseTo.always,
      ...over,
    });
  const newSession = async () => createPortalSession(t.database.db, { userId, stage: 'full', mfa: false, method: 'password' });
  const sessionExists = async (sessionId: string) => (await t.database.db.select().from(portalSessions).where(eq(portalSessions.id, sessionId))).length === 1;
  const audits = async (action: string) => t.database.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.targetId, appId)));
  /** The LogoutResponse a redirect carries, validated by node-saml exactly as the SP would (raw query for the signature). */
  const validateAtSp = async (saml: SAML, location: string) => {
    const url = new URL(location);
    const container = Object.fromEntries(url.searchParams);
    return saml.validateRedirectAsync(container, url.search.slice(1));
  };
  const responseXml = (location: string) => inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
  const redirectRequest = async (saml: SAML, relayState: string, cookie: string | null, sessionIndex?: string) => {
    const url = new URL(await saml.getLogoutUrlAsync({ nameID: email, nameIDFormat: EMAIL_FORMAT, ...(sessionIndex ? { sessionIndex } : {}) } as never, relayState, {}));
    const r = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: cookie ? { cookie: `${PORTAL_COOKIE}=${cookie}` } : {} });
    return { r, url };
  };
  const postRequest = async (xml: string, cookie: string | null = null, relayState?: string) =>
    app.inject({
      method: 'POST',
      url: `/sso/saml/${appId}/logout`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `${PORTAL_COOKIE}=${cookie}` } : {}) },
      payload: new URLSearchParams({ SAMLRequest: Buffer.from(xml, 'utf8').toString('base64'), ...(relayState ? { RelayState: relayState } : {}) }).toString(),
    });
  /** A LogoutRequest written by hand for the cases node-saml will not produce (stale, wrong Destination). */
  const handRequest = (over: { issueInstant?: Date; destination?: string; issuer?: string; id?: string } = {}) =>
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${over.id ?? `_hand${Math.random().toString(36).slice(2)}`}" Version="2.0" IssueInstant="${(over.issueInstant ?? new Date()).toISOString()}" Destination="${over.destination ?? `${PUBLIC_URL}/sso/saml/${appId}/logout`}"><saml:Issuer>${over.issuer ?? audience}</saml:Issuer><saml:NameID Format="${EMAIL_FORMAT}">${email}</saml:NameID></samlp:LogoutRequest>`;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: ZENDESK_TEMPLATE, ROSTER_PUBLIC_URL: PUBLIC_URL });
    if (!config.ok) throw new Error(config.error.join('\n'));
    ({ app } = await buildApp({ database: t.database, config: config.value }));
    headers = (await createTestAdmin(t.database.db, { role: 'owner' })).headers;
    sub = `slo-${driver}`;
    appId = (await ok('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk Support', settings: { subdomain: sub } }))['id'];
    audience = `${sub}.zendesk.com`;
    spLogoutUrl = `http://127.0.0.1:9/${sub}/access/logout`;
    email = `ada@${sub}.test`;
    userId = (await ok('POST', '/api/users', { email, givenName: 'Ada', familyName: 'Tester', displayName: 'Ada Tester' }))['id'];
    await ok('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: userId, role: 'agent' });
    expect((await patchSso({ method: 'saml' })).statusCode).toBe(200);
    const view = await ok('GET', `/api/apps/${appId}/sso`);
    certPem = (view['certificates'] as Json[]).find((c) => c['state'] === 'active')!['certificatePem'];
    entityId = view['paste']['entityId'];
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('the metadata advertises single logout by HTTP-Redirect and HTTP-POST at the logout URL', async () => {
    const r = await app.inject({ method: 'GET', url: `/sso/saml/${appId}/metadata` });
    const location = `${PUBLIC_URL}/sso/saml/${appId}/logout`;
    expect(r.body).toContain(`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${location}"/>`);
    expect(r.body).toContain(`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${location}"/>`);
  });

  it('the SP logout URL setting takes only the application’s own URLs, and null clears it', async () => {
    for (const bad of ['https://evil.example/logout', `http://127.0.0.1:9/other-account/access/logout`, 'javascript:alert(1)', 'not a url']) {
      const r = await patchSso({ samlLogoutUrl: bad });
      expect(r.statusCode, bad).toBe(400);
      expect(r.body, bad).toContain('samlLogoutUrl');
    }
    expect((await ok('GET', `/api/apps/${appId}/sso`))['samlLogoutUrl']).toBeNull();
    const set = await patchSso({ samlLogoutUrl: spLogoutUrl });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()['samlLogoutUrl']).toBe(spLogoutUrl);
    const cleared = await patchSso({ samlLogoutUrl: null });
    expect(cleared.json()['samlLogoutUrl']).toBeNull();
    const audit = (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'sso.settings.update'), eq(auditLog.targetId, appId)))).map((a) => (a.after as Json)['samlLogoutUrl']);
    expect(audit).toContain(spLogoutUrl);
  });

  it('HTTP-Redirect: ends the portal session and answers with a signed LogoutResponse the SP accepts (Success, InResponseTo, RelayState)', async () => {
    expect((await patchSso({ samlLogoutUrl: spLogoutUrl })).statusCode).toBe(200);
    const session = await newSession();
    const saml = sp();
    const before = (await audits('sso.logout')).length;
    const { r, url } = await redirectRequest(saml, 'back-to-zendesk', session.cookieValue);
    expect(r.statusCode, r.body).toBe(302);
    const location = r.headers.location as string;
    expect(location.startsWith(`${spLogoutUrl}?SAMLResponse=`)).toBe(true);
    const sent = new URL(location).searchParams;
    expect(sent.get('RelayState')).toBe('back-to-zendesk');
    expect(sent.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(sent.get('Signature')).toBeTruthy();
    await expect(validateAtSp(saml, location)).resolves.toMatchObject({ loggedOut: true });
    const requestId = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'))![1];
    const xml = responseXml(location);
    expect(xml).toContain(`InResponseTo="${requestId}"`);
    expect(xml).toContain(`Destination="${spLogoutUrl}"`);
    expect(xml).toContain('<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>');
    expect(await sessionExists(session.sessionId)).toBe(false);
    expect(r.headers['set-cookie']).toContain(`${PORTAL_COOKIE}=;`);
    const entries = await audits('sso.logout');
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ actorEmail: email, after: { method: 'logout', userId, flow: 'saml_slo_redirect' } });
  });

  it('the SP refuses a LogoutResponse whose signature or content was changed, and one for a request it never sent', async () => {
    const session = await newSession();
    const saml = sp();
    const { r } = await redirectRequest(saml, '', session.cookieValue);
    const location = r.headers.location as string;
    const sent = new URL(location);
    // Another RelayState under the same signature.
    const relayed = `${location.split('&SigAlg=')[0]}&RelayState=elsewhere&SigAlg=${location.split('&SigAlg=')[1]}`;
    await expect(validateAtSp(saml, relayed)).rejects.toThrow(/signature/i);
    const forged = new URL(location);
    const altered = responseXml(location).replace('status:Success', 'status:Success" Extra="1');
    forged.searchParams.set('SAMLResponse', deflateRawSync(Buffer.from(altered)).toString('base64'));
    await expect(validateAtSp(saml, forged.toString())).rejects.toThrow(/signature/i);
    // A fresh SP instance never sent this request: InResponseTo is unknown to it.
    await expect(validateAtSp(sp(), sent.toString())).rejects.toThrow(/InResponseTo/);
    await expect(validateAtSp(saml, location)).resolves.toMatchObject({ loggedOut: true });
  });

  it('HTTP-POST: without a cookie (a cross-site POST carries none), the SessionIndex from the assertion names the session to end', async () => {
    const session = await newSession();
    const other = await newSession();
    const saml = sp();
    const xml = await (saml as unknown as LogoutRequestMaker)._generateLogoutRequest({ nameID: email, nameIDFormat: EMAIL_FORMAT, sessionIndex: `_${session.sessionId}` });
    const r = await postRequest(xml, null, 'relay-post');
    expect(r.statusCode, r.body).toBe(302);
    await expect(validateAtSp(saml, r.headers.location as string)).resolves.toMatchObject({ loggedOut: true });
    expect(new URL(r.headers.location as string).searchParams.get('RelayState')).toBe('relay-post');
    expect(await sessionExists(session.sessionId)).toBe(false);
    expect(await sessionExists(other.sessionId)).toBe(true);
    expect((await audits('sso.logout')).at(-1)).toMatchObject({ after: { userId, flow: 'saml_slo_post' } });
  });

  it('a SessionIndex that names no session and no cookie: nothing to end, the answer is still Success and the audit names the NameID', async () => {
    const saml = sp();
    const { r } = await redirectRequest(saml, '', null, '_not-a-session');
    expect(r.statusCode).toBe(302);
    await expect(validateAtSp(saml, r.headers.location as string)).resolves.toMatchObject({ loggedOut: true });
    expect((await audits('sso.logout')).at(-1)).toMatchObject({ actorEmail: email, after: { userId: null, flow: 'saml_slo_redirect' } });
  });

  it('refuses a replayed LogoutRequest, another issuer, a stale or future IssueInstant, another Destination and bad XML: a page, a 400 and an audit entry', async () => {
    const session = await newSession();
    const saml = sp();
    const { url } = await redirectRequest(saml, '', null);
    const again = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { cookie: `${PORTAL_COOKIE}=${session.cookieValue}` } });
    const cases: [string, Awaited<ReturnType<typeof postRequest>>][] = [
      ['sso_logout_replayed', again],
      ['sso_logout_issuer', (await redirectRequest(sp({ issuer: 'other.zendesk.com' }), '', session.cookieValue)).r],
      ['sso_logout_expired', await postRequest(handRequest({ issueInstant: new Date(Date.now() - 6 * 60_000) }), session.cookieValue)],
      ['sso_logout_expired', await postRequest(handRequest({ issueInstant: new Date(Date.now() + 6 * 60_000) }), session.cookieValue)],
      ['sso_logout_destination', await postRequest(handRequest({ destination: `${PUBLIC_URL}/sso/saml/${appId}` }), session.cookieValue)],
      ['sso_xml_dtd', await postRequest(`<!DOCTYPE x [<!ENTITY e "x">]>${handRequest()}`, session.cookieValue)],
      ['sso_logout_invalid', await postRequest(handRequest().replace('LogoutRequest', 'AuthnRequest').replace('LogoutRequest', 'AuthnRequest'), session.cookieValue)],
    ];
    for (const [code, r] of cases) {
      expect(r.statusCode, `${code}: ${r.body.slice(0, 200)}`).toBe(400);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain(`(${code})`);
    }
    const refused = (await audits('sso.refused')).map((a) => (a.after as Json)['code']);
    for (const [code] of cases) expect(refused).toContain(code);
    // None of the refused requests ended the session.
    expect(await sessionExists(session.sessionId)).toBe(true);
  });

  it('with no SP logout URL configured: the session ends and the signed-out page is shown (nowhere to send a response)', async () => {
    expect((await patchSso({ samlLogoutUrl: null })).statusCode).toBe(200);
    const session = await newSession();
    const { r } = await redirectRequest(sp(), '', session.cookieValue);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('sso-signed-out');
    expect(await sessionExists(session.sessionId)).toBe(false);
  });

  it('Zendesk’s remote logout (GET with email, external_id, brand_id) works as before: session ended, signed-out page, no LogoutResponse', async () => {
    expect((await patchSso({ samlLogoutUrl: spLogoutUrl })).statusCode).toBe(200);
    const session = await newSession();
    const r = await app.inject({ method: 'GET', url: `/sso/saml/${appId}/logout?email=${encodeURIComponent(email)}&external_id=1&brand_id=1`, headers: { cookie: `${PORTAL_COOKIE}=${session.cookieValue}` } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('sso-signed-out');
    expect(r.headers.location).toBeUndefined();
    expect(await sessionExists(session.sessionId)).toBe(false);
  });

  it('with SAML off, a LogoutRequest is refused like a sign-in', async () => {
    expect((await patchSso({ method: 'off' })).statusCode).toBe(200);
    const { r } = await redirectRequest(sp(), '', null);
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('(sso_off)');
    expect((await patchSso({ method: 'saml' })).statusCode).toBe(200);
  });
});
