/**
 * Every Zendesk request goes through here: a slot from the shared pacer, a timeout, the
 * rate-limit headers back into the pacer, bounded retries of 429 (after Retry-After), of 503 with
 * Retry-After (a database timeout at Zendesk) and of idempotent requests after 5xx or a network
 * failure, and one retry after refreshing an OAuth token. POSTs are never repeated here: creates
 * have their own look-up-before-retry (see users.ts).
 */
import type { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorError, ConnectorResult } from '../contract.ts';
import type { ZendeskAuth } from './auth.ts';
import { errorFromResponse, parseZendeskError, zendeskError } from './errors.ts';
import { accountBudget, isEndpointLimited, retryAfterSeconds } from './rate-headers.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: Method;
  /** Path under the base URL, e.g. `/api/v2/users/me`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export interface HttpReply {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface ZendeskHttp {
  readonly baseUrl: string;
  /** Any HTTP answer is a value; only unreachable hosts, timeouts and lost credentials are errors. */
  send(req: HttpRequest, options?: SendOptions): Promise<ConnectorResult<HttpReply>>;
  /** A 2xx body parsed with `schema`; any other answer becomes a connector error. */
  json<T>(req: HttpRequest, schema: z.ZodType<T>, options?: SendOptions): Promise<ConnectorResult<T>>;
}

export interface SendOptions {
  /** Ahead of queued ordinary requests in the pacer (bulk job submissions and status reads). */
  priority?: boolean;
}

const MAX_RATE_LIMIT_RETRIES = 6;
const MAX_TRANSIENT_RETRIES = 2;
/** Cap on one Retry-After wait; a longer one is returned to the engine as rate_limited. */
const MAX_RETRY_AFTER_S = 120;

export function urlOf(baseUrl: string, req: Pick<HttpRequest, 'path' | 'query'>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.set(k, String(v));
  const q = qs.toString();
  return `${baseUrl}${req.path}${q ? `?${q}` : ''}`;
}

/** Describes a fetch failure: DNS, refused connection, timeout. */
export function networkError(e: unknown, url: string): ConnectorError {
  const error = e as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return zendeskError('timeout', 'transient', `No answer from ${new URL(url).host} within the request timeout`, 'Zendesk is slow or unreachable; Roster retries (a create is looked up first, so no duplicate is made).');
  }
  const code = error.cause?.code ?? '';
  const host = new URL(url).host;
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the name ${host} does not resolve (DNS)`
      : code === 'ECONNREFUSED'
        ? `${host} refused the connection`
        : `${host} could not be reached (${code || error.cause?.message || error.message})`;
  return zendeskError('unreachable', 'transient', `Zendesk is unreachable: ${why}`, 'Check the subdomain and the base URL, and that this server can reach Zendesk over HTTPS (proxy, firewall, DNS).');
}

export function createHttp(baseUrl: string, auth: ZendeskAuth, deps: ConnectorDeps, timeoutMs: number): ZendeskHttp {
  const once = async (req: HttpRequest, options: SendOptions): Promise<ConnectorResult<HttpReply>> => {
    const header = await auth.header();
    if (!header.ok) return header;
    await deps.pacer.acquire(options.priority ? { priority: true } : undefined);
    const url = urlOf(baseUrl, req);
    const init: RequestInit = {
      method: req.method,
      headers: {
        authorization: header.value,
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      signal: AbortSignal.timeout(timeoutMs),
    };
    if (req.body !== undefined) init.body = JSON.stringify(req.body);
    try {
      const res = await deps.fetch(url, init);
      const text = await res.text();
      let body: unknown = text;
      if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(text);
        } catch {
          // A broken JSON body is kept as text; callers see it as an unexpected response.
        }
      } else if (text.length === 0) body = null;
      return ok({ status: res.status, body, headers: res.headers });
    } catch (e) {
      return err(networkError(e, url));
    }
  };

  const send = async (req: HttpRequest, options: SendOptions = {}): Promise<ConnectorResult<HttpReply>> => {
    let rateLimited = 0;
    let transient = 0;
    let recovered = false;
    for (;;) {
      const r = await once(req, options);
      if (!r.ok) {
        if (req.method !== 'POST' && r.error.class === 'transient' && transient < MAX_TRANSIENT_RETRIES) {
          transient += 1;
          await deps.sleep(500 * 2 ** transient);
          continue;
        }
        return r;
      }
      const { status, headers, body } = r.value;
      const retryAfter = retryAfterSeconds(headers, deps.now());
      const kind = parseZendeskError(body).kind;
      const budget = accountBudget(headers);
      const endpointLimited = status === 429 && (isEndpointLimited(headers) || kind === 'APIRateLimitExceeded' || kind === 'TooManyJobs');
      await deps.pacer.observe({ ...budget, ...(status === 429 && !endpointLimited && retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) });
      if (status === 429 && kind !== 'TooManyJobs' && rateLimited < MAX_RATE_LIMIT_RETRIES && (retryAfter ?? 1) <= MAX_RETRY_AFTER_S) {
        rateLimited += 1;
        deps.log?.({ msg: 'zendesk 429', path: req.path, retryAfter, endpointLimited });
        // The account-wide wait happens in the pacer; an endpoint budget waits here.
        if (endpointLimited) await deps.sleep((retryAfter ?? 1) * 1000);
        continue;
      }
      if (status === 503 && retryAfter !== undefined && retryAfter <= MAX_RETRY_AFTER_S && transient < MAX_TRANSIENT_RETRIES + 1) {
        transient += 1;
        await deps.sleep(retryAfter * 1000);
        continue;
      }
      if (status >= 500 && req.method !== 'POST' && transient < MAX_TRANSIENT_RETRIES) {
        transient += 1;
        await deps.sleep(500 * 2 ** transient);
        continue;
      }
      if (status === 401 && !recovered) {
        recovered = true;
        const again = await auth.recover();
        if (!again.ok) return again;
        if (again.value) continue;
      }
      return r;
    }
  };

  return {
    baseUrl,
    send,
    async json(req, schema, options) {
      const r = await send(req, options);
      if (!r.ok) return r;
      const { status, body, headers } = r.value;
      if (status < 200 || status >= 300) return err(errorFromResponse(status, body, retryAfterSeconds(headers, deps.now())));
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return err(zendeskError('unexpected_response', 'transient', `Unexpected answer from Zendesk for ${req.method} ${req.path}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'unreadable body'}`, 'Zendesk answered in a shape Roster does not know; Roster retries. Report it if it persists.'));
      }
      return ok(parsed.data);
    },
  };
}
