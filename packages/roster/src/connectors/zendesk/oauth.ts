/**
 * Zendesk OAuth: authorization code with PKCE (S256) and rotating refresh tokens
 * (https://developer.zendesk.com/documentation/api-basics/authentication/using-oauth-to-authenticate-zendesk-api-requests-in-a-web-app/,
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/). The token
 * endpoint is `POST {base}/oauth/tokens`, outside `/api/v2`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorResult } from '../contract.ts';
import { parseZendeskError, zendeskError } from './errors.ts';

/** `read write` covers users, identities, groups, memberships, roles and job statuses. */
export const DEFAULT_SCOPE = 'read write';

export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** A PKCE verifier (43 url-safe characters) and its S256 challenge (RFC 7636). */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeUrlInput {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scope?: string;
}

/** Where to send the admin to consent. */
export function authorizeUrl(input: AuthorizeUrlInput): string {
  const url = new URL(`${input.baseUrl.replace(/\/+$/, '')}/oauth/authorizations/new`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: input.scope ?? DEFAULT_SCOPE,
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when Zendesk issued a token without expiry. */
  expiresAt: number | null;
  scope: string;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  expires_in: z.number().nullable().optional(),
  refresh_token: z.string().nullable().optional(),
});

interface TokenCall {
  fetch: typeof fetch;
  now?: () => number;
  baseUrl: string;
  timeoutMs?: number;
}

async function tokenRequest(call: TokenCall, body: Record<string, string>, failCode: 'authorization_failed' | 'credentials_expired'): Promise<ConnectorResult<OAuthTokens>> {
  const now = call.now ?? Date.now;
  let res: Response;
  try {
    res = await call.fetch(`${call.baseUrl.replace(/\/+$/, '')}/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(call.timeoutMs ?? 30_000),
    });
  } catch (e) {
    return err(zendeskError('unreachable', 'transient', `Zendesk's token endpoint could not be reached: ${(e as Error).message}`, 'Check the network and the subdomain; Roster retries.'));
  }
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Plain-text answers are read as the message.
  }
  if (res.status >= 500) return err(zendeskError('unavailable', 'transient', `Zendesk's token endpoint answered HTTP ${res.status}`, 'Roster retries with backoff.'));
  if (!res.ok) {
    const parsed = parseZendeskError(json);
    const advice =
      failCode === 'credentials_expired'
        ? 'The OAuth grant was revoked or expired: open the application’s provisioning settings and choose Authorize again.'
        : 'Check the OAuth client identifier, secret and redirect URL in Zendesk, then authorize again.';
    return err(zendeskError(failCode, 'configuration', `${parsed.kind ?? `HTTP ${res.status}`}: ${parsed.message ?? 'token request refused'}`, advice));
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) return err(zendeskError('unexpected_response', 'transient', 'Zendesk answered the token request with an unexpected body', 'Roster retries.'));
  const t = parsed.data;
  return ok({
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: typeof t.expires_in === 'number' ? now() + t.expires_in * 1000 : null,
    scope: t.scope ?? '',
  });
}

/** Exchanges the authorization code from the callback (valid 120 s, single use). */
export function exchangeCode(
  input: TokenCall & { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier: string },
): Promise<ConnectorResult<OAuthTokens>> {
  return tokenRequest(
    input,
    {
      grant_type: 'authorization_code',
      code: input.code,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    },
    'authorization_failed',
  );
}

/** Trades a refresh token for a new pair; the old pair stops working (rotation). */
export function refreshTokens(input: TokenCall & { clientId: string; clientSecret: string; refreshToken: string }): Promise<ConnectorResult<OAuthTokens>> {
  return tokenRequest(
    input,
    { grant_type: 'refresh_token', refresh_token: input.refreshToken, client_id: input.clientId, client_secret: input.clientSecret },
    'credentials_expired',
  );
}
