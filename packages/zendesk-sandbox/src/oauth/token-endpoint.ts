import { z } from 'zod';
import type { Reply, RequestContext, RouteDef } from '../http/route.ts';
import type { OAuthClientRecord } from '../store/oauth.ts';
import { issueToken, tokenResponse } from './issue-token.ts';
import { pkceMatches } from './pkce.ts';

const seconds = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** Body of `POST /oauth/tokens`, JSON or form-encoded (API-NOTES §7.2). */
const tokenRequestSchema = z.looseObject({
  grant_type: z.string().optional(),
  code: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  redirect_uri: z.string().optional(),
  scope: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  expires_in: seconds.optional(),
  refresh_token_expires_in: seconds.optional(),
});
type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** RFC 6749 §5.2 error answer. */
const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
  headers: { 'cache-control': 'no-store', ...(status === 401 ? { 'www-authenticate': 'Basic realm="OAuth"' } : {}) },
});

/** Client credentials from HTTP Basic or the body; confidential clients must present the secret. */
function authenticateClient(ctx: RequestContext, body: TokenRequest): OAuthClientRecord | Reply {
  let id = body.client_id;
  let secret = body.client_secret;
  const header = ctx.req.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!id) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const client = ctx.account.oauth.clientByIdentifier(id);
  if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed due to unknown client.');
  if (client.kind === 'confidential' && secret !== client.secret) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  if (client.kind === 'public' && secret !== undefined && secret !== client.secret) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  return client;
}

const scopesOf = (scope: string | undefined) => (scope ?? 'read').split(/[\s+]+/).filter(Boolean);

function grantAuthorizationCode(ctx: RequestContext, client: OAuthClientRecord, body: TokenRequest): Reply {
  const invalid = (d: string) => oauthError(400, 'invalid_grant', d);
  if (!body.code) return oauthError(400, 'invalid_request', 'code is required');
  const code = ctx.account.oauth.codes.get(body.code);
  if (!code || code.clientId !== client.id) return invalid('The provided authorization grant is invalid, expired, revoked, or was issued to another client.');
  if (code.used) {
    // RFC 6749 §4.1.2: a reused code revokes what it already issued.
    for (const id of code.tokenIds) {
      const t = ctx.account.oauth.tokensById.get(id);
      if (t) ctx.account.oauth.revoke(t);
    }
    return invalid('The authorization code has already been used.');
  }
  if (Date.now() > code.expiresAtMs) return invalid('The authorization code has expired.');
  if (body.redirect_uri !== undefined && body.redirect_uri !== code.redirectUri) return invalid('The redirect URI does not match the one used in the authorization request.');
  if (code.challenge !== null) {
    if (!body.code_verifier || !pkceMatches(code.challenge, code.challengeMethod ?? 'plain', body.code_verifier)) {
      return invalid('The code verifier does not match the code challenge.');
    }
  }
  code.used = true;
  const token = issueToken(ctx.account, { clientId: client.id, userId: code.userId, scopes: code.scopes, expiresInSec: body.expires_in, refreshExpiresInSec: body.refresh_token_expires_in, withRefresh: true });
  code.tokenIds.push(token.id);
  return { status: 201, body: tokenResponse(token), headers: { 'cache-control': 'no-store' } };
}

function grantRefresh(ctx: RequestContext, client: OAuthClientRecord, body: TokenRequest): Reply {
  if (!body.refresh_token) return oauthError(400, 'invalid_request', 'refresh_token is required');
  const old = ctx.account.oauth.byRefreshToken(body.refresh_token);
  if (!old || old.clientId !== client.id || (old.refreshExpiresAtMs !== null && old.refreshExpiresAtMs <= Date.now())) {
    return oauthError(400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
  }
  ctx.account.oauth.revoke(old);
  const ttlLeft = old.expiresAtMs === null ? null : undefined;
  const token = issueToken(ctx.account, { clientId: client.id, userId: old.userId, scopes: old.scopes, expiresInSec: body.expires_in ?? ttlLeft, refreshExpiresInSec: body.refresh_token_expires_in, withRefresh: true });
  return { status: 201, body: tokenResponse(token), headers: { 'cache-control': 'no-store' } };
}

function grantClientCredentials(ctx: RequestContext, client: OAuthClientRecord, body: TokenRequest): Reply {
  if (client.kind !== 'confidential') return oauthError(400, 'unauthorized_client', 'Only confidential clients may use client_credentials.');
  const token = issueToken(ctx.account, { clientId: client.id, userId: client.userId, scopes: scopesOf(body.scope), expiresInSec: body.expires_in, refreshExpiresInSec: undefined, withRefresh: false });
  return { status: 201, body: tokenResponse(token), headers: { 'cache-control': 'no-store' } };
}

/** `POST /oauth/tokens` — authorization_code (+PKCE), refresh_token (rotating), client_credentials. */
export const tokenEndpointRoute: RouteDef = {
  method: 'POST', path: '/oauth/tokens', access: 'none', controller: 'oauth/tokens', action: 'create',
  handler: (ctx) => {
    const parsed = tokenRequestSchema.safeParse(ctx.body ?? {});
    if (!parsed.success) return oauthError(400, 'invalid_request', 'The request is missing a required parameter or is malformed.');
    const body = parsed.data;
    const client = authenticateClient(ctx, body);
    if ('status' in client) return client;
    switch (body.grant_type) {
      case 'authorization_code':
        return grantAuthorizationCode(ctx, client, body);
      case 'refresh_token':
        return grantRefresh(ctx, client, body);
      case 'client_credentials':
        return grantClientCredentials(ctx, client, body);
      case undefined:
        return oauthError(400, 'invalid_request', 'grant_type is required');
      default:
        return oauthError(400, 'unsupported_grant_type', `The grant type ${body.grant_type} is not supported.`);
    }
  },
};
