/**
 * Login throttling across processes, in the login_throttle table: failures are counted per email
 * and per client address inside a window; too many lock the key for a while.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { loginThrottle } from '../db/schema.ts';

export interface ThrottlePolicy {
  /** Failures within the window that lock an email. */
  maxEmailFailures: number;
  /** Higher for an address: many admins may sit behind one NAT. */
  maxAddressFailures: number;
  windowMs: number;
  lockMs: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  maxEmailFailures: 5,
  maxAddressFailures: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export interface ThrottleKey {
  key: string;
  maxFailures: number;
}

/** The keys one sign-in attempt counts against. */
export function throttleKeys(email: string, address: string, policy: ThrottlePolicy = defaultThrottlePolicy): { email: ThrottleKey; address: ThrottleKey } {
  return {
    email: { key: `email:${email.trim().toLowerCase()}`, maxFailures: policy.maxEmailFailures },
    address: { key: `ip:${address}`, maxFailures: policy.maxAddressFailures },
  };
}

/** Seconds until the longest lock among `keys` ends, or 0 when none is locked. */
export async function lockedForSeconds(executor: Executor, keys: readonly ThrottleKey[], now: Date = new Date()): Promise<number> {
  const rows = await executor
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys.map((k) => k.key)));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/**
 * Counts one failure (atomically, so concurrent attempts all count) and locks the key when it
 * reaches its limit. A window that has passed, or a lock that has ended, starts a fresh count.
 */
export async function recordFailure(executor: Executor, k: ThrottleKey, now: Date = new Date(), policy: ThrottlePolicy = defaultThrottlePolicy): Promise<{ failures: number; lockedUntil: Date | null }> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
  const lockEnd = new Date(now.getTime() + policy.lockMs).toISOString();
  const stale = sql`(${loginThrottle.windowStartedAt} < ${windowStart}::timestamptz or ${loginThrottle.lockedUntil} <= ${at}::timestamptz)`;
  const next = sql`(case when ${stale} then 1 else ${loginThrottle.failures} + 1 end)`;
  const [row] = await executor
    .insert(loginThrottle)
    .values({ key: k.key, failures: 1, windowStartedAt: now, lockedUntil: k.maxFailures <= 1 ? new Date(lockEnd) : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${stale} then ${at}::timestamptz else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} >= ${k.maxFailures} then ${lockEnd}::timestamptz when ${stale} then null else ${loginThrottle.lockedUntil} end`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  return row ?? { failures: 0, lockedUntil: null };
}

/** A successful sign-in forgets the email's failures. */
export async function clearThrottle(executor: Executor, k: ThrottleKey): Promise<void> {
  await executor.delete(loginThrottle).where(inArray(loginThrottle.key, [k.key]));
}
