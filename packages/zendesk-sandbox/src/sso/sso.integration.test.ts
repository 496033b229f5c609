import { inflateRawSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';
import { assertionXml, makeIdp, responseXml, signedResponse, signElement, type AssertionOptions, type TestIdp } from '../../test/saml-idp.ts';

const IDP_URL = 'https://idp.test/sso/saml/app-1';
const IDP_LOGOUT = 'https://idp.test/sso/saml/app-1/logout';
const JWT_URL = 'https://idp.test/sso/jwt/app-1';
const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

let h: Harness;
let idp: TestIdp;
let other: TestIdp;
let acs: string;
let seq = 0;
const nextEmail = () => `person${++seq}@acme.test`;

beforeAll(async () => {
  h = await startHarness();
  idp = makeIdp();
  other = makeIdp('Other IdP');
  acs = `${h.url}/acme/access/saml`;
});
afterAll(() => h.close());

async function configureSaml(extra: Json = {}) {
  const r = await h.control('PUT', '/__sandbox/accounts/acme/sso', {
    saml: { enabled: true, signInUrl: IDP_URL, certFingerprint: idp.fingerprint.toLowerCase(), remoteLogoutUrl: IDP_LOGOUT },
    jwt: { enabled: false },
    agents: true,
    endUsers: true,
    ...extra,
  });
  expect(r.status).toBe(200);
  return r.body.sso;
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

async function postSaml(base64: string, relayState = '') {
  const res = await fetch(acs, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: base64, RelayState: relayState }) });
  return { res, html: await res.text() };
}

async function writesCount(): Promise<number> {
  return (await h.control('GET', '/__sandbox/accounts/acme/writes')).body.writes.length;
}

async function userByEmail(email: string): Promise<Json> {
  const r = await h.call('GET', `/acme/api/v2/users/search?query=${encodeURIComponent(`email:${email}`)}`);
  return r.body.users[0];
}

const opts = (email: string, extra: Partial<AssertionOptions> = {}): AssertionOptions => ({ email, acsUrl: acs, audience: 'acme.zendesk.com', ...extra });

describe('SSO settings through the control API', () => {
  it('validates the settings, generates the JWT shared secret and rotates it', async () => {
    const bad = await h.control('PUT', '/__sandbox/accounts/acme/sso', { saml: { enabled: true, signInUrl: IDP_URL } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('certFingerprint');
    const badPrint = await h.control('PUT', '/__sandbox/accounts/acme/sso', { saml: { enabled: true, signInUrl: IDP_URL, certFingerprint: 'AB:CD' } });
    expect(badPrint.status).toBe(400);
    const badUrl = await h.control('PUT', '/__sandbox/accounts/acme/sso', { jwt: { enabled: true, signInUrl: 'javascript:alert(1)' } });
    expect(badUrl.status).toBe(400);

    const on = await h.control('PUT', '/__sandbox/accounts/acme/sso', { jwt: { enabled: true, signInUrl: JWT_URL }, agents: true, endUsers: true });
    expect(on.status).toBe(200);
    expect(on.body.sso.jwt.sharedSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(on.body.sso).toMatchObject({ acsUrl: `${h.url}/acme/access/saml`, audience: 'acme.zendesk.com', brandId: expect.any(Number) });
    const rotated = await h.control('POST', '/__sandbox/accounts/acme/sso/jwt/rotate-secret');
    expect(rotated.body.sso.jwt.sharedSecret).not.toBe(on.body.sso.jwt.sharedSecret);
    const shown = await h.control('GET', '/__sandbox/accounts/acme/sso');
    expect(shown.body.sso.jwt.sharedSecret).toBe(rotated.body.sso.jwt.sharedSecret);
    expect((await configureSaml()).saml.certFingerprint).toBe(idp.fingerprint);
  });
});

describe('SAML', () => {
  beforeEach(() => configureSaml());

  it('sends an unsigned visitor to the IdP with a deflated AuthnRequest and RelayState, then signs the user in from the response', async () => {
    const start = await fetch(`${h.url}/acme/?return_to=${encodeURIComponent(`${h.url}/acme/tickets/1`)}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(IDP_URL);
    expect(location.searchParams.get('RelayState')).toBe(`${h.url}/acme/tickets/1`);
    const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    expect(request).toContain(`AssertionConsumerServiceURL="${acs}"`);
    expect(request).toContain('<saml:Issuer>acme.zendesk.com</saml:Issuer>');
    expect(request).toMatch(/IssueInstant="\d{4}-\d\d-\d\dT/);
    const requestId = /ID="([^"]+)"/.exec(request)?.[1] ?? '';

    const email = nextEmail();
    const before = await writesCount();
    const { base64 } = signedResponse(idp, opts(email, {
      inResponseTo: requestId,
      attributes: { [`${CLAIMS}givenname`]: 'Ada', [`${CLAIMS}surname`]: 'Lovelace', role: 'agent', external_id: 'emp-42', tags: ['vip', 'emea'], phone: '+44 20 7946 0000', user_field_department: 'Engineering' },
    }));
    const { res } = await postSaml(base64, location.searchParams.get('RelayState') ?? '');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${h.url}/acme/tickets/1`);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^zd_sandbox_acme=/);

    const home = await fetch(`${h.url}/acme/`, { headers: { cookie } });
    const html = await home.text();
    expect(html).toContain(`data-testid="zendesk-user">${email}<`);
    expect(html).toContain('data-testid="zendesk-role">agent<');
    expect(html).toContain('Ada Lovelace');

    const user = await userByEmail(email);
    expect(user).toMatchObject({ name: 'Ada Lovelace', role: 'agent', external_id: 'emp-42', phone: '+44 20 7946 0000', user_fields: { department: 'Engineering' } });
    expect(user.tags.sort()).toEqual(['emea', 'vip']);
    const writes = (await h.control('GET', `/__sandbox/accounts/acme/writes?since=${before}`)).body.writes;
    expect(writes).toEqual([expect.objectContaining({ kind: 'user.create', method: 'POST', path: '/access/saml', userId: user.id })]);

    // The same request id cannot be answered twice.
    const again = signedResponse(idp, opts(email, { inResponseTo: requestId }));
    const second = await postSaml(again.base64);
    expect(second.res.status).toBe(401);
    expect(second.html).toContain('InResponseTo');
  });

  it('accepts an IdP-initiated response and updates an existing user just in time', async () => {
    const email = nextEmail();
    const first = await postSaml(signedResponse(idp, opts(email, { attributes: { [`${CLAIMS}givenname`]: 'Grace', [`${CLAIMS}surname`]: 'Hopper' } })).base64);
    expect(first.res.status).toBe(302);
    expect(first.res.headers.get('location')).toBe(`${h.url}/acme/`);
    expect(await userByEmail(email)).toMatchObject({ name: 'Grace Hopper', role: 'end-user' });
    const before = await writesCount();
    const second = await postSaml(signedResponse(idp, opts(email, { attributes: { [`${CLAIMS}givenname`]: 'Grace', [`${CLAIMS}surname`]: 'Hopper', role: 'admin' } })).base64);
    expect(second.res.status).toBe(302);
    expect(await userByEmail(email)).toMatchObject({ role: 'admin' });
    const writes = (await h.control('GET', `/__sandbox/accounts/acme/writes?since=${before}`)).body.writes;
    expect(writes).toEqual([expect.objectContaining({ kind: 'user.update', path: '/access/saml', before: expect.objectContaining({ email }) })]);
  });

  it('accepts a response signed as a whole (not the assertion), and refuses it once changed', async () => {
    const email = nextEmail();
    const signed = signElement(responseXml(assertionXml(opts(email, { attributes: { role: 'agent' } })), { destination: acs }), 'Response', idp);
    const { res } = await postSaml(Buffer.from(signed).toString('base64'));
    expect(res.status).toBe(302);
    expect(await userByEmail(email)).toMatchObject({ role: 'agent' });
    const other = nextEmail();
    const again = signElement(responseXml(assertionXml(opts(other)), { destination: acs }), 'Response', idp).replace(other, `x${other}`);
    const before = await writesCount();
    const refusedRes = await postSaml(Buffer.from(again).toString('base64'));
    expect(refusedRes.res.status).toBe(401);
    expect(refusedRes.html).toContain('signature is invalid');
    expect(await writesCount()).toBe(before);
  });

  it('never redirects to a RelayState outside the account', async () => {
    const { res } = await postSaml(signedResponse(idp, opts(nextEmail())).base64, 'https://evil.example/phish');
    expect(res.headers.get('location')).toBe(`${h.url}/acme/`);
  });

  async function refused(base64: string, reason: RegExp, status = 401) {
    const email = (/<saml:NameID[^>]*>([^<]+)</.exec(Buffer.from(base64, 'base64').toString('utf8')) ?? [])[1] ?? '';
    const before = await writesCount();
    const { res, html } = await postSaml(base64);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(html).toMatch(reason);
    expect(await writesCount()).toBe(before);
    if (email) expect(await userByEmail(email)).toBeUndefined();
  }

  it('refuses a certificate that does not match the fingerprint', async () => {
    await refused(signedResponse(other, opts(nextEmail())).base64, /Fingerprint mismatch/);
  });

  it('refuses an expired assertion', async () => {
    await refused(signedResponse(idp, opts(nextEmail(), { notBefore: -3600_000, notOnOrAfter: -600_000 })).base64, /expired/);
  });

  it('refuses another audience', async () => {
    await refused(signedResponse(idp, opts(nextEmail(), { audience: 'other.zendesk.com' })).base64, /not for acme\.zendesk\.com/);
  });

  it('refuses another recipient', async () => {
    await refused(signedResponse(idp, opts(nextEmail(), { acsUrl: `${h.url}/other/access/saml`, destination: acs })).base64, /recipient is http:\/\/[^ ]+\/other\/access\/saml/);
    await refused(signedResponse(idp, opts(nextEmail(), { destination: `${h.url}/other/access/saml` })).base64, /addressed to/);
  });

  it('refuses a replayed assertion', async () => {
    const { base64 } = signedResponse(idp, opts(nextEmail()));
    expect((await postSaml(base64)).res.status).toBe(302);
    const before = await writesCount();
    const again = await postSaml(base64);
    expect(again.res.status).toBe(401);
    expect(again.html).toContain('already used');
    expect(await writesCount()).toBe(before);
  });

  it('refuses a response changed after signing', async () => {
    const email = nextEmail();
    const { xml } = signedResponse(idp, opts(email, { attributes: { role: 'end-user' } }));
    const tampered = xml.replace('<saml:AttributeValue>end-user</saml:AttributeValue>', '<saml:AttributeValue>admin</saml:AttributeValue>');
    expect(tampered).not.toBe(xml);
    await refused(Buffer.from(tampered).toString('base64'), /signature is invalid/);
  });

  it('refuses signature wrapping: a forged assertion next to (or around) a validly signed one', async () => {
    const victim = nextEmail();
    const signed = signElement(assertionXml(opts(victim)), 'Assertion', idp);
    const signedId = /ID="([^"]+)"/.exec(signed)?.[1] ?? '';
    // 1. The signed assertion hidden in Extensions; a forged, unsigned assertion with another id is the one read.
    const forged = assertionXml(opts(nextEmail(), { attributes: { role: 'admin' } }));
    const wrapped1 = responseXml(`<samlp:Extensions>${signed}</samlp:Extensions>${forged}`, { destination: acs });
    await refused(Buffer.from(wrapped1).toString('base64'), /not signed|exactly one/);
    // 2. The forged assertion carries the signed one's id and signature (the signature now points at it).
    const sigBlock = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)?.[0] ?? '';
    const forgedSameId = assertionXml(opts(nextEmail(), { assertionId: signedId, attributes: { role: 'admin' } })).replace('</saml:Issuer>', `</saml:Issuer>${sigBlock}`);
    const wrapped2 = responseXml(`${forgedSameId}<samlp:Extensions>${signed}</samlp:Extensions>`, { destination: acs });
    await refused(Buffer.from(wrapped2).toString('base64'), /same ID|exactly one/, 400);
    // 3. Same forged assertion alone with the copied signature: the digest no longer matches.
    await refused(Buffer.from(responseXml(forgedSameId, { destination: acs })).toString('base64'), /signature is invalid/);
  });

  it('reads the NameID as signed: a comment inside it cannot shorten it to another user', async () => {
    const owner = await userByEmail('admin@acme.test');
    const { xml } = signedResponse(idp, opts('admin@acme.test.evil.test'));
    // Canonicalization drops comments, so the signature still verifies; a reader that stopped at the comment would see admin@acme.test.
    const withComment = xml.replace('admin@acme.test.evil.test', 'admin@acme.test<!---->.evil.test');
    const { res } = await postSaml(Buffer.from(withComment).toString('base64'));
    expect(res.status).toBe(302);
    const html = await (await fetch(`${h.url}/acme/`, { headers: { cookie: cookieOf(res) } })).text();
    expect(html).toContain('data-testid="zendesk-user">admin@acme.test.evil.test<');
    expect(await userByEmail('admin@acme.test')).toMatchObject({ id: owner.id, role: 'admin', name: owner.name });
  });

  it('refuses a DTD', async () => {
    const { xml } = signedResponse(idp, opts(nextEmail()));
    const withDtd = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>${xml}`;
    await refused(Buffer.from(withDtd).toString('base64'), /DTD/, 400);
  });

  it('refuses XML that is not well-formed', async () => {
    const { xml } = signedResponse(idp, opts(nextEmail()));
    await refused(Buffer.from(xml.replace('<samlp:Status>', '<samlp:Status a="1>')).toString('base64'), /not well-formed/, 400);
  });

  it('refuses an answer to a request it never sent', async () => {
    await refused(signedResponse(idp, opts(nextEmail(), { inResponseTo: '_never-issued' })).base64, /did not send/);
  });

  it('refuses team members when SSO is on for end users only', async () => {
    await configureSaml({ agents: false });
    await refused(signedResponse(idp, opts(nextEmail(), { attributes: { role: 'agent' } })).base64, /not enabled for team members/, 403);
  });

  it('signs out to the remote logout URL with email, external_id and brand_id', async () => {
    const email = nextEmail();
    const sso = await configureSaml();
    const { res } = await postSaml(signedResponse(idp, opts(email, { attributes: { external_id: `ext-${seq}` } })).base64);
    const cookie = cookieOf(res);
    const out = await fetch(`${h.url}/acme/access/logout`, { redirect: 'manual', headers: { cookie } });
    expect(out.status).toBe(302);
    const to = new URL(out.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(IDP_LOGOUT);
    expect(Object.fromEntries(to.searchParams)).toEqual({ email, external_id: `ext-${seq}`, brand_id: String(sso.brandId) });
    const after = await fetch(`${h.url}/acme/`, { redirect: 'manual', headers: { cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toContain(IDP_URL);
  });
});

describe('JWT', () => {
  let secret = '';
  let brandId = 0;
  beforeAll(async () => {
    const r = await h.control('PUT', '/__sandbox/accounts/acme/sso', { saml: { enabled: false }, jwt: { enabled: true, signInUrl: JWT_URL, remoteLogoutUrl: 'https://idp.test/jwt/logout' }, agents: true, endUsers: true });
    secret = r.body.sso.jwt.sharedSecret;
    brandId = r.body.sso.brandId;
  });

  const token = (claims: Record<string, unknown>, key = secret) =>
    new SignJWT({ iat: Math.floor(Date.now() / 1000), jti: `j-${Math.random()}`, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));

  async function postJwt(jwt: string, returnTo = '') {
    const res = await fetch(`${h.url}/acme/access/jwt`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ jwt, return_to: returnTo }) });
    return { res, html: await res.text() };
  }

  it('sends an unsigned visitor to the remote login URL with brand_id and return_to, then signs in from the JWT', async () => {
    const start = await fetch(`${h.url}/acme/`, { redirect: 'manual' });
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(JWT_URL);
    expect(Object.fromEntries(to.searchParams)).toEqual({ brand_id: String(brandId), return_to: `${h.url}/acme/` });
    const email = nextEmail();
    const { res } = await postJwt(await token({ email, name: 'Jo Jwt', role: 'agent', external_id: 'jwt-1', tags: 'a b', organization: null }), `${h.url}/acme/x`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${h.url}/acme/x`);
    const html = await (await fetch(`${h.url}/acme/`, { headers: { cookie: cookieOf(res) } })).text();
    expect(html).toContain('data-testid="zendesk-role">agent<');
    expect(await userByEmail(email)).toMatchObject({ name: 'Jo Jwt', role: 'agent', external_id: 'jwt-1', tags: ['a', 'b'] });
    // return_to outside the account is never followed.
    const evil = await postJwt(await token({ email }), 'https://evil.example/');
    expect(evil.res.headers.get('location')).toBe(`${h.url}/acme/`);
    // GET works as well.
    const viaGet = await fetch(`${h.url}/acme/access/jwt?jwt=${await token({ email })}`, { redirect: 'manual' });
    expect(viaGet.status).toBe(302);
  });

  async function jwtRefused(jwt: string, reason: RegExp, email: string) {
    const before = await writesCount();
    const { res, html } = await postJwt(jwt);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(html).toMatch(reason);
    expect(await writesCount()).toBe(before);
    expect(await userByEmail(email)).toBeUndefined();
  }

  it('refuses an iat older than 3 minutes', async () => {
    const email = nextEmail();
    await jwtRefused(await token({ email, iat: Math.floor(Date.now() / 1000) - 200 }), /too old/, email);
  });

  it('refuses a reused jti', async () => {
    const email = nextEmail();
    const jwt = await token({ email, jti: 'once' });
    expect((await postJwt(jwt)).res.status).toBe(302);
    const before = await writesCount();
    const again = await postJwt(await token({ email, jti: 'once' }));
    expect(again.res.status).toBe(401);
    expect(again.html).toContain('already used');
    expect(await writesCount()).toBe(before);
  });

  it('refuses a bad signature, a missing email and another algorithm', async () => {
    const email = nextEmail();
    await jwtRefused(await token({ email }, 'not-the-shared-secret'), /signature invalid/, email);
    await jwtRefused(await token({ name: 'No Mail' }), /email/, email);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ email, iat: Math.floor(Date.now() / 1000), jti: 'n' })).toString('base64url')}.`;
    await jwtRefused(none, /HS256/, email);
  });
});

describe('SSO settings in the state file', () => {
  it('keeps the settings and the JWT secret across a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-sso-'));
    const file = join(dir, 'state');
    try {
      let s = await startHarness({ stateFile: file });
      const put = await s.control('PUT', '/__sandbox/accounts/acme/sso', { saml: { enabled: true, signInUrl: IDP_URL, certFingerprint: idp.fingerprint }, jwt: { enabled: true, signInUrl: JWT_URL }, agents: true, endUsers: false });
      expect(put.status).toBe(200);
      await s.close();
      s = await startHarness({ stateFile: file });
      const got = await s.control('GET', '/__sandbox/accounts/acme/sso');
      await s.close();
      expect(got.body.sso).toMatchObject({ saml: put.body.sso.saml, jwt: put.body.sso.jwt, agents: true, endUsers: false, brandId: put.body.sso.brandId });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
