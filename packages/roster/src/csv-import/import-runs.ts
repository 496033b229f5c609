/**
 * The `import_runs` record of a CSV or JSON import: started, its counts saved with every committed
 * batch, then finished with counts and errors — or, when its process stopped first, marked
 * `interrupted` by the next start with the counts of what was committed.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Principal } from '../admins/permissions.ts';
import type { Executor } from '../db/database.ts';
import { importRuns } from '../db/schema.ts';
import type { RowIssue } from './user-rows.ts';

/** At most this many row errors are kept (in the run and in the response); the count is exact. */
export const MAX_KEPT_ERRORS = 1000;

/** A running import whose heartbeat is older than this is taken as stopped (PostgreSQL, several processes). */
export const IMPORT_STALE_AFTER_MS = 10 * 60_000;

export async function startImportRun(executor: Executor, actor: Principal, run: { source: 'csv' | 'json'; kind: 'users' | 'memberships'; dryRun: boolean }): Promise<string> {
  const [row] = await executor.insert(importRuns).values({ ...run, status: 'running', actorId: actor.adminId }).returning({ id: importRuns.id });
  return row!.id;
}

/** Saves the counts as of a batch; inside that batch's transaction, so they never run ahead of what was committed. */
export async function recordImportProgress(executor: Executor, id: string, counts: Record<string, number>): Promise<void> {
  await executor.update(importRuns).set({ counts, heartbeatAt: sql`now()` }).where(eq(importRuns.id, id));
}

export async function finishImportRun(executor: Executor, id: string, status: 'completed' | 'failed', counts: Record<string, number>, errors: readonly RowIssue[]): Promise<void> {
  await executor
    .update(importRuns)
    .set({ status, counts, errors: errors.slice(0, MAX_KEPT_ERRORS).map((e) => (e.field ? { row: e.row, field: e.field, reason: e.reason } : { row: e.row, reason: e.reason })), finishedAt: new Date() })
    .where(eq(importRuns.id, id));
}

/**
 * At start: imports left `running` by a process that is gone become `interrupted`, keeping the
 * counts of their last committed batch. `everyRunning` when no other process can be importing
 * (embedded PGlite: the data folder is this process's alone); otherwise only runs whose heartbeat
 * is older than `staleAfterMs`. Returns how many were marked.
 */
export async function markInterruptedImports(executor: Executor, opts: { everyRunning: boolean; staleAfterMs?: number }): Promise<number> {
  const stale = sql`now() - make_interval(secs => ${(opts.staleAfterMs ?? IMPORT_STALE_AFTER_MS) / 1000})`;
  const reason = 'interrupted: the process running this import stopped before the end; the counts are what was committed. Import the file again: rows already imported come out unchanged.';
  const marked = await executor
    .update(importRuns)
    .set({
      status: 'interrupted',
      finishedAt: new Date(),
      errors: sql`${importRuns.errors} || jsonb_build_array(jsonb_build_object('row', coalesce((${importRuns.counts}->>'rows')::int, 0) + 1, 'reason', ${reason}::text))`,
    })
    .where(and(eq(importRuns.status, 'running'), opts.everyRunning ? undefined : lt(importRuns.heartbeatAt, stale)))
    .returning({ id: importRuns.id });
  return marked.length;
}
