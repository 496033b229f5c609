/**
 * One connector call, retried by its error's class: transient → a few times with backoff;
 * rate_limited → wait as the target said (Retry-After); object and configuration → returned at once.
 */
import type { ConnectorResult } from '../../connectors/contract.ts';

export interface RetryPolicy {
  sleep(ms: number): Promise<void>;
  /** Transient retries before giving up (then the object goes to escrow). */
  transientAttempts?: number;
  /** Rate-limit waits before giving up. */
  rateLimitWaits?: number;
  baseDelayMs?: number;
}

export async function callWithRetry<T>(call: () => Promise<ConnectorResult<T>>, policy: RetryPolicy): Promise<ConnectorResult<T>> {
  const transientMax = policy.transientAttempts ?? 3;
  const waitsMax = policy.rateLimitWaits ?? 20;
  let transient = 0;
  let waits = 0;
  for (;;) {
    const r = await call();
    if (r.ok) return r;
    if (r.error.class === 'rate_limited' && waits < waitsMax) {
      waits += 1;
      await policy.sleep(Math.max(1, r.error.retryAfterSeconds ?? 1) * 1000);
      continue;
    }
    if (r.error.class === 'transient' && transient < transientMax) {
      const delay = r.error.retryAfterSeconds !== undefined ? r.error.retryAfterSeconds * 1000 : (policy.baseDelayMs ?? 500) * 2 ** transient;
      transient += 1;
      await policy.sleep(delay);
      continue;
    }
    return r;
  }
}
