/**
 * Escrow: users whose action failed wait in `provisioning_retries` with growing delays; the tick
 * turns due rows into incremental syncs, so a failure is retried in later cycles, not hammered.
 */
import { and, eq, lt, lte, sql } from 'drizzle-orm';
import { anyOf, inSlices, rowsPerInsert } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { provisioningCycles, provisioningRetries } from '../../db/provisioning-schema.ts';
import type { ConnectorError } from '../../connectors/contract.ts';

/** 1 min, 2, 4 … capped at 6 h. */
export const retryDelaySeconds = (attempts: number): number => Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);

/** Records one more failed attempt per user; `immediate` keeps work pending without a delay (a stopped application). */
export async function escrowUsers(executor: Executor, applicationId: string, failures: readonly { directoryId: string; error: ConnectorError }[], opts: { immediate?: boolean } = {}): Promise<void> {
  if (failures.length === 0) return;
  const t = provisioningRetries;
  for (const part of inSlices(failures, rowsPerInsert(6))) await executor
    .insert(t)
    .values(
      part.map((f) => ({
        applicationId,
        objectType: 'user',
        directoryId: f.directoryId,
        attempts: opts.immediate ? 0 : 1,
        nextAttemptAt: new Date(Date.now() + (opts.immediate ? 0 : retryDelaySeconds(1) * 1000)),
        lastError: { code: f.error.code, message: f.error.message, advice: f.error.advice, class: f.error.class },
      })),
    )
    .onConflictDoUpdate({
      target: [t.applicationId, t.objectType, t.directoryId],
      set: opts.immediate
        ? { nextAttemptAt: sql`least(${t.nextAttemptAt}, excluded.next_attempt_at)`, updatedAt: sql`now()` }
        : {
            attempts: sql`${t.attempts} + 1`,
            nextAttemptAt: sql`now() + make_interval(secs => least(60 * power(2, ${t.attempts}), 21600))`,
            lastError: sql`excluded.last_error`,
            updatedAt: sql`now()`,
          },
    });
}

/**
 * Clears the users' escrow after a run handled them. With the run's id, only rows escrowed before the
 * run began (before it read the directory) go: a change escrowed while the run was going (a full cycle
 * running, `cycle_running`) may be newer than what the run planned from, so it stays for its own run.
 */
export async function clearRetries(executor: Executor, applicationId: string, directoryIds: readonly string[], runId: string | null): Promise<void> {
  if (directoryIds.length === 0) return;
  const t = provisioningRetries;
  const c = provisioningCycles;
  const escrowedBefore = runId ? lt(t.updatedAt, sql`(select ${c.startedAt} from ${c} where ${c.id} = ${runId})`) : undefined;
  await executor.delete(t).where(and(eq(t.applicationId, applicationId), eq(t.objectType, 'user'), anyOf(t.directoryId, directoryIds), escrowedBefore));
}

/** Users of the application whose retry is due. */
export async function dueRetries(executor: Executor, applicationId: string, limit = 1000): Promise<string[]> {
  const t = provisioningRetries;
  const rows = await executor
    .select({ id: t.directoryId })
    .from(t)
    .where(and(eq(t.applicationId, applicationId), eq(t.objectType, 'user'), lte(t.nextAttemptAt, new Date())))
    .limit(limit);
  return rows.map((r) => r.id);
}
