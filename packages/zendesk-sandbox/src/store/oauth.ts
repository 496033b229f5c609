import { NO_CHANGES, type AccountChanges } from './changes.ts';
import { randomToken } from './ids.ts';

/** An OAuth client (API-NOTES §7.3). */
export interface OAuthClientRecord {
  id: number;
  name: string;
  identifier: string;
  secret: string;
  kind: 'public' | 'confidential';
  redirectUris: string[];
  description: string;
  company: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
}

/** An authorization code: single use, short-lived, bound to client, redirect URI and PKCE challenge. */
export interface OAuthCodeRecord {
  code: string;
  clientId: number;
  userId: number;
  redirectUri: string;
  scopes: string[];
  challenge: string | null;
  challengeMethod: 'S256' | 'plain' | null;
  expiresAtMs: number;
  used: boolean;
  tokenIds: number[];
}

/** An access token with its optional refresh token. */
export interface OAuthTokenRecord {
  id: number;
  token: string;
  refreshToken: string | null;
  clientId: number;
  userId: number;
  scopes: string[];
  createdAt: string;
  expiresAtMs: number | null;
  refreshExpiresAtMs: number | null;
  revoked: boolean;
  usedAt: string | null;
}

/** Token lifetimes an account applies when the request does not say. */
export interface OAuthSettings {
  /** Default access-token lifetime; `null` = tokens never expire (Zendesk's default). */
  accessTokenTtlSec: number | null;
  refreshTokenTtlSec: number;
  codeTtlMs: number;
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = { accessTokenTtlSec: null, refreshTokenTtlSec: 2_592_000, codeTtlMs: 120_000 };

export class OAuthStore {
  readonly clients = new Map<number, OAuthClientRecord>();
  readonly codes = new Map<string, OAuthCodeRecord>();
  private readonly tokens = new Map<string, OAuthTokenRecord>();
  private readonly refreshTokens = new Map<string, OAuthTokenRecord>();
  readonly tokensById = new Map<number, OAuthTokenRecord>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  clientByIdentifier(identifier: string): OAuthClientRecord | undefined {
    for (const c of this.clients.values()) if (c.identifier === identifier) return c;
    return undefined;
  }

  addClient(client: OAuthClientRecord): void {
    this.clients.set(client.id, client);
    this.changes.put('client', client.id, client);
  }

  /** Marks a client changed after editing it in place. */
  touchClient(client: OAuthClientRecord): void {
    this.changes.put('client', client.id, client);
  }

  removeClient(id: number): void {
    this.clients.delete(id);
    this.changes.gone('client', id);
  }

  /** Puts back a token read from the state file. */
  restoreToken(record: OAuthTokenRecord): void {
    this.tokens.set(record.token, record);
    this.tokensById.set(record.id, record);
    if (record.refreshToken) this.refreshTokens.set(record.refreshToken, record);
  }

  /** A live access token (not revoked; expiry is checked by the caller with its clock). */
  token(value: string): OAuthTokenRecord | undefined {
    const t = this.tokens.get(value);
    return t && !t.revoked ? t : undefined;
  }

  byRefreshToken(value: string): OAuthTokenRecord | undefined {
    const t = this.refreshTokens.get(value);
    return t && !t.revoked ? t : undefined;
  }

  issue(id: number, fields: Omit<OAuthTokenRecord, 'id' | 'token' | 'revoked' | 'usedAt' | 'refreshToken'>, withRefresh: boolean): OAuthTokenRecord {
    const record: OAuthTokenRecord = {
      ...fields,
      id,
      token: randomToken(32),
      refreshToken: withRefresh ? randomToken(32) : null,
      revoked: false,
      usedAt: null,
    };
    this.restoreToken(record);
    this.changes.put('token', id, record);
    return record;
  }

  revoke(record: OAuthTokenRecord): void {
    record.revoked = true;
    this.tokens.delete(record.token);
    if (record.refreshToken) this.refreshTokens.delete(record.refreshToken);
    this.tokensById.delete(record.id);
    this.changes.gone('token', record.id);
  }
}
