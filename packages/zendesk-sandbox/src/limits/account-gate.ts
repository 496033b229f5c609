import type { Reply } from '../http/route.ts';
import type { Account } from '../store/account.ts';

/** Outcome of charging one request to the account's per-minute budget. */
export interface GateResult {
  readonly headers: Record<string, string>;
  readonly refusal: Reply | null;
}

const NO_LIMIT: GateResult = { headers: {}, refusal: null };

/**
 * Per-account per-minute budget (API-NOTES §6.2–6.3): `X-Rate-Limit(-Remaining)` plus
 * `ratelimit-limit/remaining/reset` on every answer; 429 with `Retry-After` past the budget. The
 * account-wide 429 body is plain text, as reported (UNVERIFIED).
 */
export function chargeAccount(account: Account, now = Date.now()): GateResult {
  const limit = account.plan.requestsPerMinute;
  if (!account.plan.limits || limit === null) return NO_LIMIT;
  const b = account.budgets.account.take('account', limit, now);
  const headers: Record<string, string> = {
    'x-rate-limit': String(limit),
    'x-rate-limit-remaining': String(b.remaining),
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(b.remaining),
    'ratelimit-reset': String(b.resetSec),
  };
  if (b.allowed) return { headers, refusal: null };
  return {
    headers,
    refusal: { status: 429, text: 'Number of allowed API requests per minute exceeded', headers: { 'retry-after': String(b.resetSec) } },
  };
}

/** An endpoint bucket (`zendesk-ratelimit-<name>` header, JSON 429 body). */
export function chargeEndpoint(
  account: Account,
  counter: 'perUser' | 'incremental' | 'purge',
  key: string,
  limit: number,
  headerName: string,
  description: string,
  now = Date.now(),
): GateResult {
  if (!account.plan.limits) return NO_LIMIT;
  const b = account.budgets[counter].take(key, limit, now);
  const headers = { [headerName]: `total=${limit}; remaining=${b.remaining}; resets=${b.resetSec}` };
  if (b.allowed) return { headers, refusal: null };
  return {
    headers,
    refusal: {
      status: 429,
      body: { error: 'APIRateLimitExceeded', description },
      headers: { 'retry-after': String(b.resetSec) },
    },
  };
}
