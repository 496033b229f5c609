/**
 * Roster as the identity provider, checked by an independent SAML service provider (@node-saml/node-saml,
 * not Roster's code) and an independent JWT library (jose): SP- and IdP-initiated sign-in, tampered,
 * wrapped, wrong-audience, expired and replayed responses, unassigned users, bad AuthnRequests, open
 * redirects, JWT claims, certificate rotation, and the admin API's secrecy. Both database drivers.
 */
import { createPrivateKey } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { and, eq } from 'drizzle-orm';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { buildApp } from '../api/app.ts';
import type { ApiApp, AppContext } from '../api/context.ts';
import { loadConfig } from '../config/config.ts';
import { provisioningEvents } from '../db/provisioning-schema.ts';
import { decryptSecret } from '../db/crypto.ts';
import { auditLog } from '../db/schema.ts';
import { ssoCertificates } from '../db/sso-schema.ts';
import { createPortalSession, PORTAL_COOKIE } from '../people/portal-session.ts';
import { loadAppSso } from './app-sso.ts';
import { signIn } from './sign-in.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const PUBLIC_URL = 'http://roster.test';
const ZENDESK_TEMPLATE = 'http://127.0.0.1:9/{subdomain}';

/** The hidden fields and the action of the post page. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = /<form id="sso-form" method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error(`no post form in ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(m[1]!)] = unescape(m[2]!);
  return { action: unescape(action), fields };
}

const deflate = (xml: string) => deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
const inflateSamlRequest = (b64: string) => inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8');

describe.each(openTestDatabase.drivers())('Roster as SAML and JWT identity provider on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let ctx: AppContext;
  let headers: { authorization: string };
  let appId: string;
  let sub: string;
  let acs: string;
  let audience: string;
  let entityId: string;
  let certPem: string;
  const users: Record<string, { id: string; cookie: string; email: string }> = {};

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, extra: Record<string, string> = {}) => {
    const r = await app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return r;
  };
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<Json> => {
    const r = await call(method, url, payload);
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.json() as Json;
  };
  const browser = (url: string, who: string | null) => app.inject({ method: 'GET', url, headers: who ? { cookie: `${PORTAL_COOKIE}=${users[who]!.cookie}` } : {} });
  const sp = (over: Partial<ConstructorParameters<typeof SAML>[0]> = {}) =>
    new SAML({
      entryPoint: `${PUBLIC_URL}/sso/saml/${appId}`,
      issuer: audience,
      callbackUrl: acs,
      audience,
      idpCert: certPem,
      idpIssuer: entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      ...over,
    });
  /** SP-initiated round trip: the SP's AuthnRequest URL, opened by the signed-in user; the post page's fields. */
  const spInitiated = async (saml: SAML, who: string, relayState = '') => {
    const url = new URL(await saml.getAuthorizeUrlAsync(relayState, undefined, {}));
    const r = await browser(`${url.pathname}${url.search}`, who);
    return { r, url };
  };
  const events = async (code?: string) =>
    (await t.database.db.select().from(provisioningEvents).where(eq(provisioningEvents.applicationId, appId))).filter((e) => e.action === 'sign_in' && (code === undefined || e.errorCode === code));
  const audits = async (action: string) => (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.targetId, appId))));

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: ZENDESK_TEMPLATE, ROSTER_PUBLIC_URL: PUBLIC_URL });
    if (!config.ok) throw new Error(config.error.join('\n'));
    ({ app, ctx } = await buildApp({ database: t.database, config: config.value }));
    headers = (await createTestAdmin(t.database.db, { role: 'owner' })).headers;
    sub = `acme-${driver}`;
    appId = (await ok('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk Support', settings: { subdomain: sub } }))['id'];
    acs = `http://127.0.0.1:9/${sub}/access/saml`;
    audience = `${sub}.zendesk.com`;
    const people: [string, string | null][] = [
      ['ada', 'agent'],
      ['grace', 'custom:360001'],
      ['bob', null],
      ['dee', 'default-access'],
    ];
    for (const [name, role] of people) {
      const email = `${name}@${sub}.test`;
      const given = name[0]!.toUpperCase() + name.slice(1);
      const id = (await ok('POST', '/api/users', { email, givenName: given, familyName: 'Tester', displayName: `${given} Tester`, phone: '+44 20 7946 0000' }))['id'] as string;
      if (role) await ok('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: id, role, ...(role.startsWith('custom:') ? { roleLabel: 'Light agent' } : {}) });
      const session = await createPortalSession(t.database.db, { userId: id, stage: 'full', mfa: false, method: 'password' });
      users[name] = { id, cookie: session.cookieValue, email };
    }
    const view = await ok('GET', `/api/apps/${appId}/sso`);
    await ok('PATCH', `/api/apps/${appId}/sso`, { method: 'saml', version: view['version'] });
    const after = await ok('GET', `/api/apps/${appId}/sso`);
    certPem = (after['certificates'] as Json[]).find((c) => c['state'] === 'active')!['certificatePem'];
    entityId = after['paste']['entityId'];
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('SP-initiated: the independent SP accepts the response, with NameID, attributes from the mappings, RelayState, and checked Destination/Recipient', async () => {
    const relay = `http://127.0.0.1:9/${sub}/agent/tickets/1`;
    const saml = sp();
    const { r, url } = await spInitiated(saml, 'ada', relay);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-security-policy']).toContain("form-action 'self' http://127.0.0.1:9");
    const form = formOf(r.body);
    expect(form.action).toBe(acs);
    expect(form.fields['RelayState']).toBe(relay);
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.fields['SAMLResponse']! });
    expect(profile?.nameID).toBe(`ada@${sub}.test`);
    expect(profile?.nameIDFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(profile?.['role']).toBe('agent');
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname']).toBe('Ada');
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname']).toBe('Tester');
    expect(profile?.['external_id']).toBe(users['ada']!.id);
    expect(profile?.['phone']).toBe('+44 20 7946 0000');
    expect(profile?.issuer).toBe(entityId);
    // What node-saml does not check, read independently of Roster's code.
    const requestId = new DOMParser().parseFromString(Buffer.from((await import('node:zlib')).inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64'))).toString(), 'text/xml').documentElement!.getAttribute('ID');
    const doc = new DOMParser().parseFromString(Buffer.from(form.fields['SAMLResponse']!, 'base64').toString('utf8'), 'text/xml');
    const root = doc.documentElement!;
    expect(root.getAttribute('Destination')).toBe(acs);
    expect(root.getAttribute('InResponseTo')).toBe(requestId);
    const confirmation = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'SubjectConfirmationData').item(0)!;
    expect(confirmation.getAttribute('Recipient')).toBe(acs);
    const conditions = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Conditions').item(0)!;
    const lifetime = Date.parse(conditions.getAttribute('NotOnOrAfter')!) - Date.now();
    expect(lifetime).toBeGreaterThan(3 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(5 * 60_000);
    expect(doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'AuthnStatement').item(0)!.getAttribute('SessionIndex')).toMatch(/^_/);
    expect(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate').item(0)!.textContent).toBe(certPem.replace(/-----[^-]+-----|\s/g, ''));
    expect((await events()).some((e) => e.status === 'success' && e.directoryId === users['ada']!.id)).toBe(true);
    expect((await audits('sso.sign_in')).length).toBeGreaterThan(0);
  });

  it('the same response a second time is refused by the SP (InResponseTo already used), and the same AuthnRequest a second time by Roster', async () => {
    const saml = sp();
    const { r, url } = await spInitiated(saml, 'ada');
    const response = formOf(r.body).fields['SAMLResponse']!;
    await saml.validatePostResponseAsync({ SAMLResponse: response });
    await expect(saml.validatePostResponseAsync({ SAMLResponse: response })).rejects.toThrow(/InResponseTo/);
    const again = await browser(`${url.pathname}${url.search}`, 'ada');
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('sso_request_replayed');
    expect((await audits('sso.refused')).some((a) => (a.after as Json)['code'] === 'sso_request_replayed')).toBe(true);
  });

  it('markup and comment delimiters in a user’s values reach the SP as the exact text (escaped, never parsed as XML)', async () => {
    const email = `eve.${driver}@${sub}.test`;
    const given = 'Eve <!-- x --> & "Co"';
    const id = (await ok('POST', '/api/users', { email, givenName: given, familyName: "O'Brien</saml:Attribute>", displayName: `${given} O'Brien</saml:Attribute>` }))['id'] as string;
    await ok('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: id, role: 'end-user' });
    users['eve'] = { id, email, cookie: (await createPortalSession(t.database.db, { userId: id, stage: 'full', mfa: false, method: 'password' })).cookieValue };
    const saml = sp();
    const { r } = await spInitiated(saml, 'eve');
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: formOf(r.body).fields['SAMLResponse']! });
    expect(profile?.nameID).toBe(email);
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname']).toBe(given);
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname']).toBe("O'Brien</saml:Attribute>");
    expect(profile?.['role']).toBe('end-user');
  });

  it('a custom role signs in as an agent with custom_role_id', async () => {
    const saml = sp();
    const { r } = await spInitiated(saml, 'grace');
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: formOf(r.body).fields['SAMLResponse']! });
    expect([profile?.['role'], profile?.['custom_role_id']]).toEqual(['agent', '360001']);
  });

  it('IdP-initiated (My Apps): an unsolicited response the SP accepts when it allows one, and refuses when it requires InResponseTo', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    expect(r.statusCode, r.body).toBe(200);
    const response = formOf(r.body).fields['SAMLResponse']!;
    const { profile } = await sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: response });
    expect(profile?.nameID).toBe(`ada@${sub}.test`);
    await expect(sp().validatePostResponseAsync({ SAMLResponse: response })).rejects.toThrow();
  });

  it('an attribute changed after signing fails the SP’s signature check', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    const xml = Buffer.from(formOf(r.body).fields['SAMLResponse']!, 'base64').toString('utf8');
    expect(xml).toContain('>agent<');
    const tampered = Buffer.from(xml.replace('>agent<', '>admin<'), 'utf8').toString('base64');
    await expect(sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: tampered })).rejects.toThrow(/signature/i);
  });

  it('signature wrapping (a forged assertion beside the signed one) is refused by the SP', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    const xml = Buffer.from(formOf(r.body).fields['SAMLResponse']!, 'base64').toString('utf8');
    const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    // XSW: an unsigned copy naming another user, with a fresh ID, placed before the signed original.
    const forged = signed.replace(/ID="[^"]+"/, 'ID="_evil"').replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace(`ada@${sub}.test`, `boss@${sub}.test`);
    const wrapped = xml.replace(signed, forged + signed);
    await expect(sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: Buffer.from(wrapped).toString('base64') })).rejects.toThrow();
    // And the forged assertion inside the signed one's place (XSW with the original moved into an Extensions-like wrapper).
    const moved = xml.replace(signed, forged.replace('</saml:Assertion>', `<saml:Advice>${signed}</saml:Advice></saml:Assertion>`));
    await expect(sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: Buffer.from(moved).toString('base64') })).rejects.toThrow();
  });

  it('a comment put inside the signed NameID cannot shorten it: the SP reads the whole address or nothing', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    const xml = Buffer.from(formOf(r.body).fields['SAMLResponse']!, 'base64').toString('utf8');
    const email = `ada@${sub}.test`;
    expect(xml).toContain(`>${email}</saml:NameID>`);
    // Exclusive c14n drops comments, so the signature still verifies; a reader stopping at the comment would see "ada@acme".
    const commented = xml.replace(`>${email}</saml:NameID>`, `>ada@${sub}<!---->.test</saml:NameID>`);
    const { profile } = await sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: Buffer.from(commented).toString('base64') });
    expect(profile?.nameID).toBe(email);
  });

  it('duplicate IDs and a DTD with entities in a response are refused by the SP', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    const xml = Buffer.from(formOf(r.body).fields['SAMLResponse']!, 'base64').toString('utf8');
    const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(xml)![1]!;
    const strict = sp({ validateInResponseTo: ValidateInResponseTo.ifPresent });
    // A second element carrying the signed assertion's ID: which one the signature covers is ambiguous.
    const duplicated = xml.replace('<samlp:Status>', `<samlp:Extensions><x ID="${assertionId}">ada@${sub}.test</x></samlp:Extensions><samlp:Status>`);
    expect(duplicated).not.toBe(xml);
    await expect(strict.validatePostResponseAsync({ SAMLResponse: Buffer.from(duplicated).toString('base64') })).rejects.toThrow(/ID cannot refer to more than one element/);
    // An entity standing for another user inside the signed NameID: the SP's parser expands no DTD entity.
    const withEntity = `<!DOCTYPE samlp:Response [<!ENTITY who "boss@${sub}.test">]>${xml.replace(`>ada@${sub}.test</saml:NameID>`, '>&who;</saml:NameID>')}`;
    await expect(strict.validatePostResponseAsync({ SAMLResponse: Buffer.from(withEntity).toString('base64') })).rejects.toThrow(/entity/i);
  });

  it('a response for another audience is refused by the SP', async () => {
    const r = await browser(`/sso/apps/${appId}/start`, 'ada');
    await expect(sp({ audience: 'other.zendesk.com', validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: formOf(r.body).fields['SAMLResponse']! })).rejects.toThrow(/audience/i);
  });

  it('an expired response (issued 6 minutes ago) is refused by the SP', async () => {
    const sso = await loadAppSso(t.database.db, appId, PUBLIC_URL, { zendesk: ZENDESK_TEMPLATE });
    const past = new Date(Date.now() - 6 * 60_000);
    const outcome = await signIn({ db: t.database.db, secretKey: ctx.secretKey, now: () => past }, sso, { userId: users['ada']!.id, sessionId: 'session-1', authenticatedAt: past }, {});
    if (outcome.kind !== 'saml') throw new Error(`expected a SAML outcome, got ${outcome.kind}`);
    await expect(sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: outcome.samlResponse })).rejects.toThrow(/expired/i);
  });

  it('an unassigned user and a Default Access user get the 403 “You don’t have access” page, an audit entry and a provisioning-log event', async () => {
    for (const [who, code] of [
      ['bob', 'sso_not_assigned'],
      ['dee', 'sso_default_access'],
    ] as const) {
      const r = await browser(`/sso/apps/${appId}/start`, who);
      expect(r.statusCode).toBe(403);
      expect(r.body).toContain('You don&#39;t have access to Zendesk Support');
      expect(r.body).not.toContain('SAMLResponse');
      const saml = sp();
      const { r: spR } = await spInitiated(saml, who);
      expect(spR.statusCode).toBe(403);
      expect((await events(code)).length).toBeGreaterThanOrEqual(2);
      expect((await audits('sso.refused')).some((a) => (a.after as Json)['code'] === code && a.actorEmail === users[who]!.email)).toBe(true);
    }
    // The provisioning log's API lists them with their codes and advice; the audit log's API too.
    const listed = (await ok('GET', `/api/apps/${appId}/provisioning/events?action=sign_in&status=failed`))['items'] as Json[];
    expect(listed.find((e) => e['errorCode'] === 'sso_not_assigned')).toMatchObject({ identity: users['bob']!.email, status: 'failed', advice: expect.stringContaining('Assign') });
    const audit = (await ok('GET', '/api/audit?limit=200'))['items'] as Json[];
    expect(audit.some((a) => a['action'] === 'sso.refused' && a['via'] === 'sso')).toBe(true);
  });

  it('an unknown application or a malformed id is an HTML page, not the API’s JSON', async () => {
    for (const url of [`/sso/apps/00000000-0000-4000-8000-000000000000/start`, '/sso/saml/not-a-uuid', '/sso/saml/00000000-0000-4000-8000-000000000000/metadata']) {
      const r = await browser(url, 'ada');
      expect([r.statusCode, r.headers['content-type']], url).toEqual([url.includes('not-a-uuid') ? 400 : 404, 'text/html; charset=utf-8']);
      expect(r.body).toContain('sso-refusal');
    }
  });

  it('without a portal session the browser goes to the portal sign-in and comes back to the same request', async () => {
    const { r, url } = await spInitiated(sp(), 'ada');
    expect(r.statusCode).toBe(200);
    const anon = await browser(`${url.pathname}${url.search}`, null);
    expect(anon.statusCode).toBe(302);
    const location = new URL(anon.headers['location'] as string, PUBLIC_URL);
    expect(location.pathname).toBe('/portal/sign-in');
    expect(location.searchParams.get('return_to')).toBe(`${url.pathname}${url.search}`);
  });

  describe('bad AuthnRequests: a clear page, a 400 and an audit entry', () => {
    const request = (inner: { id?: string; issuer?: string; acs?: string; extra?: string; prolog?: string } = {}) =>
      `${inner.prolog ?? ''}<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${inner.id ?? `_r${Date.now()}${Math.random().toString(16).slice(2)}`}" Version="2.0" IssueInstant="${new Date().toISOString()}" AssertionConsumerServiceURL="${inner.acs ?? acs}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${inner.issuer ?? audience}</saml:Issuer>${inner.extra ?? ''}</samlp:AuthnRequest>`;
    const send = async (xml: string, relay?: string) => {
      const q = new URLSearchParams({ SAMLRequest: deflate(xml), ...(relay ? { RelayState: relay } : {}) });
      return browser(`/sso/saml/${appId}?${q.toString()}`, 'ada');
    };
    const refused = async (xml: string, code: string, relay?: string) => {
      const r = await send(xml, relay);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain(code);
      expect((await audits('sso.refused')).some((a) => (a.after as Json)['code'] === code && a.actorEmail === users['ada']!.email && (a.after as Json)['userId'] === users['ada']!.id)).toBe(true);
    };

    it('a well-formed request passes (the baseline of the cases below)', async () => {
      expect((await send(request())).statusCode).toBe(200);
    });
    it('DTD and entities', async () => {
      await refused(request({ prolog: '<!DOCTYPE r [<!ENTITY x "xx">]>', issuer: '&x;' }), 'sso_xml_dtd');
      await refused(request({ prolog: '<!DOCTYPE r SYSTEM "file:///etc/passwd">' }), 'sso_xml_dtd');
    });
    it('a huge document', async () => {
      await refused(request({ extra: `<samlp:Extensions>${'<x>a</x>'.repeat(20_000)}</samlp:Extensions>` }), 'sso_xml_too_large');
    });
    it('a comment inside a value', async () => {
      await refused(request({ issuer: `${audience}<!---->` }), 'sso_xml_comment');
      await refused(request({ issuer: `evil<!-- -->.${audience}` }), 'sso_xml_comment');
    });
    it('duplicate IDs', async () => {
      await refused(request({ id: '_dup', extra: '<samlp:Extensions><x ID="_dup"/></samlp:Extensions>' }), 'sso_xml_duplicate_id');
    });
    it('another assertion consumer URL, another issuer', async () => {
      await refused(request({ acs: 'https://evil.example/acs' }), 'sso_request_acs');
      await refused(request({ issuer: 'evil.zendesk.com' }), 'sso_request_issuer');
    });
    it('an open redirect through RelayState', async () => {
      await refused(request(), 'sso_return_url', 'https://evil.example/phish');
      await refused(request(), 'sso_return_url', `http://127.0.0.1:9/other-account/agent`);
      await refused(request(), 'sso_return_url', `http://127.0.0.1:9@evil.example/${sub}/`);
    });
    it('a POST-binding request without a portal session comes back after sign-in as a Redirect-binding request', async () => {
      const xml = request();
      const relay = `http://127.0.0.1:9/${sub}/hc/requests`;
      const anon = await app.inject({
        method: 'POST',
        url: `/sso/saml/${appId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64'), RelayState: relay }).toString(),
      });
      expect(anon.statusCode).toBe(302);
      const back = new URL(anon.headers['location'] as string, PUBLIC_URL).searchParams.get('return_to')!;
      expect(back).toMatch(new RegExp(`^/sso/saml/${appId}\\?SAMLRequest=`));
      const r = await browser(back, 'ada');
      expect(r.statusCode, r.body).toBe(200);
      expect(formOf(r.body).fields['RelayState']).toBe(relay);
    });
    it('a request that is not deflated, and a POST-binding request in a form body', async () => {
      const plain = await browser(`/sso/saml/${appId}?SAMLRequest=${encodeURIComponent(Buffer.from(request()).toString('base64'))}`, 'ada');
      expect(plain.statusCode).toBe(400);
      const posted = await app.inject({
        method: 'POST',
        url: `/sso/saml/${appId}`,
        headers: { cookie: `${PORTAL_COOKIE}=${users['ada']!.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ SAMLRequest: Buffer.from(request()).toString('base64'), RelayState: `http://127.0.0.1:9/${sub}/hc` }).toString(),
      });
      expect(posted.statusCode, posted.body).toBe(200);
      expect(formOf(posted.body).fields['RelayState']).toBe(`http://127.0.0.1:9/${sub}/hc`);
    });
  });

  it('admin API: the view never carries a private key, test sign-in shows attributes or the refusal, If-Match is required', async () => {
    const view = await call('GET', `/api/apps/${appId}/sso`);
    expect(view.body).not.toMatch(/PRIVATE KEY/);
    expect(view.headers['etag']).toBeDefined();
    const body = view.json() as Json;
    expect(body['paste']).toMatchObject({ samlSignInUrl: `${PUBLIC_URL}/sso/saml/${appId}`, remoteLogoutUrl: `${PUBLIC_URL}/sso/saml/${appId}/logout` });
    expect(body['paste']['certificateFingerprintSha256']).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const stored = await t.database.db.select().from(ssoCertificates).where(eq(ssoCertificates.applicationId, appId));
    expect(stored.every((c) => c.privateKey.startsWith('v1:') && !c.privateKey.includes('PRIVATE'))).toBe(true);

    const tested = await ok('POST', `/api/apps/${appId}/sso/test`, { userId: users['ada']!.id });
    expect(tested).toMatchObject({ method: 'saml', refusal: null, nameId: `ada@${sub}.test`, audience, recipient: acs });
    expect((tested['attributes'] as Json[]).find((a) => a['name'] === 'role')).toEqual({ name: 'role', values: ['agent'] });
    expect(JSON.stringify(tested)).not.toMatch(/Signature|PRIVATE/);
    expect((await ok('POST', `/api/apps/${appId}/sso/test`, { userId: users['bob']!.id }))['refusal']).toMatchObject({ code: 'sso_not_assigned' });

    expect((await call('PATCH', `/api/apps/${appId}/sso`, { method: 'saml' })).statusCode).toBe(428);
    expect((await call('PATCH', `/api/apps/${appId}/sso`, { method: 'saml', version: 999 })).statusCode).toBe(409);
    expect((await call('PATCH', `/api/apps/${appId}/sso`, { method: 'carrier-pigeon', version: body['version'] })).statusCode).toBe(400);
    const viewer = await createTestAdmin(t.database.db, { permissions: ['view_apps'] });
    expect((await app.inject({ method: 'PATCH', url: `/api/apps/${appId}/sso`, headers: viewer.headers, payload: { method: 'off', version: body['version'] } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/apps/${appId}/sso`, headers: viewer.headers })).statusCode).toBe(200);
  });

  it('rotation: the next certificate is published at once, signs only once activated; the old one then no longer verifies', async () => {
    const next = await ok('POST', `/api/apps/${appId}/sso/certificates/rotate`);
    expect(next['state']).toBe('next');
    expect((await call('POST', `/api/apps/${appId}/sso/certificates/rotate`)).statusCode).toBe(409);
    const metadata = await browser(`/sso/saml/${appId}/metadata`, null);
    expect(metadata.headers['content-type']).toContain('application/samlmetadata+xml');
    const md = new DOMParser().parseFromString(metadata.body, 'text/xml');
    expect(md.documentElement!.getAttribute('entityID')).toBe(entityId);
    expect(md.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate').length).toBe(2);
    // Still signed with the active certificate.
    const before = await browser(`/sso/apps/${appId}/start`, 'ada');
    await sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: formOf(before.body).fields['SAMLResponse']! });

    await ok('POST', `/api/apps/${appId}/sso/certificates/activate-next`);
    const after = await browser(`/sso/apps/${appId}/start`, 'ada');
    const response = formOf(after.body).fields['SAMLResponse']!;
    await expect(sp({ validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: response })).rejects.toThrow();
    const { profile } = await sp({ idpCert: next['certificatePem'], validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: response });
    expect(profile?.nameID).toBe(`ada@${sub}.test`);
    const certs = (await ok('GET', `/api/apps/${appId}/sso/certificates`))['items'] as Json[];
    expect(certs.map((c) => c['state']).sort()).toEqual(['active', 'retired']);
    expect((await audits('sso.certificate.rotate')).length).toBe(1);
    expect((await audits('sso.certificate.activate')).length).toBe(1);
    certPem = next['certificatePem'];

    // With no overlap, a next certificate becomes the signing one by itself at the next use.
    const view = await ok('GET', `/api/apps/${appId}/sso`);
    await ok('PATCH', `/api/apps/${appId}/sso`, { overlapDays: 0, version: view['version'] });
    const auto = await ok('POST', `/api/apps/${appId}/sso/certificates/rotate`);
    const started = await browser(`/sso/apps/${appId}/start`, 'ada');
    const { profile: autoProfile } = await sp({ idpCert: auto['certificatePem'], validateInResponseTo: ValidateInResponseTo.ifPresent }).validatePostResponseAsync({ SAMLResponse: formOf(started.body).fields['SAMLResponse']! });
    expect(autoProfile?.nameID).toBe(`ada@${sub}.test`);
    expect(((await ok('GET', `/api/apps/${appId}/sso/certificates`))['items'] as Json[]).filter((c) => c['state'] === 'active').map((c) => c['id'])).toEqual([auto['id']]);
    certPem = auto['certificatePem'];
  });

  it('JWT: HS256 verified by jose with the pasted secret; iat now, unique jti, claims from the mappings; the secret is write-only', async () => {
    const secret = 'zendesk-shared-secret-0123456789abcdef';
    const view = await ok('GET', `/api/apps/${appId}/sso`);
    const saved = await call('PATCH', `/api/apps/${appId}/sso`, { method: 'jwt', jwtSecret: secret, version: view['version'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(secret);
    expect(saved.json()).toMatchObject({ method: 'jwt', jwtSecretSet: true });
    expect(JSON.stringify(await t.database.db.select().from(auditLog))).not.toContain(secret);

    const returnTo = `http://127.0.0.1:9/${sub}/hc/en-us`;
    const jtis = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const r = await browser(`/sso/jwt/${appId}?brand_id=1&return_to=${encodeURIComponent(returnTo)}`, 'grace');
      expect(r.statusCode, r.body).toBe(200);
      const form = formOf(r.body);
      expect(form.action).toBe(`http://127.0.0.1:9/${sub}/access/jwt`);
      expect(form.fields['return_to']).toBe(returnTo);
      const { payload, protectedHeader } = await jwtVerify(form.fields['jwt']!, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
      expect(protectedHeader.alg).toBe('HS256');
      expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(10);
      expect(payload).toMatchObject({ email: `grace@${sub}.test`, name: 'Grace Tester', external_id: users['grace']!.id, role: 'agent', custom_role_id: '360001' });
      jtis.add(payload.jti!);
      await expect(jwtVerify(form.fields['jwt']!, new TextEncoder().encode('another-secret-0123456789'), { algorithms: ['HS256'] })).rejects.toThrow();
    }
    expect(jtis.size).toBe(2);
    const returnUrlRefusals = async () => (await audits('sso.refused')).filter((a) => (a.after as Json)['code'] === 'sso_return_url').length;
    const refusalsBefore = await returnUrlRefusals();
    const evil = await browser(`/sso/jwt/${appId}?return_to=${encodeURIComponent('https://evil.example/')}`, 'grace');
    expect(evil.statusCode).toBe(400);
    expect(evil.headers['content-type']).toContain('text/html');
    expect(evil.body).toContain('sso_return_url');
    expect(evil.body).not.toContain('name="jwt"');
    const start = await browser(`/sso/apps/${appId}/start?return_to=${encodeURIComponent(`http://127.0.0.1:9/${sub}.evil.example/`)}`, 'grace');
    expect([start.statusCode, start.body.includes('sso_return_url')]).toEqual([400, true]);
    expect(await returnUrlRefusals()).toBe(refusalsBefore + 2);
    expect((await browser(`/sso/jwt/${appId}`, 'bob')).statusCode).toBe(403);
    const preview = await ok('POST', `/api/apps/${appId}/sso/test`, { userId: users['grace']!.id });
    expect(preview).toMatchObject({ method: 'jwt', claims: { email: `grace@${sub}.test`, role: 'agent' } });
    expect(JSON.stringify(preview)).not.toContain(secret);
    // SAML now refused: the application signs in with JWT.
    const saml = await spInitiated(sp(), 'ada');
    expect(saml.r.statusCode).toBe(400);
  });

  it('remote logout ends the portal session and shows the signed-out page', async () => {
    const session = await createPortalSession(t.database.db, { userId: users['ada']!.id, stage: 'full', mfa: false, method: 'password' });
    const cookie = `${PORTAL_COOKIE}=${session.cookieValue}`;
    const out = await app.inject({ method: 'GET', url: `/sso/saml/${appId}/logout?email=ada%40x&external_id=1&brand_id=1`, headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('sso-signed-out');
    const after = await app.inject({ method: 'GET', url: `/sso/apps/${appId}/start`, headers: { cookie } });
    expect(after.statusCode).toBe(302);
    expect((await audits('sso.logout')).length).toBe(1);
  });

  it('no answer of any SSO route carries key material: every route in the OpenAPI document is called and grepped for every private key', async () => {
    const answers: { route: string; status: number; body: string; headers: string }[] = [];
    const keep = (route: string, r: Awaited<ReturnType<typeof call>>) => {
      answers.push({ route, status: r.statusCode, body: r.body, headers: JSON.stringify(r.headers) });
      return r;
    };
    const cookie = { cookie: `${PORTAL_COOKIE}=${users['ada']!.cookie}` };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const admin = (method: 'GET' | 'POST' | 'PATCH', route: string, url: string, payload?: unknown) => call(method, url, payload).then((r) => keep(`${method} ${route}`, r));
    const visit = (method: 'GET' | 'POST', route: string, url: string, extra: { headers?: Record<string, string>; payload?: string } = {}) =>
      app.inject({ method, url, headers: { ...cookie, ...extra.headers }, ...(extra.payload === undefined ? {} : { payload: extra.payload }) }).then((r) => keep(`${method} ${route}`, r));

    // Whatever method is on now: JWT answers and the preview first, then SAML with every certificate state.
    let view = (await admin('GET', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`)).json() as Json;
    await admin('PATCH', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`, { method: 'jwt', jwtSecret: 'zendesk-shared-secret-for-the-grep-0123', version: view['version'] });
    await visit('GET', '/sso/jwt/{appId}', `/sso/jwt/${appId}`);
    await admin('POST', '/api/apps/{id}/sso/test', `/api/apps/${appId}/sso/test`, { userId: users['ada']!.id });
    view = (await admin('GET', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`)).json() as Json;
    await admin('PATCH', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`, { method: 'saml', overlapDays: 7, version: view['version'] });
    await admin('POST', '/api/apps/{id}/sso/test', `/api/apps/${appId}/sso/test`, { userId: users['ada']!.id });
    await admin('POST', '/api/apps/{id}/sso/certificates/rotate', `/api/apps/${appId}/sso/certificates/rotate`);
    await admin('POST', '/api/apps/{id}/sso/certificates/rotate', `/api/apps/${appId}/sso/certificates/rotate`); // 409: a next one exists
    await admin('GET', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`);
    await admin('GET', '/api/apps/{id}/sso/certificates', `/api/apps/${appId}/sso/certificates`);
    await visit('GET', '/sso/saml/{appId}/metadata', `/sso/saml/${appId}/metadata`);
    await admin('POST', '/api/apps/{id}/sso/certificates/activate-next', `/api/apps/${appId}/sso/certificates/activate-next`);
    await admin('POST', '/api/apps/{id}/sso/certificates/activate-next', `/api/apps/${appId}/sso/certificates/activate-next`); // 409: none left
    await admin('GET', '/api/apps/{id}/sso/certificates', `/api/apps/${appId}/sso/certificates`);
    const { r: spAnswer, url } = await spInitiated(sp(), 'ada');
    keep('GET /sso/saml/{appId}', spAnswer);
    await visit('GET', '/sso/saml/{appId}', `${url.pathname}${url.search.replace('SAMLRequest=', 'SAMLRequest=x')}`); // a refusal page
    const posted = new URLSearchParams({ SAMLRequest: Buffer.from(inflateSamlRequest(url.searchParams.get('SAMLRequest')!).replace(/ID="[^"]+"/, `ID="_grep${Date.now()}"`)).toString('base64') });
    await visit('POST', '/sso/saml/{appId}', `/sso/saml/${appId}`, { headers: form, payload: posted.toString() });
    await visit('GET', '/sso/apps/{appId}/start', `/sso/apps/${appId}/start`);
    await visit('GET', '/sso/apps/{appId}/start', `/sso/apps/${appId}/start?return_to=${encodeURIComponent('https://evil.example/')}`);
    await visit('GET', '/sso/saml/{appId}/logout', `/sso/saml/${appId}/logout`);
    // SAML single logout, HTTP-POST binding (node-saml makes the LogoutRequest); then the redirect one with a signed response.
    const logoutSp = sp({ logoutUrl: `${PUBLIC_URL}/sso/saml/${appId}/logout` });
    const logoutXml = await (logoutSp as unknown as { _generateLogoutRequest(u: object): Promise<string> })._generateLogoutRequest({ nameID: users['ada']!.email, nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' });
    await visit('POST', '/sso/saml/{appId}/logout', `/sso/saml/${appId}/logout`, { headers: form, payload: new URLSearchParams({ SAMLRequest: Buffer.from(logoutXml).toString('base64') }).toString() });
    view = (await admin('GET', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`)).json() as Json;
    await admin('PATCH', '/api/apps/{id}/sso', `/api/apps/${appId}/sso`, { samlLogoutUrl: `http://127.0.0.1:9/${sub}/access/logout`, version: view['version'] });
    const logoutUrl = new URL(await logoutSp.getLogoutUrlAsync({ nameID: users['ada']!.email, nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' } as never, '', {}));
    expect((await visit('GET', '/sso/saml/{appId}/logout', `${logoutUrl.pathname}${logoutUrl.search}`)).statusCode).toBe(302);
    const viewer = await createTestAdmin(t.database.db, { permissions: ['view_apps'] });
    keep('GET /api/apps/{id}/sso', await app.inject({ method: 'GET', url: `/api/apps/${appId}/sso`, headers: viewer.headers }));

    // Every SSO route of the API description was called, with at least one success.
    const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const routes = Object.entries(paths).flatMap(([path, methods]) => (path.includes('/sso') ? Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`) : []));
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.filter((route) => !answers.some((a) => a.route === route && a.status < 400))).toEqual([]);

    // The key material: each stored private key decrypted, as PEM lines, DER and JWK parts; and what is stored for them.
    const stored = await t.database.db.select().from(ssoCertificates).where(eq(ssoCertificates.applicationId, appId));
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const needles = stored.flatMap((c) => {
      const pem = decryptSecret(ctx.secretKey, c.privateKey);
      const key = createPrivateKey(pem);
      const jwk = key.export({ format: 'jwk' });
      const der = (key.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
      return [c.privateKey.slice(0, 40), ...pem.split('\n').filter((l) => l.length >= 40), der.slice(100, 160), jwk.d!.slice(0, 40), jwk.p!.slice(0, 40), jwk.q!.slice(0, 40)];
    });
    for (const a of answers) {
      const text = `${a.headers}\n${a.body}`;
      expect(text, a.route).not.toMatch(/PRIVATE KEY|"privateKey"|zendesk-shared-secret-for-the-grep/);
      for (const needle of needles) expect(text.includes(needle), `${a.route} carries key material`).toBe(false);
    }
  });
});
