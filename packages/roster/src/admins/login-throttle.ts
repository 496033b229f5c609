/**
 * Login throttling across processes, in the login_throttle table. Failures are counted per
 * (email, client address) pair and per client address:
 * - a pair gets a few free failures, then each further failure locks that pair for a growing
 *   delay (1, 2, 4 … minutes, at most an hour). It never locks the email for other addresses, so
 *   someone who knows the owner's email cannot lock the owner out from elsewhere;
 * - an address that fails too often, across emails, is locked for a fixed time (password spraying).
 * Behind a reverse proxy the client address is only right with ROSTER_TRUST_PROXY (README).
 */
import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { loginThrottle } from '../db/schema.ts';

export interface KeyPolicy {
  /** Failures within the window before the key locks. */
  maxFailures: number;
  /** A count older than this starts again. */
  windowMs: number;
  /** How long the key locks at its limit. */
  lockMs: number;
  /**
   * When set, every failure past the limit doubles the lock, up to this; the count survives the
   * end of a lock. Without it, the count starts again once a lock ends.
   */
  maxLockMs?: number;
}

export interface ThrottlePolicy {
  /** One email from one address: typos are free, then the delays grow. */
  pair: KeyPolicy;
  /** One address across emails: higher, since many admins may sit behind one NAT. */
  address: KeyPolicy;
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  pair: { maxFailures: 5, windowMs: 24 * 60 * 60_000, lockMs: 60_000, maxLockMs: 60 * 60_000 },
  address: { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
};

export interface ThrottleKey extends KeyPolicy {
  key: string;
}

/** The keys one sign-in attempt counts against. */
export function throttleKeys(email: string, address: string, policy: ThrottlePolicy = defaultThrottlePolicy): { pair: ThrottleKey; address: ThrottleKey } {
  return {
    pair: { key: `email-ip:${email.trim().toLowerCase()}|${address}`, ...policy.pair },
    address: { key: `ip:${address}`, ...policy.address },
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

/** How long the `failures`-th failure locks a key (0: not at all). */
export function lockMsAfter(k: KeyPolicy, failures: number): number {
  if (failures < k.maxFailures) return 0;
  if (k.maxLockMs === undefined) return k.lockMs;
  return Math.min(k.lockMs * 2 ** Math.min(failures - k.maxFailures, 30), k.maxLockMs);
}

/**
 * Counts one failure (atomically, so concurrent attempts all count) and locks the key when it
 * reaches its limit. A window that has passed (or, for a fixed lock, a lock that has ended) starts
 * a fresh count.
 */
export async function recordFailure(executor: Executor, k: ThrottleKey, now: Date = new Date()): Promise<{ failures: number; lockedUntil: Date | null }> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - k.windowMs).toISOString();
  const windowOver = sql`${loginThrottle.windowStartedAt} < ${windowStart}::timestamptz`;
  const stale = k.maxLockMs === undefined ? sql`(${windowOver} or ${loginThrottle.lockedUntil} <= ${at}::timestamptz)` : sql`(${windowOver})`;
  const next = sql`(case when ${stale} then 1 else ${loginThrottle.failures} + 1 end)`;
  // The lock in milliseconds for the `next`-th failure, as lockMsAfter computes it.
  const lockMs =
    k.maxLockMs === undefined
      ? sql`${k.lockMs}::float8`
      : sql`least(${k.lockMs}::float8 * power(2::float8, least(${next} - ${k.maxFailures}, 30)), ${k.maxLockMs}::float8)`;
  const lockEnd = sql`${at}::timestamptz + make_interval(secs => ${lockMs} / 1000)`;
  const [row] = await executor
    .insert(loginThrottle)
    .values({ key: k.key, failures: 1, windowStartedAt: now, lockedUntil: k.maxFailures <= 1 ? new Date(now.getTime() + lockMsAfter(k, 1)) : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${stale} then ${at}::timestamptz else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} >= ${k.maxFailures} then ${lockEnd} when ${stale} then null else ${loginThrottle.lockedUntil} end`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  return row ?? { failures: 0, lockedUntil: null };
}

/** A successful sign-in forgets the failures of its (email, address) pair. */
export async function clearThrottle(executor: Executor, k: ThrottleKey): Promise<void> {
  await executor.delete(loginThrottle).where(inArray(loginThrottle.key, [k.key]));
}
