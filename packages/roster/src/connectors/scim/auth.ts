/**
 * The Authorization header for each connection method. Client credentials (RFC 6749 §4.4): the
 * token is fetched with the client id and secret as HTTP Basic (§2.3.1), cached until a minute
 * before `expires_in`, shared by concurrent requests, and fetched again once after a 401.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult } from '../contract.ts';
import type { ScimConfig } from './config.ts';
import { scimError } from './errors.ts';

const REFRESH_MARGIN_MS = 60_000;
const tokenReplySchema = z.looseObject({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.union([z.number(), z.string()]).optional() });

export interface ScimAuth {
  header(): Promise<ConnectorResult<string>>;
  /** After a 401: true when new credentials were obtained and the request may be sent once more. */
  recover(): Promise<ConnectorResult<boolean>>;
  /** Who the credentials act as, in admin words (for Test connection). */
  describe(): string;
}

export function createAuth(config: ScimConfig, deps: ConnectorDeps, timeoutMs: number): ScimAuth {
  if (config.method === 'bearer') {
    return { header: async () => ok(`Bearer ${config.token}`), recover: async () => ok(false), describe: () => 'a bearer token' };
  }
  if (config.method === 'basic') {
    const header = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    return { header: async () => ok(header), recover: async () => ok(false), describe: () => `HTTP Basic user ${config.username}` };
  }
  let token: { value: string; expiresAt: number | null } | null = null;
  let fetching: Promise<ConnectorResult<string>> | null = null;

  const fetchToken = (): Promise<ConnectorResult<string>> => {
    fetching ??= (async () => {
      try {
        const form = new URLSearchParams({ grant_type: 'client_credentials' });
        if (config.scope) form.set('scope', config.scope);
        const basic = Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64');
        let res: Response;
        try {
          res = await deps.fetch(config.tokenUrl, {
            method: 'POST',
            headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (e) {
          return err(scimError('token_unreachable', 'transient', `The token URL ${config.tokenUrl} could not be reached: ${(e as Error).message}`, 'Check the token URL and that this server can reach it; Roster retries.'));
        }
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Kept as text for the message.
        }
        if (res.status === 400 || res.status === 401 || res.status === 403) {
          const why = typeof body === 'object' && body !== null ? String((body as Record<string, unknown>)['error_description'] ?? (body as Record<string, unknown>)['error'] ?? '') : '';
          return err(scimError('token_refused', 'configuration', `The token URL refused the client credentials (HTTP ${res.status}${why ? `: ${why}` : ''})`, 'Check the client id, the client secret, the scope and the token URL in the connection settings.'));
        }
        const parsed = tokenReplySchema.safeParse(body);
        if (res.status < 200 || res.status >= 300 || !parsed.success) {
          return err(scimError('token_unavailable', 'transient', `The token URL answered HTTP ${res.status} without an access token`, 'Check the token URL (it must be the OAuth 2.0 token endpoint); Roster retries.'));
        }
        const expiresIn = Number(parsed.data.expires_in);
        token = { value: parsed.data.access_token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? deps.now() + expiresIn * 1000 : null };
        deps.log?.({ msg: 'scim client-credentials token fetched', expiresAt: token.expiresAt });
        return ok(token.value);
      } finally {
        fetching = null;
      }
    })();
    return fetching;
  };

  return {
    async header() {
      if (token && (token.expiresAt === null || token.expiresAt - deps.now() > REFRESH_MARGIN_MS)) return ok(`Bearer ${token.value}`);
      const r = await fetchToken();
      return r.ok ? ok(`Bearer ${r.value}`) : r;
    },
    async recover() {
      token = null;
      const r = await fetchToken();
      return r.ok ? ok(true) : r;
    },
    describe: () => `OAuth client ${config.clientId}`,
  };
}
