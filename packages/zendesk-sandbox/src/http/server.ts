import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/authenticate.ts';
import { authorize } from '../auth/authorize.ts';
import { chargeAccount } from '../limits/account-gate.ts';
import type { Account } from '../store/account.ts';
import type { AccountRegistry } from '../store/registry.ts';
import { parseBody, readBody } from './body.ts';
import { ApiError, problems } from './errors.ts';
import { apiWarnHeader, send } from './respond.ts';
import type { Reply, RequestContext, RouteDef } from './route.ts';
import type { Router } from './router.ts';

/** A control-API or sandbox-page handler: no limits, no faults, no Zendesk auth. */
export interface ControlContext {
  readonly registry: AccountRegistry;
  readonly origin: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}
export type ControlHandler = (ctx: ControlContext) => Reply | Promise<Reply>;

export interface ServerDeps {
  readonly registry: AccountRegistry;
  readonly api: Router<RouteDef>;
  readonly control: Router<ControlHandler>;
  readonly bodyLimitBytes: number;
  /** Writes pending changes to the state file; runs before every answer, so an answered write is kept. */
  readonly flush?: (() => void) | undefined;
}

/** Top-level path segments that belong to Zendesk's own URL space (served by the default account). */
const ZENDESK_ROOTS = new Set(['api', 'oauth', 'access']);

/**
 * Splits a request target into path and query by hand: `new URL('//x', base)` would read `//x` as a
 * host, and the path must stay exactly as sent. Absolute-form targets lose their origin.
 */
export function splitTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) || '/' : target;
  const hash = rest.indexOf('#');
  const clean = hash < 0 ? rest : rest.slice(0, hash);
  const q = clean.indexOf('?');
  return { pathname: q < 0 ? clean : clean.slice(0, q), searchParams: new URLSearchParams(q < 0 ? '' : clean.slice(q + 1)) };
}

// Unref'd so an injected delay never keeps a closing process alive.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Builds the `node:http` request listener. No input may crash the process: everything is caught. */
export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      // A client that hangs up mid-request is not a sandbox error: nothing to answer, nothing to log.
      if (!(err instanceof ApiError) && (req.readableAborted || res.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET')) {
        res.destroy();
        return;
      }
      const problem = err instanceof ApiError ? err.problem : { status: 500, body: { error: 'InternalError', description: 'Sandbox error' } };
      if (!(err instanceof ApiError)) console.error('[zendesk-sandbox]', err);
      try {
        deps.flush?.();
      } catch {
        // already reported; the answer below is an error anyway
      }
      send(res, { status: problem.status, body: problem.body, ...(problem.headers ? { headers: problem.headers } : {}) }, {});
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const base: Record<string, string> = { 'x-zendesk-request-id': requestId, 'x-request-id': requestId };
  const url = splitTarget(req.url ?? '/');
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const segments = url.pathname.split('/');
  const first = segments[1] ?? '';

  if (first === '__sandbox' || url.pathname === '/') {
    const found = deps.control.match(req.method ?? 'GET', url.pathname === '/' ? '/__sandbox' : url.pathname);
    if (!found) return send(res, { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } }, base);
    const body = parseBody(await readBody(req, deps.bodyLimitBytes), req.headers['content-type']);
    const reply = await found.route({ registry: deps.registry, origin, params: found.params, query: url.searchParams, body });
    deps.flush?.();
    return send(res, reply, base);
  }

  let account: Account | undefined;
  let prefix = '';
  if (ZENDESK_ROOTS.has(first)) account = deps.registry.default;
  else {
    account = deps.registry.get(first);
    prefix = `/${first}`;
  }
  if (!account) return send(res, { status: 404, body: problems.invalidEndpoint().body }, base);
  const path = url.pathname.slice(prefix.length) || '/';
  // `/{sub}` (no slash) → `/{sub}/`, the account's "Zendesk" home (SSO sign-in, see sso/sso-routes.ts).
  if (path === '/' && !url.pathname.endsWith('/')) return send(res, { status: 302, redirect: `${prefix}/` }, base);
  await serveAccount(deps, account, req, res, { path, prefix, origin, query: url.searchParams, base });
}

interface Located {
  readonly path: string;
  readonly prefix: string;
  readonly origin: string;
  readonly query: URLSearchParams;
  readonly base: Record<string, string>;
}

async function serveAccount(deps: ServerDeps, account: Account, req: IncomingMessage, res: ServerResponse, at: Located): Promise<void> {
  const counters = account.counters;
  const finish = (reply: Reply, headers: Record<string, string>) => {
    counters.requests += 1;
    const key = String(reply.status);
    counters.byStatus[key] = (counters.byStatus[key] ?? 0) + 1;
    if (reply.status === 429) counters.rateLimited += 1;
    deps.flush?.();
    send(res, reply, headers);
  };

  if (account.faults.active) {
    const fault = account.faults.decide();
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.kind === 'drop') {
      counters.dropped += 1;
      counters.faultsInjected += 1;
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'storm') {
      counters.faultsInjected += 1;
      return finish({ status: 429, text: 'Number of allowed API requests per minute exceeded', headers: { 'retry-after': '1' } }, at.base);
    }
    if (fault.kind === 'error') {
      counters.faultsInjected += 1;
      const headers: Record<string, string> = fault.retryAfterSec === null ? {} : { 'retry-after': String(fault.retryAfterSec) };
      const body = fault.status === 503 ? { error: 'ServiceUnavailable', description: 'Database timeout' } : { error: 'InternalServerError', description: 'Something went wrong' };
      return finish({ status: fault.status, body, headers }, at.base);
    }
  }

  const method = req.method ?? 'GET';
  const path = at.path.endsWith('.json') ? at.path.slice(0, -5) : at.path;
  const found = deps.api.match(method, path);
  if (!found) return finish({ status: 404, body: problems.invalidEndpoint().body }, at.base);
  const route = found.route;

  let headers = at.base;
  if (route.access !== 'none' || route.path.startsWith('/oauth/tokens')) {
    const gate = chargeAccount(account);
    headers = { ...at.base, ...gate.headers };
    if (gate.refusal) return finish(gate.refusal, headers);
  }

  try {
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const body = hasBody ? parseBody(await readBody(req, deps.bodyLimitBytes), req.headers['content-type']) : undefined;
    const caller = route.access === 'none' ? { kind: 'anonymous' as const } : authenticate(account, req.headers.authorization);
    authorize(caller, route.access, route.scope);
    const ctx: RequestContext = {
      req,
      account,
      base: `${at.origin}${at.prefix}`,
      path,
      query: at.query,
      params: found.params,
      body,
      caller,
      headers: {},
      warnings: [],
    };
    const reply = await route.handler(ctx);
    const extra: Record<string, string> = { ...headers, ...ctx.headers };
    if (ctx.warnings.length > 0) extra['x-zendesk-api-warn'] = apiWarnHeader(route.controller, route.action, ctx.warnings);
    finish(reply, extra);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const p = err.problem;
    finish({ status: p.status, body: p.body, ...(p.headers ? { headers: p.headers } : {}) }, headers);
  }
}
