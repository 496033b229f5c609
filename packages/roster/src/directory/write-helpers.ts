/** Small helpers shared by directory writes: one transaction per service call, constraint errors. */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../db/database.ts';

/**
 * Runs `fn` in a transaction on `executor`: a new one on the database, a savepoint inside a caller's
 * transaction, so services compose and a failure never leaves half a change.
 */
export function inTransaction<T>(executor: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (executor as Db).transaction(fn);
}

/** True when `e` (or the driver error drizzle wraps) is a unique violation, optionally of one index. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const { code, constraint: name } = cur as { code?: unknown; constraint?: unknown };
    if (code === '23505') return constraint === undefined || name === constraint;
  }
  return false;
}

/** Takes a transaction-scoped advisory lock on `key`, serialising writers whose checks must see each other. */
export async function advisoryLock(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** What a write may carry besides its input: the request id, recorded in the audit log. */
export interface WriteOptions {
  requestId?: string | undefined;
  /** The application the change was read from (an import): its outbox rows carry it (directory/outbox.ts). */
  origin?: string | undefined;
}

/** Runs raw SQL and returns its rows, the same way on both drivers. */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A timestamp from raw SQL (a Date or a string, depending on the driver) as ISO 8601. */
export const isoTime = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
