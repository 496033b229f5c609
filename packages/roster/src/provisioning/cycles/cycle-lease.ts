/**
 * One cycle or batch per application at a time, across every worker: a `provisioning_cycles` row
 * in status `running` is the lease, and a partial unique index (migration 0004) lets only one
 * exist per application. The holder renews `heartbeat_at`; a row whose heartbeat stopped belongs
 * to a dead worker and is closed by the next acquirer.
 *
 * Chosen over pg-boss `singleton`/`stately` queue policies: with those, a second job of a busy key
 * makes pg-boss's fetch fail for the whole batch, blocking other applications' jobs behind it.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';
import { emptyCounts } from '../events/record-event.ts';

/** `approved_plan`: an approved plan (or allowed staged removals) being applied (plans/apply-kept-plan.ts). */
export type LeaseKind = 'initial' | 'periodic' | 'on_demand' | 'incremental' | 'approved_plan';

/** A running cycle whose heartbeat is older than this was lost with its worker. */
export const LEASE_STALE_SECONDS = 45;
export const HEARTBEAT_MS = 10_000;

export type Acquired = { ok: true; cycleId: string } | { ok: false; heldBy: { cycleId: string; kind: string } | null };

export async function acquireCycle(db: Db, applicationId: string, kind: LeaseKind): Promise<Acquired> {
  return db.transaction(async (tx) => {
    await tx
      .update(provisioningCycles)
      .set({ status: 'failed', finishedAt: sql`now()`, error: { code: 'worker_lost', message: 'The worker running this cycle stopped answering; another worker took over.' } })
      .where(and(eq(provisioningCycles.applicationId, applicationId), eq(provisioningCycles.status, 'running'), lt(provisioningCycles.heartbeatAt, sql`now() - make_interval(secs => ${LEASE_STALE_SECONDS})`)));
    const [row] = await tx
      .insert(provisioningCycles)
      .values({ applicationId, kind, status: 'running', counts: emptyCounts(), heartbeatAt: sql`now()` })
      .onConflictDoNothing({ target: provisioningCycles.applicationId, where: sql`status = 'running'` })
      .returning({ id: provisioningCycles.id });
    if (row) return { ok: true, cycleId: row.id };
    const [held] = await tx
      .select({ cycleId: provisioningCycles.id, kind: provisioningCycles.kind })
      .from(provisioningCycles)
      .where(and(eq(provisioningCycles.applicationId, applicationId), eq(provisioningCycles.status, 'running')));
    return { ok: false, heldBy: held ?? null };
  });
}

/** True while the cycle's holder renews its heartbeat (missed at most one renewal): a killed worker's lease looks alive until it is stale. */
export async function leaseAlive(db: Db, cycleId: string): Promise<boolean> {
  const rows = await db
    .select({ id: provisioningCycles.id })
    .from(provisioningCycles)
    .where(and(eq(provisioningCycles.id, cycleId), eq(provisioningCycles.status, 'running'), sql`${provisioningCycles.heartbeatAt} > now() - make_interval(secs => ${(2 * HEARTBEAT_MS) / 1000})`));
  return rows.length > 0;
}

/** Renews the lease; false when it was lost (closed as stale by another worker). */
export async function renewCycle(db: Db, cycleId: string): Promise<boolean> {
  const rows = await db
    .update(provisioningCycles)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(provisioningCycles.id, cycleId), eq(provisioningCycles.status, 'running')))
    .returning({ id: provisioningCycles.id });
  return rows.length > 0;
}

export async function finishCycle(db: Db, cycleId: string, status: 'completed' | 'failed', extra: { unchanged?: number; error?: Record<string, unknown> | null } = {}): Promise<void> {
  await db
    .update(provisioningCycles)
    .set({
      status,
      finishedAt: sql`now()`,
      error: extra.error ?? null,
      counts: sql`jsonb_set(${provisioningCycles.counts}, '{unchanged}', to_jsonb(coalesce((${provisioningCycles.counts}->>'unchanged')::int, 0) + ${extra.unchanged ?? 0}::int))`,
    })
    .where(and(eq(provisioningCycles.id, cycleId), eq(provisioningCycles.status, 'running')));
}

export async function setCycleTotal(db: Db, cycleId: string, total: number): Promise<void> {
  await db.update(provisioningCycles).set({ progress: { total, done: 0 }, heartbeatAt: sql`now()` }).where(eq(provisioningCycles.id, cycleId));
}
