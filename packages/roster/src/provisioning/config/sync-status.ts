/**
 * Synchronization details of one application, as the Overview tab shows them: the state and why,
 * the running cycle with its progress, the last finished cycle's counts and duration, the next
 * scheduled cycle, the plan waiting for a decision (approval, staged removals), the escrow count
 * and the quarantine; and the list of cycles, newest first.
 */
import { and, asc, desc, eq, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { provisioningCycles, provisioningPlans, provisioningRetries } from '../../db/provisioning-schema.ts';
import { readHealth } from '../health/assess-run.ts';
import { findConfigRow } from './config-row.ts';
import { loadProvisioningConfig } from './load-config.ts';

export const cycleSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  counts: z.record(z.string(), z.number()),
  progress: z.object({ total: z.number(), done: z.number() }),
  error: z.record(z.string(), z.unknown()).nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Wall time of a finished cycle; null while it runs. */
  durationMs: z.number().int().nullable(),
});
export type CycleView = z.infer<typeof cycleSchema>;

export const syncStatusSchema = z.object({
  applicationId: z.string(),
  enabled: z.boolean(),
  state: z.string(),
  stateReason: z.record(z.string(), z.unknown()).nullable(),
  /** The cycle or incremental batch running now, with `progress`. */
  running: cycleSchema.nullable(),
  /** The last finished full cycle (initial, periodic or on demand). */
  lastCompleted: cycleSchema.nullable(),
  lastCycleAt: z.iso.datetime().nullable(),
  nextCycleAt: z.iso.datetime().nullable(),
  /** True while a cycle's plan waits for approval (settings.requireApproval): nothing is applied until an admin decides. */
  awaitingApproval: z.boolean(),
  /** The newest plan waiting for a decision: a plan awaiting approval, or removals staged by the deletion threshold. */
  pendingPlan: z.object({ id: z.string(), kind: z.string(), counts: z.record(z.string(), z.number()), createdAt: z.iso.datetime(), version: z.number().int() }).nullable(),
  /** Objects waiting in escrow for a retry (GET …/provisioning/escrow lists them). */
  escrowed: z.number().int(),
  /** Set while quarantined (or paused during a quarantine): since when, why (`configuration` | `failure_rate` | `failed_runs`), runs in a row that failed entirely. */
  quarantine: z.object({ since: z.string().nullable(), cause: z.string().nullable(), failedRuns: z.number().int() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

type CycleRow = typeof provisioningCycles.$inferSelect;

const toView = (r: CycleRow): CycleView => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  counts: r.counts,
  progress: r.progress,
  error: r.error ?? null,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
});

/** Cycles started before the cursor `(startedAt, id)`, newest first. */
export async function listCycles(executor: Executor, applicationId: string, limit: number, before?: { startedAt: Date; id: string }): Promise<CycleView[]> {
  const c = provisioningCycles;
  const rows = await executor
    .select()
    .from(c)
    .where(and(eq(c.applicationId, applicationId), before ? or(lt(c.startedAt, before.startedAt), and(eq(c.startedAt, before.startedAt), lt(c.id, before.id))) : undefined))
    .orderBy(desc(c.startedAt), desc(c.id))
    .limit(limit);
  return rows.map(toView);
}

export async function syncStatus(executor: Executor, applicationId: string): Promise<SyncStatus> {
  const config = await loadProvisioningConfig(executor, applicationId);
  const c = provisioningCycles;
  // The main lane's run when a quick batch runs beside it (run/lanes.ts): the burst is what an admin follows.
  const [running] = await executor.select().from(c).where(and(eq(c.applicationId, applicationId), eq(c.status, 'running'))).orderBy(asc(sql`${c.lane} = 'quick'`), desc(c.startedAt)).limit(1);
  const [last] = await executor
    .select()
    .from(c)
    .where(and(eq(c.applicationId, applicationId), ne(c.status, 'running'), ne(c.kind, 'incremental'), isNotNull(c.finishedAt)))
    .orderBy(desc(c.finishedAt), desc(c.startedAt))
    .limit(1);
  const p = provisioningPlans;
  const pending = await executor
    .select()
    .from(p)
    .where(and(eq(p.applicationId, applicationId), eq(p.status, 'pending')))
    .orderBy(desc(p.createdAt))
    .limit(5);
  const [escrowed] = await executor.select({ n: sql<number>`count(*)::int` }).from(provisioningRetries).where(eq(provisioningRetries.applicationId, applicationId));
  const health = readHealth((await findConfigRow(executor, applicationId))?.health);
  const quarantined = config.state === 'quarantined' || health.quarantinedAt !== null;
  return {
    applicationId,
    enabled: config.enabled,
    state: config.state,
    stateReason: config.stateReason,
    running: running ? toView(running) : null,
    lastCompleted: last ? toView(last) : null,
    lastCycleAt: config.lastCycleAt,
    nextCycleAt: config.nextCycleAt,
    awaitingApproval: pending.some((p) => p.kind === 'approval'),
    pendingPlan: pending[0] ? { id: pending[0].id, kind: pending[0].kind, counts: pending[0].counts, createdAt: pending[0].createdAt.toISOString(), version: pending[0].version } : null,
    escrowed: escrowed?.n ?? 0,
    quarantine: quarantined ? { since: health.quarantinedAt, cause: health.cause ?? (typeof config.stateReason?.['cause'] === 'string' ? config.stateReason['cause'] : null), failedRuns: health.failedRuns } : null,
  };
}
