import type { Account } from '../store/account.ts';
import { isoNow } from '../store/ids.ts';
import type { OAuthTokenRecord } from '../store/oauth.ts';

export interface IssueRequest {
  readonly clientId: number;
  readonly userId: number;
  readonly scopes: string[];
  readonly expiresInSec: number | null | undefined;
  readonly refreshExpiresInSec: number | undefined;
  readonly withRefresh: boolean;
}

/** Mints an access token (and refresh token) using the account's default lifetimes when not asked. */
export function issueToken(account: Account, req: IssueRequest, now = Date.now()): OAuthTokenRecord {
  const ttl = req.expiresInSec === undefined ? account.oauthSettings.accessTokenTtlSec : req.expiresInSec;
  const refreshTtl = req.refreshExpiresInSec ?? account.oauthSettings.refreshTokenTtlSec;
  return account.oauth.issue(
    account.ids.take(),
    {
      clientId: req.clientId,
      userId: req.userId,
      scopes: req.scopes,
      createdAt: isoNow(now),
      expiresAtMs: ttl === null ? null : now + ttl * 1000,
      refreshExpiresAtMs: req.withRefresh ? now + refreshTtl * 1000 : null,
    },
    req.withRefresh,
  );
}

/** The 201 body of `/oauth/tokens` (API-NOTES §7.2); `expires_in` only when the token expires. */
export function tokenResponse(t: OAuthTokenRecord, now = Date.now()): Record<string, unknown> {
  return {
    access_token: t.token,
    token_type: 'bearer',
    scope: t.scopes.join(' '),
    ...(t.expiresAtMs === null ? {} : { expires_in: Math.round((t.expiresAtMs - now) / 1000) }),
    ...(t.refreshToken === null ? {} : { refresh_token: t.refreshToken, refresh_token_expires_in: Math.round(((t.refreshExpiresAtMs ?? now) - now) / 1000) }),
  };
}
