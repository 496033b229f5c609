import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, createPkcePair } from './oauth.ts';
import { scopeVerdict } from './check.ts';
import { zendeskBaseUrl, zendeskConfigSchema } from './config.ts';

describe('Zendesk OAuth helpers', () => {
  it('makes an S256 PKCE pair', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(createPkcePair().verifier).not.toBe(verifier);
  });

  it('builds the consent URL with state, PKCE and read write by default', () => {
    const url = new URL(authorizeUrl({ baseUrl: 'https://acme.zendesk.com/', clientId: 'roster', redirectUri: 'https://roster.example/provision/oauth/callback', state: 's1', codeChallenge: 'c1' }));
    expect(url.origin + url.pathname).toBe('https://acme.zendesk.com/oauth/authorizations/new');
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: 'roster', redirect_uri: 'https://roster.example/provision/oauth/callback', scope: 'read write', state: 's1', code_challenge: 'c1', code_challenge_method: 'S256' });
  });

  it.each([
    [['read', 'write'], true, false],
    [['users:read', 'users:write'], true, true],
    [['read'], false, false],
    [[], false, false],
  ])('judges scopes %j', (scopes, ok, warns) => {
    const v = scopeVerdict(scopes);
    expect(v.ok).toBe(ok);
    expect(v.warning !== undefined).toBe(warns);
  });
});

describe('Zendesk config', () => {
  it('defaults the base URL template and lower-cases the subdomain', () => {
    const c = zendeskConfigSchema.parse({ method: 'api_token', subdomain: 'Acme', email: 'a@acme.io', apiToken: 't' });
    expect(zendeskBaseUrl(c)).toBe('https://acme.zendesk.com');
  });

  it('names each bad field', () => {
    const r = zendeskConfigSchema.safeParse({ method: 'oauth', subdomain: 'acme.zendesk.com', clientId: '', clientSecret: 's', accessToken: 't', baseUrlTemplate: 'http://x/' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['baseUrlTemplate', 'clientId', 'subdomain']);
  });

  it('refuses unknown keys', () => {
    expect(zendeskConfigSchema.safeParse({ method: 'api_token', subdomain: 'acme', email: 'a@acme.io', apiToken: 't', password: 'x' }).success).toBe(false);
  });
});
