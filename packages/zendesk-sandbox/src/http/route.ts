import type { IncomingMessage } from 'node:http';
import type { Account } from '../store/account.ts';
import type { OAuthTokenRecord } from '../store/oauth.ts';
import type { UserRecord } from '../store/user-record.ts';
import type { Method } from './router.ts';

/** Who is calling: anonymous, or a user via API token or OAuth bearer token. */
export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly user: UserRecord; readonly via: 'api_token' | 'session' }
  | { readonly kind: 'user'; readonly user: UserRecord; readonly via: 'oauth'; readonly token: OAuthTokenRecord };

/** Everything a Zendesk route handler sees about one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly account: Account;
  /** Absolute URL prefix of this account as the client reached it (`http://host:port/sub`). */
  readonly base: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
  readonly body: unknown;
  readonly caller: Caller;
  /** Extra response headers a handler wants sent. */
  readonly headers: Record<string, string>;
  /** Unknown body keys, reported in `x-zendesk-api-warn`. */
  readonly warnings: string[];
}

/** A handler's answer. Exactly one of body / html / text / redirect is usually set. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly html?: string;
  readonly text?: string;
  readonly redirect?: string;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
}

/**
 * Minimum caller for a route. `none` skips authentication entirely (OAuth token endpoint,
 * browser pages); `anonymous` authenticates but lets anonymous callers through (`/users/me`).
 */
export type Access = 'none' | 'anonymous' | 'end-user' | 'agent' | 'admin';

/** OAuth scope a route needs: broad `read`/`write`, or `<resource>:<access>` when `resource` is set. */
export interface ScopeNeed {
  readonly access: 'read' | 'write';
  readonly resource?: string;
}

export interface RouteDef {
  readonly method: Method;
  readonly path: string;
  readonly access: Access;
  readonly scope?: ScopeNeed;
  /** Names used in `x-zendesk-api-warn` (`controller`, `action`). */
  readonly controller: string;
  readonly action: string;
  readonly handler: (ctx: RequestContext) => Reply | Promise<Reply>;
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply =>
  headers ? { status, body, headers } : { status, body };
export const noContent = (): Reply => ({ status: 204 });
