/**
 * Applying a plan an admin approved (a cycle's plan awaiting approval, or staged removals allowed).
 * Time has passed since it was computed, so nothing is sent blindly: the plan is computed afresh,
 * and each kept action is applied only when the fresh plan still does the same thing to that user
 * (then in its fresh form, with current values; a create whose account exists by now is linked);
 * otherwise it is logged as skipped with the reason. A worker that dies applying it is replaced within
 * seconds: the lease records the plan id and the plan is applied again (run/lost-runs.ts).
 * Users, groups and memberships alike (keyed by object type, directory object and, for memberships, group).
 * Changes that are not in the kept plan are left for the next cycle.
 */
import { eq, sql } from 'drizzle-orm';
import { provisioningConfigs, provisioningPlans } from '../../db/provisioning-schema.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { Queue } from '../../jobs/queue.ts';
import { stopApplication } from '../apply/stop-application.ts';
import { type ProvisioningConfig, loadProvisioningConfig } from '../config/load-config.ts';
import { computeCyclePlan } from '../reconcile/compute-cycle-plan.ts';
import { setCycleTotal } from '../run/cycle-lease.ts';
import { type Run, runUnderLease } from '../run/run-under-lease.ts';
import { requestCycle } from '../triggers/request-cycle.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { applyCyclePlan } from '../reconcile/run-provisioning.ts';
import { addToCycle, recordEvents, tally } from '../events/record-event.ts';
import type { EventAction, ProvisioningEventInput } from '../events/record-event.ts';
import type { GroupPlanAction } from '../groups/group-plan-types.ts';
import type { PlanAction } from '../diff/plan-types.ts';
import { mismatchMessage } from '../links/identity-check.ts';
import { type KeptAction, allActions, keptChanges, objectTypeOf } from '../gate/deletion-threshold.ts';
import { type PlanRow, readPlanActions, updatePlan } from '../gate/plan-rows.ts';

export type KeptPlanOutcome = 'applied' | 'failed' | 'busy' | 'gone';

export async function applyKeptPlan(env: EngineEnv & { queue?: Queue | undefined }, planId: string): Promise<KeptPlanOutcome> {
  const [plan] = await env.db.select().from(provisioningPlans).where(eq(provisioningPlans.id, planId));
  if (!plan || plan.status !== 'approved') return 'gone';
  const applicationId = plan.applicationId;
  const config = await loadProvisioningConfig(env.db, applicationId).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  });
  if (!config || !config.enabled || config.state === 'off' || config.state === 'stopped') {
    await updatePlan(env.db, planId, { status: 'failed', reason: { ...plan.reason, result: { code: 'not_running', message: 'Provisioning was off or stopped when the approved plan was to be applied; the next cycle plans again.' } } });
    return 'failed';
  }
  const r = await runUnderLease(env, { applicationId, kind: 'approved_plan', scope: { planId }, what: 'applying the kept plan', logContext: { planId } }, (run) => applyFresh(env, config, plan, run));
  return r.ok ? r.value : 'busy';
}

/** The step: plan afresh, keep the kept actions the fresh plan still does, apply them, record the plan's result. */
async function applyFresh(env: EngineEnv & { queue?: Queue | undefined }, config: ProvisioningConfig, plan: PlanRow, run: Run): Promise<KeptPlanOutcome> {
  const { applicationId, cycleId } = run;
  const planId = plan.id;
  const computed = await computeCyclePlan(env, config, 'full');
  if (!computed.ok) {
    await env.db.transaction((tx) => stopApplication(tx, applicationId, computed.error));
    await run.finish('failed', { error: { code: computed.error.code, message: computed.error.message, advice: computed.error.advice } });
    await updatePlan(env.db, planId, { status: 'failed', reason: { ...plan.reason, result: { code: computed.error.code, message: computed.error.message } } });
    return 'failed';
  }
  const kept = await readPlanActions(env.db, planId);
  const freshPlan = computed.value.plan;
  const fresh = new Map(allActions(freshPlan).map((a) => [keyOf(a), a]));
  const users: PlanAction[] = [];
  const groups: GroupPlanAction[] = [];
  const outdated: ProvisioningEventInput[] = [];
  for (const k of kept) {
    const f = fresh.get(keyOf(k));
    if (!f || !sameIntent(k, f)) outdated.push(outdatedEvent(applicationId, cycleId, k, f));
    else if ('objectType' in f) groups.push(f);
    else users.push(f as PlanAction);
  }
  // A link the fresh plan found mismatched is dropped and logged now, whatever the kept plan said of its user (never left for the next cycle).
  users.push(...mismatchesNotApplied(freshPlan.users.actions, users));
  const apply = { users: { actions: users, unchanged: 0 }, ...(groups.length ? { groups: { actions: groups, unchanged: 0 } } : {}) };
  const total = users.length + groups.length;
  await setCycleTotal(env.db, cycleId, total + outdated.length);
  if (outdated.length) {
    await env.db.transaction(async (tx) => {
      await recordEvents(tx, outdated);
      await addToCycle(tx, cycleId, tally(outdated), outdated.length);
    });
  }
  const applied = await applyCyclePlan(env, applicationId, { ...computed.value, plan: apply }, cycleId, run.lost);
  await run.finish(applied.stopped ? 'failed' : 'completed', {
    error: applied.stopped ? { code: applied.stopped.code, message: applied.stopped.message, advice: applied.stopped.advice } : null,
  });
  await env.db.transaction(async (tx) => {
    const result = { cycleId, applied: total, outdated: outdated.length, stopped: applied.stopped?.code ?? null };
    await updatePlan(tx, planId, { status: applied.stopped ? 'failed' : 'applied', reason: { ...plan.reason, result } });
    if (plan.kind === 'staged_deletions' && !applied.stopped) await resumeAfterDecision(tx, env.queue, plan);
  });
  return applied.stopped ? 'failed' : 'applied';
}

/**
 * The fresh plan's link mismatches whose user action is not among those applied (outdated, or not in
 * the kept plan): each becomes an `unlink`, so apply drops the link and writes `link_mismatch` at once.
 */
export function mismatchesNotApplied(freshUsers: readonly PlanAction[], applying: readonly PlanAction[]): PlanAction[] {
  const applied = new Set(applying.map((a) => a.directoryId));
  const out: PlanAction[] = [];
  for (const a of freshUsers) {
    if (!a.mismatch || applied.has(a.directoryId)) continue;
    applied.add(a.directoryId);
    const m = a.mismatch;
    out.push({ kind: 'unlink', directoryId: a.directoryId, identity: a.identity, targetId: m.expected.targetId, mismatch: m, steps: [{ name: 'match', outcome: 'link_mismatch', detail: mismatchMessage(m) }], changes: [] });
  }
  return out;
}

/**
 * Ends the pause staged removals caused (only that pause: one an admin set stays) and asks for a
 * cycle, which catches up on the directory changes made while the application was paused.
 */
export async function resumeAfterDecision(tx: Parameters<typeof stopApplication>[0], queue: Queue | undefined, plan: Pick<PlanRow, 'applicationId' | 'id'>): Promise<void> {
  const resumed = await tx
    .update(provisioningConfigs)
    .set({ state: 'idle', stateReason: null, version: sql`${provisioningConfigs.version} + 1`, updatedAt: new Date() })
    .where(sql`${provisioningConfigs.applicationId} = ${plan.applicationId} and ${provisioningConfigs.state} = 'paused' and ${provisioningConfigs.stateReason}->>'code' = 'deletion_threshold'`)
    .returning({ id: provisioningConfigs.applicationId });
  if (resumed.length && queue) await requestCycle(tx, queue, plan.applicationId, 'on_demand');
}

/**
 * The fresh action still does what the kept one meant: the same kind, or a kept create whose account
 * now exists (a run that died after creating it, or its job finished after the worker died): the
 * fresh plan links that account, which completes the approved create without a second account.
 */
const sameIntent = (kept: KeptAction, fresh: KeptAction): boolean => fresh.kind === kept.kind || (kept.kind === 'create' && fresh.kind === 'link');

/** One action's identity across plans: the object type, the directory object, and for memberships the group. */
const keyOf = (a: KeptAction): string => {
  const type = objectTypeOf(a);
  return type === 'membership' && 'groupId' in a ? `membership:${a.groupId}:${a.directoryId ?? a.identity}` : `${type}:${a.directoryId}`;
};

function outdatedEvent(applicationId: string, cycleId: string, kept: KeptAction, fresh: KeptAction | undefined): ProvisioningEventInput {
  const now = fresh ? `the plan now says ${fresh.kind}` : 'no action is needed any more';
  const reason = `Not applied: this changed since the plan was approved (${now}).`;
  const action = kept.kind === 'deprovision-suspend' ? 'suspend' : kept.kind === 'drift' ? 'report' : kept.kind;
  return {
    applicationId,
    cycleId,
    objectType: objectTypeOf(kept),
    directoryId: kept.directoryId,
    targetId: 'targetId' in kept && typeof kept.targetId === 'string' ? kept.targetId : null,
    identity: kept.identity,
    action: action as EventAction,
    status: 'skipped',
    steps: [...kept.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'skipped', detail: reason }],
    changes: keptChanges(kept),
    error: { code: 'plan_outdated', message: reason, advice: 'None: the next cycle plans this from the current directory.' },
  };
}
