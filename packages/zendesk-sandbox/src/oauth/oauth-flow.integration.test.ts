import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
const REDIRECT = 'http://127.0.0.1:7777/oauth/callback';
const CLIENT = 'acme_roster';
const SECRET = 'client-secret';

beforeAll(async () => {
  h = await startHarness({ defaultAccount: { oauthClientId: CLIENT, oauthClientSecret: SECRET, oauthRedirectUris: ['http://127.0.0.1/oauth/callback'] } });
});
afterAll(() => h.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const verifier = 'v'.repeat(50);
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** Hidden inputs of the first form on a page. */
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1] as string] = (m[2] as string).replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return out;
}

/** Drives the browser pages: sign in, then press Allow or Deny. Returns the final redirect. */
async function authorize(decision: 'allow' | 'deny', extra: Record<string, string> = {}): Promise<URL> {
  const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope: 'read write', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  const first = await fetch(`${h.url}/acme/oauth/authorizations/new?${query}`);
  const signInHtml = await first.text();
  expect(signInHtml).toContain('id="user_email"');
  const login = await fetch(`${h.url}/acme/access/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ ...hiddenFields(signInHtml), email: 'admin@acme.test', password: 'pw-admin' }),
  });
  expect(login.status).toBe(302);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const consent = await fetch(`${h.url}${login.headers.get('location')}`, { headers: { cookie } });
  const consentHtml = await consent.text();
  expect(consentHtml).toMatch(/<button[^>]*id="allow"[^>]*>Allow<\/button>/);
  expect(consentHtml).toMatch(/<button[^>]*id="deny"[^>]*>Deny<\/button>/);
  const decided = await fetch(`${h.url}/acme/oauth/authorizations`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form({ ...hiddenFields(consentHtml), decision }),
  });
  expect(decided.status).toBe(302);
  return new URL(decided.headers.get('location') as string);
}

async function token(body: Record<string, string>, json = false, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${h.url}/acme/oauth/tokens`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: json ? JSON.stringify(body) : form(body),
  });
  return { status: res.status, body: await res.json() };
}

const codeGrant = (code: string, extra: Record<string, string> = {}) => ({ grant_type: 'authorization_code', code, client_id: CLIENT, client_secret: SECRET, redirect_uri: REDIRECT, code_verifier: verifier, ...extra });

describe('OAuth authorization code flow', () => {
  it('signs in, allows, exchanges the code with PKCE, and the token works with its scopes', async () => {
    const back = await authorize('allow');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') as string;
    const t = await token(codeGrant(code), true);
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ token_type: 'bearer', scope: 'read write', access_token: expect.any(String), refresh_token: expect.any(String), refresh_token_expires_in: 2_592_000 });
    expect(t.body).not.toHaveProperty('expires_in');
    const auth = { authorization: `Bearer ${t.body.access_token}` };
    const me = await h.call('GET', '/acme/api/v2/users/me', undefined, auth);
    expect(me.body.user.email).toBe('admin@acme.test');
    const current = await h.call('GET', '/api/v2/oauth/tokens/current', undefined, auth);
    expect(current.body.token.scopes).toEqual(['read', 'write']);
    const reused = await token(codeGrant(code));
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    expect((await h.call('GET', '/api/v2/users/me', undefined, auth)).status).toBe(401);
  });

  it('Deny redirects back with error=access_denied and the state', async () => {
    const back = await authorize('deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('refuses a wrong verifier, a wrong secret and an expired code', async () => {
    const c1 = (await authorize('allow')).searchParams.get('code') as string;
    const wrongVerifier = await token(codeGrant(c1, { code_verifier: 'x'.repeat(50) }));
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const c2 = (await authorize('allow')).searchParams.get('code') as string;
    const wrongSecret = await token(codeGrant(c2, { client_secret: 'nope' }));
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    await h.control('PATCH', '/__sandbox/accounts/acme', { oauth: { codeTtlMs: 1 } });
    const c3 = (await authorize('allow')).searchParams.get('code') as string;
    await new Promise((r) => setTimeout(r, 20));
    const expired = await token(codeGrant(c3));
    expect(expired).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await h.control('PATCH', '/__sandbox/accounts/acme', { oauth: { codeTtlMs: 120_000 } });
  });

  it('rotates refresh tokens and honours expires_in; HTTP Basic client auth works', async () => {
    const code = (await authorize('allow')).searchParams.get('code') as string;
    const basic = { authorization: `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}` };
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, expires_in: '600' }, false, basic);
    expect(first.status).toBe(201);
    expect(first.body.expires_in).toBe(600);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT, client_secret: SECRET });
    expect(refreshed.status).toBe(201);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await h.call('GET', '/api/v2/users/me', undefined, { authorization: `Bearer ${first.body.access_token}` })).status).toBe(401);
    expect((await h.call('GET', '/api/v2/users/me', undefined, { authorization: `Bearer ${refreshed.body.access_token}` })).status).toBe(200);
    const again = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT, client_secret: SECRET });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('expires access tokens at the account default lifetime', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { oauth: { accessTokenTtlSec: 1 } });
    const t = await token({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: 'read' });
    expect(t.body.expires_in).toBe(1);
    expect(t.body).not.toHaveProperty('refresh_token');
    const auth = { authorization: `Bearer ${t.body.access_token}` };
    expect((await h.call('GET', '/api/v2/users', undefined, auth)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await h.call('GET', '/api/v2/users', undefined, auth);
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('invalid_token');
    await h.control('PATCH', '/__sandbox/accounts/acme', { oauth: { accessTokenTtlSec: null } });
  });

  it('enforces scopes: users:read reads users but not identities or writes', async () => {
    const t = await token({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: 'users:read' });
    const auth = { authorization: `Bearer ${t.body.access_token}` };
    const list = await h.call('GET', '/api/v2/users', undefined, auth);
    expect(list.status).toBe(200);
    const id = list.body.users[0].id;
    expect((await h.call('GET', `/api/v2/users/${id}/identities`, undefined, auth)).status).toBe(403);
    expect((await h.call('POST', '/api/v2/users', { user: { name: 'x' } }, auth)).status).toBe(403);
    expect((await h.call('GET', '/api/v2/groups', undefined, auth)).status).toBe(403);
  });

  it('shows an error page for an unregistered redirect URI and an unknown grant type', async () => {
    const res = await fetch(`${h.url}/acme/oauth/authorizations/new?response_type=code&client_id=${CLIENT}&redirect_uri=${encodeURIComponent('https://evil.test/cb')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not registered');
    expect((await token({ grant_type: 'password', client_id: CLIENT, client_secret: SECRET })).body.error).toBe('unsupported_grant_type');
    const badLogin = await fetch(`${h.url}/acme/access/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ email: 'admin@acme.test', password: 'wrong', return_to: '/acme/' }) });
    expect(badLogin.status).toBe(401);
    expect(await badLogin.text()).toContain('Invalid email or password');
  });
});

describe('OAuth clients API', () => {
  it('creates a client (secret shown once), lists, regenerates and deletes; agents get 403', async () => {
    const c = await h.call('POST', '/api/v2/oauth/clients', { client: { name: 'Test', identifier: 'test_client', kind: 'public', redirect_uri: ['https://app.test/cb'] } });
    expect(c.status).toBe(201);
    expect(c.body.client.secret).toHaveLength(64);
    const shown = await h.call('GET', `/api/v2/oauth/clients/${c.body.client.id}`);
    expect(shown.body.client.secret).toContain('*');
    expect((await h.call('GET', '/api/v2/oauth/clients')).body.clients.length).toBe(2);
    expect((await h.call('POST', '/api/v2/oauth/clients', { client: { name: 'Dup', identifier: 'test_client' } })).status).toBe(422);
    const regenerated = await h.call('PUT', `/api/v2/oauth/clients/${c.body.client.id}/generate_secret`);
    expect(regenerated.body.client.secret).not.toBe(c.body.client.secret);
    expect((await h.call('DELETE', `/api/v2/oauth/clients/${c.body.client.id}`)).status).toBe(204);
    await h.call('POST', '/api/v2/users', { user: { name: 'Ag', email: 'oauth-agent@acme.test', role: 'agent' } });
    expect((await h.call('GET', '/api/v2/oauth/clients', undefined, { authorization: h.tokenAuth('oauth-agent@acme.test') })).status).toBe(403);
  });
});
