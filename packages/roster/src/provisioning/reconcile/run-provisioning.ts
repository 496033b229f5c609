/**
 * One run of the engine for one application: a full cycle (initial, periodic, on demand: reads
 * the whole target for matching and drift repair) or an incremental batch (only the given users).
 * The step the run skeleton (run/run-under-lease.ts) runs under the application's lease:
 * desired state → plan (compute-cycle-plan.ts) → gate → apply → finish.
 */
import { eq, sql } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { isAppError } from '../../errors/app-error.ts';
import { type ApplyResult, applyPlan } from '../apply/apply-plan.ts';
import { createPlacedUsers } from '../apply/placed-users.ts';
import { applyGroupPlan } from '../groups/apply-groups.ts';
import { stopApplication } from '../apply/stop-application.ts';
import { type ProvisioningConfig, loadProvisioningConfig } from '../config/load-config.ts';
import { gateCyclePlan } from '../gate/gate-cycle-plan.ts';
import { escrowWaiting } from '../escrow/run-escrow.ts';
import { type HeldBy, type Run, runUnderLease } from '../run/run-under-lease.ts';
import type { Lane } from '../run/lanes.ts';
import { type ComputedPlan, computeCyclePlan, planSize } from './compute-cycle-plan.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { type LeaseKind, setCycleTotal } from '../run/cycle-lease.ts';

export type RunOutcome =
  | { status: 'done'; cycleId: string; stopped: boolean }
  /** Incremental batch while the application requires approval: the change waits for the next cycle's plan. */
  | { status: 'held' }
  /** Switched off, stopped, or deleted: nothing to do. */
  | { status: 'off'; stopped: boolean }
  /** Another worker holds the application's lease. */
  | { status: 'busy'; heldBy: HeldBy | null };

/** `lane: 'quick'` (an incremental batch of a few users, no groups): runs beside a main batch sharing none of its users, single calls only (run/lanes.ts). */
export async function runProvisioning(env: EngineEnv, applicationId: string, kind: LeaseKind, userIds?: readonly string[], groupIds?: readonly string[], opts: { lane?: Lane } = {}): Promise<RunOutcome> {
  const config = await loadConfigOrNull(env.db, applicationId);
  if (!config || !config.enabled || config.state === 'stopped' || config.state === 'off' || config.state === 'paused') return { status: 'off', stopped: config?.enabled === true && config.state === 'stopped' };
  // Approval covers every change: a batch applied between plans would change the target unapproved.
  if (kind === 'incremental' && config.settings.requireApproval) return { status: 'held' };
  const full = kind !== 'incremental';
  const lane = kind === 'incremental' && !groupIds?.length ? (opts.lane ?? 'main') : 'main';
  // A quick run writes one by one (a bulk job would queue at the target behind the burst's), and its
  // few requests go ahead of the burst's queued ones in the shared budget (apply/pacer.ts).
  const runEnv: EngineEnv = lane === 'quick' ? { ...env, applyChannels: 'single', connect: (id, c) => env.connect(id, c, { priority: true }) } : env;
  const r = await runUnderLease(env, { applicationId, kind, scope: { userIds, groupIds }, full, lane, what: 'this cycle', logContext: { kind, lane } }, (run) => planAndApply(runEnv, config, run, full, userIds, groupIds));
  return r.ok ? r.value : { status: 'busy', heldBy: r.heldBy };
}

/** The step: plan, gate, apply, finish; a configuration error stops the application (a batch's users wait in escrow). */
async function planAndApply(env: EngineEnv, config: ProvisioningConfig, run: Run, full: boolean, userIds?: readonly string[], groupIds?: readonly string[]): Promise<RunOutcome> {
  const { applicationId, cycleId } = run;
  const stop = async (error: ConnectorError) => {
    await env.db.transaction(async (tx) => {
      await stopApplication(tx, applicationId, error);
      // The batch's users wait in escrow, due at once, so the change is applied once provisioning runs again.
      if (userIds?.length) await escrowWaiting(tx, applicationId, userIds, error);
    });
    await run.finish('failed', { error: { code: error.code, message: error.message, advice: error.advice } });
    run.assess({ fatal: error, systemicFailures: 0 });
    return { status: 'done', cycleId, stopped: true } as const;
  };
  const computed = await computeCyclePlan(env, config, full ? 'full' : 'incremental', userIds, groupIds);
  if (!computed.ok) return await stop(computed.error);
  const gate = await gateCyclePlan(env, config, cycleId, full ? 'full' : 'incremental', computed.value.plan);
  if (gate.kind === 'awaiting_approval') {
    run.assess({ fatal: null, systemicFailures: 0 });
    await run.finish('completed', {
      unchanged: computed.value.plan.users.unchanged,
      error: { code: 'awaiting_approval', message: 'Nothing was applied: the plan waits for an admin to approve or discard it.', planId: gate.planId },
    });
    await finishFullCycle(env.db, applicationId, config.settings.cycleIntervalMinutes);
    return { status: 'done', cycleId, stopped: false };
  }
  const plan = gate.plan;
  // The apply takes the plan's actions and releases each once recorded: the computed plan must not keep them (the gate may have split it).
  computed.value.plan = plan;
  await setCycleTotal(env.db, cycleId, planSize(plan));
  const applied = await applyCyclePlan(env, applicationId, computed.value, cycleId, run.lost);
  if (run.lost()) env.log?.error({ applicationId, cycleId }, 'provisioning lease was lost while applying');
  run.assess({ fatal: applied.stopped, systemicFailures: applied.systemicFailures ?? 0 });
  await run.finish(applied.stopped ? 'failed' : 'completed', {
    unchanged: plan.users.unchanged,
    error: applied.stopped
      ? { code: applied.stopped.code, message: applied.stopped.message, advice: applied.stopped.advice }
      : gate.kind === 'staged'
        ? { code: 'deletion_threshold', message: gate.breach.message, advice: gate.breach.advice, planId: gate.planId }
        : null,
  });
  if (full && !applied.stopped) await finishFullCycle(env.db, applicationId, config.settings.cycleIntervalMinutes);
  return { status: 'done', cycleId, stopped: applied.stopped !== null };
}

async function loadConfigOrNull(db: Db, applicationId: string): Promise<ProvisioningConfig | null> {
  try {
    return await loadProvisioningConfig(db, applicationId);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  }
}

/** The apply half of a run: the plan's actions through the connection, recorded as they complete. */
export async function applyCyclePlan(
  env: EngineEnv,
  applicationId: string,
  computed: Pick<ComputedPlan, 'connection' | 'capabilities' | 'plan' | 'groupSnapshot' | 'groupRules'>,
  cycleId: string | null,
  abandoned: () => boolean,
): Promise<ApplyResult> {
  const deps = { db: env.db, applicationId, cycleId, connection: computed.connection, capabilities: computed.capabilities, sleep: env.sleep, now: env.now, abandoned, ...(env.applyChannels ? { channels: env.applyChannels } : {}) };
  if (!computed.plan.groups) return applyPlan(deps, computed.plan.users);
  const placed = createPlacedUsers();
  const users = applyPlan({ ...deps, placed }, computed.plan.users);
  // Groups are placed (created, linked, renamed) while the users are written — the target works on
  // one while Roster records the other; memberships wait for the users (apply-groups.ts
  // `usersApplied`), so members created in this run have accounts to add — from the answers, as
  // soon as every user write has one (`usersWritten`, placed-users.ts), while the last users are
  // still being recorded — and nothing more is sent for groups once the users' apply stopped the application.
  let usersStopped = false;
  const usersApplied = users.then(
    (r) => void (usersStopped = r.stopped !== null),
    () => void (usersStopped = true),
  );
  const groupsApplied = applyGroupPlan({ ...deps, snapshot: computed.groupSnapshot, groupRules: computed.groupRules, abandoned: () => abandoned() || usersStopped, usersApplied, usersWritten: placed.written }, computed.plan.groups);
  // Both settle before a failure (a bug) is thrown: neither half is left writing behind the caller.
  const [u, g] = await Promise.allSettled([users, groupsApplied]);
  if (u.status === 'rejected') throw u.reason;
  if (g.status === 'rejected') throw g.reason;
  const [applied, groups] = [u.value, g.value];
  for (const [k, n] of Object.entries(groups.counts) as [keyof typeof applied.counts, number][]) applied.counts[k] = (applied.counts[k] ?? 0) + n;
  return { ...applied, stopped: applied.stopped ?? groups.stopped };
}

async function finishFullCycle(db: Db, applicationId: string, intervalMinutes: number): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ lastCycleAt: sql`now()`, nextCycleAt: sql`now() + make_interval(mins => ${intervalMinutes})` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}
