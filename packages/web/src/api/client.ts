/**
 * The one HTTP client of the UI, typed by `schema.d.ts` (generated from the server's OpenAPI
 * document). It sends the session's CSRF token on unsafe methods and turns error envelopes into
 * thrown `ApiError`s, so React Query sees failures as errors.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, toApiError } from './errors.ts';
import type { paths } from './schema.d.ts';

let csrfToken: string | null = null;

/** Set by the session provider after sign-in and on every session read. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** What openapi-fetch resolves to. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; throws an ApiError otherwise. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? `Roster cannot be reached: ${e.message}` : 'Roster cannot be reached.');
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

/** `If-Match` for a version read earlier (optimistic concurrency; a stale one gets 409 version_conflict). */
export const ifMatch = (version: number): { 'if-match': string } => ({ 'if-match': `"${version}"` });

/** Headers for hand-made fetch calls (CSV upload, exports) that bypass openapi-fetch. */
export function rawHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return csrfToken ? { ...extra, 'x-csrf-token': csrfToken } : extra;
}
