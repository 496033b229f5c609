import { ApiError, problems } from '../http/errors.ts';
import type { Caller } from '../http/route.ts';
import type { Account } from '../store/account.ts';
import { isoNow } from '../store/ids.ts';

/**
 * Resolves the caller (API-NOTES §7): `email/token:tok` Basic → that user; a Basic password (removed
 * by Zendesk in Jan 2026) or no header → anonymous; Bearer → the OAuth token's user. A wrong API
 * token is 401 `Couldn't authenticate you`; a bad bearer is 401 `invalid_token`.
 */
export function authenticate(account: Account, header: string | undefined, now = Date.now()): Caller {
  if (!header) return { kind: 'anonymous' };
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = colon < 0 ? decoded : decoded.slice(0, colon);
    if (!login.endsWith('/token')) return { kind: 'anonymous' };
    const token = decoded.slice(colon + 1);
    const user = account.users.findByEmail(login.slice(0, -'/token'.length));
    if (colon < 0 || !account.apiTokens.has(token) || !user || !user.active || user.suspended) {
      throw new ApiError(problems.unauthenticated());
    }
    // last_login_at moves on API-token requests (API-NOTES §2); once a minute is enough.
    if (user.lastLoginAt === null || now - Date.parse(user.lastLoginAt) > 60_000) {
      user.lastLoginAt = isoNow(now);
      account.users.touch(user);
    }
    return { kind: 'user', user, via: 'api_token' };
  }
  if (scheme === 'bearer') {
    const token = account.oauth.token(value);
    const user = token ? account.users.get(token.userId) : undefined;
    if (!token || !user || !user.active || user.suspended || (token.expiresAtMs !== null && token.expiresAtMs <= now)) {
      throw new ApiError(problems.invalidToken());
    }
    if (token.usedAt === null || now - Date.parse(token.usedAt) > 60_000) token.usedAt = isoNow(now);
    return { kind: 'user', user, via: 'oauth', token };
  }
  return { kind: 'anonymous' };
}
