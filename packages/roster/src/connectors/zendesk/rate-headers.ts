/**
 * Rate-limit headers (https://developer.zendesk.com/api-reference/introduction/rate-limits/):
 * the account budget as `X-Rate-Limit`/`X-Rate-Limit-Remaining` and `ratelimit-limit/remaining/reset`,
 * endpoint budgets as `zendesk-ratelimit-<name>: total=N; remaining=N; resets=N`, and `Retry-After`.
 */

export interface AccountBudget {
  limit?: number;
  remaining?: number;
  resetSeconds?: number;
}

const int = (v: string | null): number | undefined => {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

export function accountBudget(headers: Headers): AccountBudget {
  const out: AccountBudget = {};
  const limit = int(headers.get('ratelimit-limit')) ?? int(headers.get('x-rate-limit'));
  const remaining = int(headers.get('ratelimit-remaining')) ?? int(headers.get('x-rate-limit-remaining'));
  const reset = int(headers.get('ratelimit-reset'));
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (reset !== undefined) out.resetSeconds = reset;
  return out;
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const v = headers.get('retry-after');
  if (v === null) return undefined;
  const n = int(v);
  if (n !== undefined) return n;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** `zendesk-ratelimit-<name>` as numbers, e.g. `inflight-jobs` → {total: 30, remaining: 29, resets: 60}. */
export function endpointBudget(headers: Headers, name: string): { total: number; remaining: number; resets: number } | null {
  const v = headers.get(`zendesk-ratelimit-${name}`);
  if (v === null) return null;
  const parts = Object.fromEntries(v.split(';').map((p) => p.trim().split('=').map((s) => s.trim()) as [string, string]));
  const total = int(parts['total'] ?? null);
  const remaining = int(parts['remaining'] ?? null);
  const resets = int(parts['resets'] ?? null);
  return total === undefined || remaining === undefined ? null : { total, remaining, resets: resets ?? 60 };
}

/** A 429 from an endpoint budget (per user, exports) waits locally; only the account budget pauses everyone. */
export function isEndpointLimited(headers: Headers): boolean {
  for (const name of ['create-update-user', 'incremental-exports-cursor', 'incremental-exports']) {
    if (endpointBudget(headers, name)?.remaining === 0) return true;
  }
  return false;
}
