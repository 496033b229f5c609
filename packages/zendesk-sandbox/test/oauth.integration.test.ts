import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractProblems, oasDocument } from './contract/oas.ts';
import { startHarness, type Harness } from './harness.ts';
import { parseForms } from './html-forms.ts';

/**
 * The authorization-code flow with PKCE as a standard OAuth client library (openid-client 6 on
 * oauth4webapi) runs it against the sandbox; the browser part (sign-in and consent pages) is
 * driven with fetch by parsing and posting the forms, as a browser without scripts would.
 */
const CLIENT_ID = 'roster_oauth_test';
const SECRET = 'oauth-test-secret';
const REDIRECT = 'http://127.0.0.1:8765/oauth/callback';
const ADMIN = { email: 'admin@acme.test', password: 'pw-admin' };

let h: Harness;
/** Statuses the token endpoint really sent, newest last (see `tokenStatusShim`). */
const tokenStatuses: number[] = [];
/** OAS problems of every successful token response the library received (authorization_code and refresh_token grants). */
const tokenContractProblems: string[] = [];

beforeAll(async () => {
  oasDocument();
  h = await startHarness({ defaultAccount: { oauthClientId: CLIENT_ID, oauthClientSecret: SECRET, oauthRedirectUris: ['http://127.0.0.1/oauth/callback'] } });
});
afterAll(async () => {
  await h.close();
});

/**
 * Zendesk answers `POST /oauth/tokens` with 201 Created (OAS `CreateTokenForGrantType`, API-NOTES
 * §7.2), while oauth4webapi accepts only RFC 6749's 200. A connector using this library against
 * Zendesk needs the same shim; it records the real status so the tests can assert it.
 */
const tokenStatusShim: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!String(input instanceof Request ? input.url : input).endsWith('/oauth/tokens')) return res;
  tokenStatuses.push(res.status);
  if (res.status !== 201) return res;
  const text = await res.text();
  tokenContractProblems.push(...contractProblems('POST /oauth/tokens', 201, JSON.parse(text)));
  return new Response(text, { status: 200, headers: res.headers });
};

function configuration(secret: string | null = SECRET, clientId = CLIENT_ID): client.Configuration {
  const config = new client.Configuration(
    { issuer: h.url, authorization_endpoint: `${h.url}/oauth/authorizations/new`, token_endpoint: `${h.url}/oauth/tokens` },
    clientId,
    { redirect_uris: [REDIRECT] },
    secret === null ? client.None() : client.ClientSecretPost(secret),
  );
  client.allowInsecureRequests(config); // the sandbox listens on plain http://127.0.0.1
  config[client.customFetch] = tokenStatusShim as never;
  return config;
}

interface Started {
  readonly verifier: string;
  readonly state: string;
  readonly url: URL;
}

async function startAuthorization(config: client.Configuration, scope = 'read write'): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { verifier, state, url };
}

const absolute = (path: string) => new URL(path, h.url).toString();

/** The browser: open the authorization URL, sign in, press Allow or Deny; returns the redirect back to the app. */
async function browse(url: URL, decision: 'allow' | 'deny', credentials = ADMIN): Promise<URL> {
  const signInPage = await fetch(url, { redirect: 'manual' });
  expect(signInPage.status).toBe(200);
  const signIn = parseForms(await signInPage.text()).find((f) => 'password' in f.fields);
  if (!signIn) throw new Error('no sign-in form');
  const emailField = Object.keys(signIn.fields).find((k) => /email/i.test(k)) as string;
  const passwordField = Object.keys(signIn.fields).find((k) => /password/i.test(k)) as string;
  const login = await fetch(absolute(signIn.action), {
    method: signIn.method,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...signIn.fields, [emailField]: credentials.email, [passwordField]: credentials.password }),
  });
  expect(login.status).toBe(302);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const consentPage = await fetch(absolute(login.headers.get('location') as string), { headers: { cookie }, redirect: 'manual' });
  expect(consentPage.status).toBe(200);
  const consentHtml = await consentPage.text();
  const consent = parseForms(consentHtml).find((f) => Object.keys(f.buttons).length >= 2);
  if (!consent) throw new Error('no consent form');
  const button = consent.buttons[decision];
  if (!button) throw new Error(`no ${decision} button`);
  const decided = await fetch(absolute(consent.action), {
    method: consent.method,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...consent.fields, [button.name]: button.value }),
  });
  expect(decided.status).toBe(302);
  return new URL(decided.headers.get('location') as string);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('OAuth authorization code + PKCE with openid-client', () => {
  it('signs in, consents, exchanges the code, refreshes with rotation, and the token shows its scopes', async () => {
    const config = configuration();
    const start = await startAuthorization(config);
    expect(start.url.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await browse(start.url, 'allow');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe(start.state);

    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state });
    expect(tokenStatuses.at(-1)).toBe(201);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('read write');
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const me = await h.call('GET', '/api/v2/users/me', undefined, bearer(tokens.access_token));
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(ADMIN.email);
    const current = await h.call('GET', '/api/v2/oauth/tokens/current', undefined, bearer(tokens.access_token));
    expect(current.status).toBe(200);
    expect(current.body.token.scopes).toEqual(['read', 'write']);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.scope).toBe('read write');
    // Rotation: the old pair is dead, the new one works.
    const oldRefresh = client.refreshTokenGrant(config, tokens.refresh_token as string);
    await expect(oldRefresh).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await h.call('GET', '/api/v2/users/me', undefined, bearer(tokens.access_token))).status).toBe(401);
    const after = await h.call('GET', '/api/v2/oauth/tokens/current', undefined, bearer(refreshed.access_token));
    expect(after.body.token.scopes).toEqual(['read', 'write']);

    // The code was single use.
    await expect(client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state })).rejects.toMatchObject({ error: 'invalid_grant' });
    // Both grants' answers conform to the OAS (CreateTokenForGrantType).
    expect(tokenStatuses.filter((s) => s === 201)).toHaveLength(2);
    expect(tokenContractProblems).toEqual([]);
  });

  it('resource scopes are granted as asked and enforced', async () => {
    const config = configuration();
    const start = await startAuthorization(config, 'users:read');
    const back = await browse(start.url, 'allow');
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state });
    expect((await h.call('GET', '/api/v2/oauth/tokens/current', undefined, bearer(tokens.access_token))).body.token.scopes).toEqual(['users:read']);
    expect((await h.call('GET', '/api/v2/users', undefined, bearer(tokens.access_token))).status).toBe(200);
    const write = await h.call('POST', '/api/v2/users', { user: { name: 'Nope' } }, bearer(tokens.access_token));
    expect(write.status).toBe(403);
  });

  it('reusing a code is refused and revokes the token the code issued (RFC 6749 §4.1.2)', async () => {
    const config = configuration();
    const start = await startAuthorization(config);
    const back = await browse(start.url, 'allow');
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state });
    expect((await h.call('GET', '/api/v2/users/me', undefined, bearer(tokens.access_token))).status).toBe(200);
    await expect(client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state })).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await h.call('GET', '/api/v2/users/me', undefined, bearer(tokens.access_token))).status).toBe(401);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong PKCE verifier', async () => {
    const config = configuration();
    const start = await startAuthorization(config);
    const back = await browse(start.url, 'allow');
    const wrong = client.randomPKCECodeVerifier();
    await expect(client.authorizationCodeGrant(config, back, { pkceCodeVerifier: wrong, expectedState: start.state })).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(tokenStatuses.at(-1)).toBe(400);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const start = await startAuthorization(configuration());
    const back = await browse(start.url, 'allow');
    const bad = configuration('not-the-secret');
    const err: unknown = await client.authorizationCodeGrant(bad, back, { pkceCodeVerifier: start.verifier, expectedState: start.state }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(tokenStatuses.at(-1)).toBe(401);
    // The library surfaces either the RFC 6749 body or the WWW-Authenticate challenge; both say the client failed.
    const e = err as { error?: string; cause?: unknown; status?: number };
    expect(e.error === 'invalid_client' || e.status === 401).toBe(true);
  });

  it('Deny redirects back with error=access_denied and the state, and the library reports it', async () => {
    const config = configuration();
    const start = await startAuthorization(config);
    const back = await browse(start.url, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(start.state);
    expect(back.searchParams.has('code')).toBe(false);
    await expect(client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state })).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('a public client (no secret) gets tokens with PKCE and is refused without it', async () => {
    const created = await h.call('POST', '/api/v2/oauth/clients', { client: { name: 'Desktop', identifier: 'desktop_public', kind: 'public', redirect_uri: ['http://127.0.0.1/oauth/callback'] } });
    expect(created.status).toBe(201);
    const config = configuration(null, 'desktop_public');
    const start = await startAuthorization(config);
    const back = await browse(start.url, 'allow');
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state });
    expect((await h.call('GET', '/api/v2/users/me', undefined, bearer(tokens.access_token))).body.user.email).toBe(ADMIN.email);

    const noPkce = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'read', state: 'no-pkce' });
    const refused = await fetch(noPkce, { redirect: 'manual' });
    expect(refused.status).toBe(302);
    const to = new URL(refused.headers.get('location') as string);
    expect(to.searchParams.get('error')).toBe('invalid_request');
    expect(to.searchParams.get('state')).toBe('no-pkce');
  });

  it('a wrong password keeps the browser on the sign-in page', async () => {
    const start = await startAuthorization(configuration());
    const page = await fetch(start.url);
    const form = parseForms(await page.text()).find((f) => 'password' in f.fields);
    if (!form) throw new Error('no sign-in form');
    const res = await fetch(absolute(form.action), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, email: ADMIN.email, password: 'wrong' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(parseForms(await res.text()).some((f) => 'password' in f.fields)).toBe(true);
  });
});
