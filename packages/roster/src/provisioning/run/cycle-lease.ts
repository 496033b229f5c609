/**
 * One cycle or batch per application at a time, across every worker: a `provisioning_cycles` row
 * in status `running` is the lease, and a partial unique index (migrations 0004, 0015) lets only one
 * exist per application and lane (a small batch of other users may run beside a burst: lanes.ts). The holder renews `heartbeat_at` every {@link HEARTBEAT_MS}; a lease whose
 * holder process is gone (lease-holder.ts: seconds on PostgreSQL, at once after a PGlite restart) or
 * whose heartbeat stopped belongs to a dead worker: the next acquirer, or any worker's watchdog
 * (lost-runs.ts), closes it and re-enqueues the scope it recorded.
 *
 * Chosen over pg-boss `singleton`/`stately` queue policies: with those, a second job of a busy key
 * makes pg-boss's fetch fail for the whole batch, blocking other applications' jobs behind it.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';
import type { Queue } from '../../jobs/queue.ts';
import { emptyCounts } from '../events/record-event.ts';
import { HEARTBEAT_MS, holderGone, holderOf } from './lease-holder.ts';
import { type Lane, blockedBy } from './lanes.ts';
import { recoverLostRuns } from './lost-runs.ts';

/** `approved_plan`: an approved plan (or allowed staged removals) being applied (kept-plans/apply-kept-plan.ts). */
export type LeaseKind = 'initial' | 'periodic' | 'on_demand' | 'incremental' | 'approved_plan';

/** What a run was asked to do, written with its lease before it sends anything (write-ahead intent). */
export interface LeaseScope {
  userIds?: readonly string[] | undefined;
  groupIds?: readonly string[] | undefined;
  planId?: string | undefined;
}

export { HEARTBEAT_MS, LEASE_STALE_SECONDS, leaseDead } from './lease-holder.ts';

export type Acquired = { ok: true; cycleId: string } | { ok: false; heldBy: { cycleId: string; kind: string; lane: string } | null };

/**
 * Takes the application's lease in `lane` (lanes.ts; default `main`), recording the run's scope and
 * this process's holder. A lease whose worker died is closed first and its scope handed on
 * (lost-runs.ts), so taking over loses nothing. Busy while a run holds the lane, or while the run in
 * the other lane may not run beside this one (lanes.ts).
 * `started_at` is the moment of the insert (clock_timestamp), not the transaction's start (now()):
 * the recovery and a wait on the previous holder's commit would date a run before the end of the one it followed.
 */
export async function acquireCycle(db: Db, applicationId: string, kind: LeaseKind, opts: { scope?: LeaseScope; queue?: Queue | undefined; lane?: Lane } = {}): Promise<Acquired> {
  const lane = opts.lane ?? 'main';
  return db.transaction(async (tx) => {
    // Acquisitions for one application take turns: two lanes deciding at once could each miss the other's users.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`roster.lease:${applicationId}`}, 0))`);
    await recoverLostRuns(tx, opts.queue, { applicationId });
    const c = provisioningCycles;
    const running = await tx.select({ cycleId: c.id, kind: c.kind, lane: c.lane, scope: c.scope }).from(c).where(and(eq(c.applicationId, applicationId), eq(c.status, 'running')));
    const blocker = blockedBy(lane, kind, opts.scope ?? {}, running);
    if (blocker) return { ok: false, heldBy: { cycleId: blocker.cycleId, kind: blocker.kind, lane: blocker.lane } };
    const [row] = await tx
      .insert(c)
      .values({ applicationId, kind, lane, status: 'running', counts: emptyCounts(), startedAt: sql`clock_timestamp()`, heartbeatAt: sql`now()`, holder: holderOf(db), scope: intent(opts.scope) })
      .onConflictDoNothing({ target: [c.applicationId, c.lane], where: sql`status = 'running'` })
      .returning({ id: c.id });
    return row ? { ok: true, cycleId: row.id } : { ok: false, heldBy: null };
  });
}

/** The scope as stored: only what is there (null for a full cycle, whose kind says it all). */
function intent(scope: LeaseScope | undefined): { userIds?: string[]; groupIds?: string[]; planId?: string } | null {
  const out: { userIds?: string[]; groupIds?: string[]; planId?: string } = {};
  if (scope?.userIds?.length) out.userIds = [...scope.userIds];
  if (scope?.groupIds?.length) out.groupIds = [...scope.groupIds];
  if (scope?.planId) out.planId = scope.planId;
  return Object.keys(out).length ? out : null;
}

/** True while the cycle's holder lives and renews its heartbeat (missed at most one renewal). */
export async function leaseAlive(db: Db, cycleId: string): Promise<boolean> {
  const rows = await db
    .select({ id: provisioningCycles.id })
    .from(provisioningCycles)
    .where(and(eq(provisioningCycles.id, cycleId), eq(provisioningCycles.status, 'running'), sql`${provisioningCycles.heartbeatAt} > now() - make_interval(secs => ${(2 * HEARTBEAT_MS) / 1000})`, sql`not ${holderGone(sql`${provisioningCycles.holder}`)}`));
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
