/**
 * The Authorization header for either connection method. API token: `Basic {email}/token:{token}`
 * (https://developer.zendesk.com/api-reference/introduction/security-and-auth/). OAuth: a bearer
 * refreshed shortly before it expires and once after an `invalid_token` 401; refresh tokens
 * rotate, so the host is told about every new pair, concurrent refreshes share one request, and a
 * pair rotated by another worker is picked up from the host's store (`deps.loadTokens`).
 */
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult } from '../contract.ts';
import type { ZendeskConfig } from './config.ts';
import { zendeskError } from './errors.ts';
import { refreshTokens } from './oauth.ts';

/** Refresh this long before the expiry, so a slow request does not carry an expired token. */
const REFRESH_MARGIN_MS = 2 * 60_000;
/** A stored pair adopted after a lost refresh race must stay valid at least this long. */
const ADOPT_MIN_VALIDITY_MS = 10_000;

export interface ZendeskAuth {
  header(): Promise<ConnectorResult<string>>;
  /** After a 401: true when new credentials were obtained and the request may be retried once. */
  recover(): Promise<ConnectorResult<boolean>>;
}

export function createAuth(config: ZendeskConfig, baseUrl: string, deps: ConnectorDeps): ZendeskAuth {
  if (config.method === 'api_token') {
    const header = `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`;
    return { header: async () => ok(header), recover: async () => ok(false) };
  }
  let accessToken = config.accessToken;
  let refreshToken = config.refreshToken ?? null;
  let expiresAt = config.accessTokenExpiresAt ?? null;
  let refreshing: Promise<ConnectorResult<true>> | null = null;

  /** Adopts tokens another worker stored after rotating ours away; true when they are newer. */
  const adoptStored = async (): Promise<boolean> => {
    const stored = await deps.loadTokens?.();
    if (!stored || stored.accessToken === accessToken) return false;
    accessToken = stored.accessToken;
    refreshToken = stored.refreshToken;
    expiresAt = stored.expiresAt;
    // Still valid is enough here: the refresh margin is for refreshing early, not for refusing a pair
    // that another worker just obtained (short-lived tokens are always inside the margin).
    return expiresAt === null || expiresAt - deps.now() > ADOPT_MIN_VALIDITY_MS;
  };

  const refresh = (): Promise<ConnectorResult<true>> => {
    refreshing ??= (async () => {
      try {
        if (await adoptStored()) return ok(true as const);
        if (!refreshToken) {
          return err(zendeskError('credentials_expired', 'configuration', 'The OAuth access token expired and there is no refresh token', 'Open the application’s provisioning settings and choose Authorize again.'));
        }
        await deps.pacer.acquire();
        const r = await refreshTokens({ fetch: deps.fetch, now: deps.now, baseUrl, clientId: config.clientId, clientSecret: config.clientSecret, refreshToken });
        if (!r.ok) {
          // Another worker may have refreshed first (rotation refuses the old token): use its pair.
          if (r.error.class === 'configuration' && deps.loadTokens) {
            await deps.sleep(1000);
            if (await adoptStored()) return ok(true as const);
          }
          return r;
        }
        accessToken = r.value.accessToken;
        refreshToken = r.value.refreshToken ?? refreshToken;
        expiresAt = r.value.expiresAt;
        await deps.onTokensRefreshed?.({ accessToken, refreshToken, expiresAt });
        deps.log?.({ msg: 'zendesk oauth tokens refreshed', expiresAt });
        return ok(true as const);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  return {
    async header() {
      if (expiresAt !== null && expiresAt - deps.now() < REFRESH_MARGIN_MS) {
        const r = await refresh();
        if (!r.ok) return r;
      }
      return ok(`Bearer ${accessToken}`);
    },
    async recover() {
      if (!refreshToken) return ok(false);
      const r = await refresh();
      return r.ok ? ok(true) : r;
    },
  };
}
