/** The `import_runs` record of a CSV or JSON import: started, then finished with counts and errors. */
import { eq } from 'drizzle-orm';
import type { Principal } from '../admins/permissions.ts';
import type { Executor } from '../db/database.ts';
import { importRuns } from '../db/schema.ts';
import type { RowIssue } from './user-rows.ts';

/** At most this many row errors are kept (in the run and in the response); the count is exact. */
export const MAX_KEPT_ERRORS = 1000;

export async function startImportRun(executor: Executor, actor: Principal, run: { source: 'csv' | 'json'; kind: 'users' | 'memberships'; dryRun: boolean }): Promise<string> {
  const [row] = await executor.insert(importRuns).values({ ...run, status: 'running', actorId: actor.adminId }).returning({ id: importRuns.id });
  return row!.id;
}

export async function finishImportRun(executor: Executor, id: string, status: 'completed' | 'failed', counts: Record<string, number>, errors: readonly RowIssue[]): Promise<void> {
  await executor
    .update(importRuns)
    .set({ status, counts, errors: errors.slice(0, MAX_KEPT_ERRORS).map((e) => (e.field ? { row: e.row, field: e.field, reason: e.reason } : { row: e.row, reason: e.reason })), finishedAt: new Date() })
    .where(eq(importRuns.id, id));
}
