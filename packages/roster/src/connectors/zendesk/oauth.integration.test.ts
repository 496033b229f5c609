import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, createPkcePair, exchangeCode, refreshTokens, type OAuthTokens } from './oauth.ts';
import { consentInSandbox, freshSubdomain, startSandboxHarness, type SandboxAccount, type SandboxHarness } from './sandbox-accounts.test-support.ts';

const REDIRECT = 'http://127.0.0.1:7777/oauth/callback';

describe('zendesk OAuth against the sandbox', () => {
  let h: SandboxHarness;
  let a: SandboxAccount;
  let base: string;
  beforeAll(async () => {
    h = await startSandboxHarness();
    a = await h.account({ subdomain: freshSubdomain('oauth'), limits: false, oauth: { accessTokenTtlSec: 3600 } });
    base = `${h.url}/${a.subdomain}`;
  });
  afterAll(async () => {
    await h.close();
  });

  const authorize = async (): Promise<OAuthTokens> => {
    const pkce = createPkcePair();
    const back = await consentInSandbox(authorizeUrl({ baseUrl: base, clientId: a.oauthClientId, redirectUri: REDIRECT, state: 'st-42', codeChallenge: pkce.challenge }), a, base);
    expect(back.searchParams.get('state')).toBe('st-42');
    const tokens = await exchangeCode({ fetch, baseUrl: base, clientId: a.oauthClientId, clientSecret: a.oauthClientSecret, code: back.searchParams.get('code') ?? '', redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    if (!tokens.ok) throw new Error(tokens.error.message);
    return tokens.value;
  };

  const oauthConfig = (t: { accessToken: string; refreshToken: string | null; expiresAt: number | null }) => ({
    method: 'oauth',
    subdomain: a.subdomain,
    clientId: a.oauthClientId,
    clientSecret: a.oauthClientSecret,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    accessTokenExpiresAt: t.expiresAt,
  });

  it('connects with the authorization code flow (PKCE) and passes Test connection', async () => {
    const tokens = await authorize();
    expect(tokens).toMatchObject({ scope: 'read write', refreshToken: expect.any(String), expiresAt: expect.any(Number) });
    const report = await h.connect(oauthConfig(tokens)).check();
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.find((s) => s.name === 'scopes')?.message).toContain('read write');
  });

  it('refreshes shortly before expiry, hands the rotated pair to the host, and the old pair stops working', async () => {
    const tokens = await authorize();
    const stored: { accessToken: string; refreshToken: string | null }[] = [];
    const c = h.connect(oauthConfig({ ...tokens, expiresAt: Date.now() + 30_000 }), { onTokensRefreshed: async (t) => void stored.push(t) });
    // Two concurrent calls share one refresh: a second refresh with the rotated-away token would fail.
    const [x, y] = await Promise.all([c.users.get('1'), c.users.findBy('email', a.adminEmail)]);
    expect(x.ok && y.ok).toBe(true);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.accessToken).not.toBe(tokens.accessToken);
    expect(stored[0]?.refreshToken).not.toBe(tokens.refreshToken);
    const again = await refreshTokens({ fetch, baseUrl: base, clientId: a.oauthClientId, clientSecret: a.oauthClientSecret, refreshToken: tokens.refreshToken ?? '' });
    expect(again.ok ? null : again.error).toMatchObject({ code: 'zendesk.credentials_expired', class: 'configuration' });
  });

  it('a second worker adopts the pair the first one rotated instead of failing', async () => {
    const tokens = await authorize();
    const start = { ...tokens, expiresAt: Date.now() + 30_000 };
    let store: { accessToken: string; refreshToken: string | null; expiresAt: number | null } = start;
    const deps = { onTokensRefreshed: async (t: typeof store) => void (store = t), loadTokens: async () => store };
    const first = h.connect(oauthConfig(start), deps);
    expect((await first.users.get('1')).ok).toBe(true);
    expect(store.accessToken).not.toBe(tokens.accessToken);
    const second = h.connect(oauthConfig(start), deps);
    const r = await second.users.findBy('email', a.adminEmail);
    expect(r.ok && r.value).toHaveLength(1);
    // Still the first worker's pair: the second did not refresh again.
    expect(store.refreshToken).not.toBe(tokens.refreshToken);
    const stillValid = await refreshTokens({ fetch, baseUrl: base, clientId: a.oauthClientId, clientSecret: a.oauthClientSecret, refreshToken: store.refreshToken ?? '' });
    expect(stillValid.ok).toBe(true);
  });

  it('after losing a refresh race, picks up the winner\'s stored pair', async () => {
    const tokens = await authorize();
    const start = { ...tokens, expiresAt: Date.now() + 30_000 };
    // The winner already rotated the pair but had not stored it when the loser looked.
    const winner = await refreshTokens({ fetch, baseUrl: base, clientId: a.oauthClientId, clientSecret: a.oauthClientSecret, refreshToken: tokens.refreshToken ?? '' });
    if (!winner.ok) throw new Error(winner.error.message);
    let looks = 0;
    const loser = h.connect(oauthConfig(start), { loadTokens: async () => ((looks += 1) === 1 ? start : winner.value) });
    const r = await loser.users.get('1');
    expect(r.ok).toBe(true);
    expect(looks).toBe(2);
  });

  it('refreshes once after a 401 invalid_token and retries the call', async () => {
    const tokens = await authorize();
    const stored: string[] = [];
    const c = h.connect(oauthConfig({ ...tokens, accessToken: 'revoked-or-garbage', expiresAt: null }), { onTokensRefreshed: async (t) => void stored.push(t.accessToken) });
    const r = await c.users.findBy('email', a.adminEmail);
    expect(r.ok && r.value).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });

  it('stops with credentials_expired when the refresh token is no longer valid', async () => {
    const c = h.connect(oauthConfig({ accessToken: 'garbage', refreshToken: 'also-garbage', expiresAt: null }));
    const r = await c.users.get('1');
    expect(r.ok ? null : r.error).toMatchObject({ code: 'zendesk.credentials_expired', class: 'configuration' });
    expect(r.ok ? '' : r.error.advice).toContain('Authorize again');
    const report = await c.check();
    expect(report.ok).toBe(false);
    expect(report.steps.at(-1)?.message).toContain('Authorize again');
  });
});
