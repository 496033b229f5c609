/**
 * Kept plans on disk: a `provisioning_plans` row per dry run, plan awaiting approval or set of
 * staged removals, and its actions as `provisioning_plan_actions` rows in plan order (the whole
 * action as JSON, so it can be shown, exported and re-checked before it is applied).
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningPlanActions, provisioningPlans } from '../../db/provisioning-schema.ts';
import { type KeptAction, countByKind, objectTypeOf } from './deletion-threshold.ts';

export type PlanKind = 'dry_run' | 'approval' | 'staged_deletions';
export type PlanStatus = 'computing' | 'ready' | 'pending' | 'approved' | 'discarded' | 'applied' | 'superseded' | 'failed';
export type PlanRow = typeof provisioningPlans.$inferSelect;

/** Rows per INSERT: keeps each statement well under PostgreSQL's parameter limit. */
const CHUNK = 500;

export async function insertPlan(
  executor: Executor,
  values: { applicationId: string; kind: PlanKind; status: PlanStatus; cycleId?: string | null; createdBy?: string | null; counts?: Record<string, number>; reason?: Record<string, unknown> | null },
): Promise<PlanRow> {
  const [row] = await executor
    .insert(provisioningPlans)
    .values({ applicationId: values.applicationId, kind: values.kind, status: values.status, cycleId: values.cycleId ?? null, createdBy: values.createdBy ?? null, counts: values.counts ?? {}, reason: values.reason ?? null })
    .returning();
  return row!;
}

/** Stores the actions in order; returns their counts by action kind. */
export async function insertPlanActions(executor: Executor, planId: string, actions: readonly KeptAction[]): Promise<Record<string, number>> {
  for (let i = 0; i < actions.length; i += CHUNK) {
    const rows = actions.slice(i, i + CHUNK).map((a, j) => ({
      planId,
      seq: i + j,
      objectType: objectTypeOf(a),
      directoryId: a.directoryId,
      identity: a.identity,
      action: a.kind,
      detail: a as unknown as Record<string, unknown>,
    }));
    await executor.insert(provisioningPlanActions).values(rows);
  }
  return countByKind(actions);
}

/** Changes status (and whatever else is given) and bumps the version. */
export async function updatePlan(executor: Executor, planId: string, set: Partial<Pick<PlanRow, 'status' | 'counts' | 'reason' | 'decidedBy' | 'decidedAt'>>): Promise<void> {
  await executor
    .update(provisioningPlans)
    .set({ ...set, version: sql`${provisioningPlans.version} + 1`, updatedAt: new Date() })
    .where(eq(provisioningPlans.id, planId));
}

/**
 * Marks the application's pending plans of `kind` superseded (a newer one replaces them) and drops
 * their actions, which nobody can decide on any more (the counts stay); returns them. Without this,
 * approval mode would keep a whole plan per periodic cycle.
 */
export async function supersedePending(executor: Executor, applicationId: string, kind: PlanKind): Promise<PlanRow[]> {
  const superseded = await executor
    .update(provisioningPlans)
    .set({ status: 'superseded', version: sql`${provisioningPlans.version} + 1`, updatedAt: new Date() })
    .where(and(eq(provisioningPlans.applicationId, applicationId), eq(provisioningPlans.kind, kind), eq(provisioningPlans.status, 'pending')))
    .returning();
  if (superseded.length) await executor.delete(provisioningPlanActions).where(inArray(provisioningPlanActions.planId, superseded.map((p) => p.id)));
  return superseded;
}

/** The stored actions of a plan in order, in pages (for apply and export). */
export async function* iteratePlanActions(executor: Executor, planId: string, opts: { actions?: readonly string[]; batchSize?: number } = {}): AsyncGenerator<typeof provisioningPlanActions.$inferSelect> {
  const a = provisioningPlanActions;
  let after = -1;
  for (;;) {
    const rows = await executor
      .select()
      .from(a)
      .where(and(eq(a.planId, planId), gt(a.seq, after), opts.actions ? inArray(a.action, [...opts.actions]) : undefined))
      .orderBy(asc(a.seq))
      .limit(opts.batchSize ?? CHUNK);
    yield* rows;
    if (rows.length < (opts.batchSize ?? CHUNK)) return;
    after = rows.at(-1)!.seq;
  }
}

/** Every stored action of a plan, as the engine's values. */
export async function readPlanActions(executor: Executor, planId: string): Promise<KeptAction[]> {
  const out: KeptAction[] = [];
  for await (const row of iteratePlanActions(executor, planId)) out.push(row.detail as unknown as KeptAction);
  return out;
}
