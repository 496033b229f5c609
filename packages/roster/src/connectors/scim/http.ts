/**
 * Every SCIM request goes through here: at most `maxConcurrency` in flight, a slot from the shared
 * pacer, a timeout, the app's rate-limit headers (rate-headers.ts) and `Retry-After` back into the pacer, bounded retries of 429 (after Retry-After)
 * and of idempotent requests after 5xx or a network failure, and one retry after new client
 * credentials. POSTs are never repeated here: creates look up before retrying (users.ts) and bulk
 * requests settle unconfirmed items themselves (bulk.ts).
 */
import type { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorError, ConnectorResult } from '../contract.ts';
import type { ScimAuth } from './auth.ts';
import { canonicalKeys } from './canonical.ts';
import { errorFromResponse, parseScimError, scimError, unexpectedResponse } from './errors.ts';
import { appBudget } from './rate-headers.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: Method;
  /** Path under the base URL, e.g. `/Users/2819c223`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** `If-Match` (RFC 7644 §3.14), when the resource carried a version and the app supports ETags. */
  ifMatch?: string;
  /** Longer than the connection's request timeout for a request that carries much work (a large `/Bulk`). */
  timeoutMs?: number;
  /**
   * A request that carries much work (a `/Bulk`, a PATCH of many members): at most
   * `maxHeavyInFlight` of them at the app at once. Each waits its turn here with its pacer slot
   * taken and its body built, and goes the moment the one before it is answered: the app is kept
   * busy without a queue of them at the app (README "Lost /Bulk requests").
   */
  heavy?: boolean;
}

export interface HttpReply {
  status: number;
  body: unknown;
  headers: Headers;
  /** The request's place in this connection's sending order (1, 2, …; after its pacer slot). */
  sentSeq?: number;
}

export interface ScimHttp {
  readonly baseUrl: string;
  /** Any HTTP answer is a value; only unreachable hosts, timeouts and lost credentials are errors. */
  send(req: HttpRequest): Promise<ConnectorResult<HttpReply>>;
  /** A 2xx body parsed with `schema`; any other answer becomes a connector error. */
  json<T>(req: HttpRequest, schema: z.ZodType<T>): Promise<ConnectorResult<T>>;
}

const MAX_RATE_LIMIT_RETRIES = 6;
const MAX_TRANSIENT_RETRIES = 2;
/** Cap on one Retry-After wait; a longer one is returned to the engine as rate_limited. */
const MAX_RETRY_AFTER_S = 120;
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** A lone surrogate (no UTF-8 for it) becomes U+FFFD, as URLSearchParams does, instead of throwing. */
const encode = (v: string) => encodeURIComponent(v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/**
 * The request URL. Query values are percent-encoded by RFC 3986 (a space is `%20`, never the
 * form encoding's `+`, which an RFC 3986 server reads as a plus: `userName+eq+"a"` is no filter).
 */
export function urlOf(baseUrl: string, req: Pick<HttpRequest, 'path' | 'query'>): string {
  const q = Object.entries(req.query ?? {})
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${encode(k)}=${encode(String(v))}`)
    .join('&');
  return `${baseUrl}${req.path}${q ? `?${q}` : ''}`;
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Describes a fetch failure: DNS, refused or dropped connection, timeout. */
export function networkError(e: unknown, url: string): ConnectorError {
  const error = e as Error & { cause?: { code?: string; message?: string } };
  const host = new URL(url).host;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return scimError('timeout', 'transient', `No answer from ${host} within the request timeout`, 'The app is slow or unreachable; Roster retries (a create is looked up first, so no duplicate is made).');
  }
  const code = error.cause?.code ?? '';
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the name ${host} does not resolve (DNS)`
      : code === 'ECONNREFUSED'
        ? `${host} refused the connection`
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? `${host} dropped the connection`
          : `${host} could not be reached (${code || error.cause?.message || error.message})`;
  return scimError('unreachable', 'transient', `The app is unreachable: ${why}`, 'Check the base URL and that this server can reach the app over HTTPS (proxy, firewall, DNS); Roster retries.');
}

/** A counting semaphore: at most `max` holders at once, the rest wait in order. */
function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await run();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * Heavy requests (`HttpRequest.heavy`) at most `max` at once. When one is answered and the next
 * takes its turn, the answer goes back to its caller only after a few turns of the event loop: the
 * next request is written on them, and the answer's processing (parsing up to 1,000 results, the
 * engine recording them in one transaction) would otherwise hold it back for as long as that takes
 * while the app waits idle.
 */
export function createHeavyTurns(max: number) {
  const limit = createLimiter(max);
  let started = 0;
  return async <T>(run: () => Promise<T>): Promise<T> => {
    let mine = 0;
    const out = await limit(() => {
      mine = started += 1;
      return run();
    });
    if (started > mine) await handover();
    return out;
  };
}

/**
 * A few turns of the event loop: fetch writes a request (500 KB on a kept-alive connection,
 * measured) within three immediates or one timer turn; both are taken, about a millisecond.
 */
async function handover(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

export function createHttp(baseUrl: string, auth: ScimAuth, deps: ConnectorDeps, options: { timeoutMs: number; maxConcurrency: number; maxHeavyInFlight?: number }): ScimHttp {
  const limit = createLimiter(options.maxConcurrency);
  const heavyTurn = createHeavyTurns(options.maxHeavyInFlight ?? 1);
  /**
   * Requests sent so far, and how many had been sent when this connection last told the pacer of a
   * 429. A 429 to a request sent before that report was in flight during the same overload: it is
   * waited out but not reported again, so one burst of refusals (up to `maxConcurrency` at once)
   * cuts an unconfirmed limit once, not once per request. A count, not a clock: requests sent in
   * the same millisecond as the report (common: a burst leaves together) were told apart wrongly by
   * time, and the burst was reported twice (1 run in 6 of the burst test).
   */
  let sent = 0;
  let reportedThrough = 0;

  const once = (req: HttpRequest): Promise<ConnectorResult<HttpReply>> =>
    limit(async () => {
      const header = await auth.header();
      if (!header.ok) return header;
      await deps.pacer.acquire();
      const url = urlOf(baseUrl, req);
      const headers: Record<string, string> = { authorization: header.value, accept: `${SCIM_CONTENT_TYPE}, application/json` };
      if (req.body !== undefined) headers['content-type'] = SCIM_CONTENT_TYPE;
      if (req.ifMatch) headers['if-match'] = req.ifMatch;
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      // The request and its whole answer, at its turn when heavy; the timeout runs from its sending.
      const exchange = async () => {
        const sentSeq = (sent += 1);
        const init: RequestInit = { method: req.method, headers, signal: AbortSignal.timeout(Math.max(options.timeoutMs, req.timeoutMs ?? 0)) };
        if (payload !== undefined) init.body = payload;
        const res = await deps.fetch(url, init);
        return { res, text: await res.text(), sentSeq };
      };
      try {
        const { res, text, sentSeq } = req.heavy ? await heavyTurn(exchange) : await exchange();
        let body: unknown = text.length === 0 ? null : text;
        if (text.length > 0 && /json/i.test(res.headers.get('content-type') ?? '')) {
          try {
            body = JSON.parse(text);
          } catch {
            // A broken JSON body stays text; callers see an unexpected response.
          }
        } else if (text.length > 0 && /^\s*[[{]/.test(text)) {
          // Some apps send SCIM JSON as text/plain; read it anyway.
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON after all.
          }
        }
        // Attribute names and schema URNs are case-insensitive (RFC 7643 §2.1): read in one spelling.
        return ok({ status: res.status, body: canonicalKeys(body), headers: res.headers, sentSeq });
      } catch (e) {
        return err(networkError(e, url));
      }
    });

  const send = async (req: HttpRequest): Promise<ConnectorResult<HttpReply>> => {
    let rateLimited = 0;
    let transient = 0;
    let recovered = false;
    const retriable = req.method !== 'POST';
    for (;;) {
      const r = await once(req);
      if (!r.ok) {
        if (retriable && r.error.class === 'transient' && r.error.code !== 'scim.token_unavailable' && transient < MAX_TRANSIENT_RETRIES) {
          transient += 1;
          await deps.sleep(500 * 2 ** transient);
          continue;
        }
        return r;
      }
      const { status, headers } = r.value;
      const retryAfter = retryAfterSeconds(headers, deps.now());
      // The app's budget (rate-headers.ts) goes to the shared pacer on every answer; Retry-After of a 429 pauses everyone.
      const budget = appBudget(headers, deps.now());
      const fresh429 = status === 429 && retryAfter !== undefined && (r.value.sentSeq ?? sent + 1) > reportedThrough;
      if (fresh429) reportedThrough = sent;
      if (fresh429 || Object.keys(budget).length > 0) await deps.pacer.observe({ ...budget, ...(fresh429 ? { retryAfterSeconds: retryAfter } : {}) });
      if (status === 429) {
        if (rateLimited < MAX_RATE_LIMIT_RETRIES && (retryAfter ?? 1) <= MAX_RETRY_AFTER_S) {
          rateLimited += 1;
          deps.log?.({ msg: 'scim 429', path: req.path, retryAfter });
          // Without Retry-After the pacer knows nothing new: wait here, growing. A 429 not reported (in flight during the last one) waits its Retry-After here.
          if (retryAfter === undefined) await deps.sleep(1000 * 2 ** (rateLimited - 1));
          else if (!fresh429) await deps.sleep(retryAfter * 1000);
          continue;
        }
        return r;
      }
      if (status >= 500 && status !== 501 && retriable && transient < MAX_TRANSIENT_RETRIES) {
        transient += 1;
        await deps.sleep(retryAfter !== undefined && retryAfter <= MAX_RETRY_AFTER_S ? retryAfter * 1000 : 500 * 2 ** transient);
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
    async json(req, schema) {
      const r = await send(req);
      if (!r.ok) return r;
      const { status, body, headers } = r.value;
      if (status < 200 || status >= 300) return err(errorFromResponse(status, body, retryAfterSeconds(headers, deps.now())));
      if (parseScimError(body).html) return err(errorFromResponse(status, body));
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return err(unexpectedResponse(`${req.method} ${req.path}`, issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'unreadable body'));
      }
      return ok(parsed.data);
    },
  };
}
