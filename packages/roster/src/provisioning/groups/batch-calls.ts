/**
 * Batch group calls (`GroupClient.createMany` / `addMembers` / `removeMembers`) as the apply
 * uses them: chunks of at most the target's `groupBatchMaxItems`, and items that failed for a
 * transient reason (or were rate limited) sent again in a smaller batch, as `callWithRetry` does
 * for one call. Only idempotent calls are retried item by item (memberships); creates are not.
 */
import type { ConnectorError, ConnectorResult, GroupBatchResult } from '../../connectors/contract.ts';
import { callWithRetry, type RetryPolicy } from '../apply/call-with-retry.ts';

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

const missing = (index: number): GroupBatchResult<never> => ({
  index,
  ok: false,
  error: { code: 'batch_result_missing', class: 'transient', message: 'The connector answered no result for this item', advice: 'Roster tries again in the next cycle.' },
});

/** Each item's result, by position in `items`; an item still failing after the retries keeps its last error. */
export async function batchWithRetry<I, T>(items: readonly I[], call: (items: I[]) => Promise<ConnectorResult<GroupBatchResult<T>[]>>, policy: RetryPolicy): Promise<ConnectorResult<GroupBatchResult<T>[]>> {
  const out: GroupBatchResult<T>[] = new Array(items.length);
  const attempts = policy.transientAttempts ?? 3;
  let pending = items.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const r = await callWithRetry(() => call(pending.map((i) => items[i]!)), policy);
    if (!r.ok) {
      if (attempt === 0) return r;
      for (const i of pending) out[i] = { index: i, ok: false, error: r.error };
      break;
    }
    const again: number[] = [];
    let waitMs = 0;
    pending.forEach((i, k) => {
      const res = r.value[k] ?? missing(k);
      const error: ConnectorError | null = res.ok ? null : res.error;
      if (error && (error.class === 'transient' || error.class === 'rate_limited') && attempt < attempts) {
        again.push(i);
        waitMs = Math.max(waitMs, error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : (policy.baseDelayMs ?? 500) * 2 ** attempt);
        return;
      }
      out[i] = { ...res, index: i };
    });
    if (again.length > 0) await policy.sleep(waitMs);
    pending = again;
  }
  return { ok: true, value: out };
}
