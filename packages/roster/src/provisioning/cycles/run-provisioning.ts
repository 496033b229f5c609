/**
 * One run of the engine for one application: a full cycle (initial, periodic, on demand: reads
 * the whole target for matching and drift repair) or an incremental batch (only the given users).
 * Desired state → plan (compute-cycle-plan.ts) → apply, under the application's lease.
 */
import { eq, sql } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { isAppError } from '../../errors/app-error.ts';
import { storedError } from '../../errors/stored-error.ts';
import { type ApplyResult, applyPlan } from '../apply/apply-plan.ts';
import { applyGroupPlan } from '../groups/apply-groups.ts';
import { escrowUsers } from '../apply/retries.ts';
import { stopApplication } from '../apply/stop-application.ts';
import { type RunReport, recordRunHealth } from '../health/record-run-health.ts';
import { type ProvisioningConfig, loadProvisioningConfig } from '../config/load-config.ts';
import { gateCyclePlan } from '../gate/gate-cycle-plan.ts';
import { type ComputedPlan, computeCyclePlan, planSize } from './compute-cycle-plan.ts';
import type { EngineEnv } from './engine-env.ts';
import { HEARTBEAT_MS, type LeaseKind, acquireCycle, finishCycle, renewCycle, setCycleTotal } from './cycle-lease.ts';
import { escrowFailedRun } from './lost-runs.ts';

export type RunOutcome =
  | { status: 'done'; cycleId: string; stopped: boolean }
  /** Incremental batch while the application requires approval: the change waits for the next cycle's plan. */
  | { status: 'held' }
  /** Switched off, stopped, or deleted: nothing to do. */
  | { status: 'off'; stopped: boolean }
  /** Another worker holds the application's lease. */
  | { status: 'busy'; heldBy: { cycleId: string; kind: string } | null };

export async function runProvisioning(env: EngineEnv, applicationId: string, kind: LeaseKind, userIds?: readonly string[], groupIds?: readonly string[]): Promise<RunOutcome> {
  const config = await loadConfigOrNull(env.db, applicationId);
  if (!config || !config.enabled || config.state === 'stopped' || config.state === 'off' || config.state === 'paused') return { status: 'off', stopped: config?.enabled === true && config.state === 'stopped' };
  // Approval covers every change: a batch applied between plans would change the target unapproved.
  if (kind === 'incremental' && config.settings.requireApproval) return { status: 'held' };
  const lease = await acquireCycle(env.db, applicationId, kind, { scope: { userIds, groupIds }, queue: env.queue });
  if (!lease.ok) return { status: 'busy', heldBy: lease.heldBy };
  const cycleId = lease.cycleId;
  let lost = false;
  const timer = setInterval(() => {
    renewCycle(env.db, cycleId).then(
      (held) => (lost ||= !held),
      () => undefined,
    );
  }, env.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  const full = kind !== 'incremental';
  /** What the health rules assess once the run ends (health/record-run-health.ts). */
  let report: Pick<RunReport, 'fatal' | 'systemicFailures'> | null = null;
  try {
    if (full) await markState(env.db, applicationId, 'running');
    const stop = async (error: ConnectorError) => {
      await env.db.transaction(async (tx) => {
        await stopApplication(tx, applicationId, error);
        // The batch's users wait in escrow, due at once, so the change is applied once provisioning runs again.
        if (userIds?.length) await escrowUsers(tx, applicationId, userIds.map((directoryId) => ({ directoryId, error })), { immediate: true });
      });
      await finishCycle(env.db, cycleId, 'failed', { error: { code: error.code, message: error.message, advice: error.advice } });
      report = { fatal: error, systemicFailures: 0 };
      return { status: 'done', cycleId, stopped: true } as const;
    };
    const computed = await computeCyclePlan(env, config, full ? 'full' : 'incremental', userIds, groupIds);
    if (!computed.ok) return await stop(computed.error);
    const gate = await gateCyclePlan(env, config, cycleId, full ? 'full' : 'incremental', computed.value.plan);
    if (gate.kind === 'awaiting_approval') {
      report = { fatal: null, systemicFailures: 0 };
      await finishCycle(env.db, cycleId, 'completed', {
        unchanged: computed.value.plan.users.unchanged,
        error: { code: 'awaiting_approval', message: 'Nothing was applied: the plan waits for an admin to approve or discard it.', planId: gate.planId },
      });
      await finishFullCycle(env.db, applicationId, config.settings.cycleIntervalMinutes);
      return { status: 'done', cycleId, stopped: false };
    }
    const plan = gate.plan;
    await setCycleTotal(env.db, cycleId, planSize(plan));
    const applied = await applyCyclePlan(env, applicationId, { ...computed.value, plan }, cycleId, () => lost);
    if (lost) env.log?.error({ applicationId, cycleId }, 'provisioning lease was lost while applying');
    report = { fatal: applied.stopped, systemicFailures: applied.systemicFailures ?? 0 };
    await finishCycle(env.db, cycleId, applied.stopped ? 'failed' : 'completed', {
      unchanged: plan.users.unchanged,
      error: applied.stopped
        ? { code: applied.stopped.code, message: applied.stopped.message, advice: applied.stopped.advice }
        : gate.kind === 'staged'
          ? { code: 'deletion_threshold', message: gate.breach.message, advice: gate.breach.advice, planId: gate.planId }
          : null,
    });
    if (full && !applied.stopped) await finishFullCycle(env.db, applicationId, config.settings.cycleIntervalMinutes);
    return { status: 'done', cycleId, stopped: applied.stopped !== null };
  } catch (e) {
    const error = storedError(e, env.log, { applicationId, cycleId, kind }, 'this cycle');
    await finishCycle(env.db, cycleId, 'failed', { error }).catch(() => undefined);
    await escrowFailedRun(env.db, cycleId, error).catch(() => undefined);
    throw e;
  } finally {
    clearInterval(timer);
    if (full) await markState(env.db, applicationId, 'idle').catch(() => undefined);
    if (report) await recordRunHealth(env.db, env.queue, applicationId, { cycleId, kind, ...report }).catch((e: unknown) => env.log?.error({ err: e, applicationId, cycleId }, 'recording the run\'s health failed'));
  }
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
  const applied = await applyPlan(deps, computed.plan.users);
  // Groups after users, so members created in this run have accounts to add.
  if (!computed.plan.groups || applied.stopped || abandoned()) return applied;
  const groups = await applyGroupPlan({ ...deps, snapshot: computed.groupSnapshot, groupRules: computed.groupRules, abandoned }, computed.plan.groups);
  for (const [k, n] of Object.entries(groups.counts) as [keyof typeof applied.counts, number][]) applied.counts[k] = (applied.counts[k] ?? 0) + n;
  return { ...applied, stopped: groups.stopped };
}

/** `idle` → `running` → `idle`, never over a state set by an admin or the health rules (off, paused, quarantined). */
async function markState(db: Db, applicationId: string, state: 'running' | 'idle'): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ state })
    .where(sql`${provisioningConfigs.applicationId} = ${applicationId} and ${provisioningConfigs.state} = ${state === 'running' ? 'idle' : 'running'}`);
}

async function finishFullCycle(db: Db, applicationId: string, intervalMinutes: number): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ lastCycleAt: sql`now()`, nextCycleAt: sql`now() + make_interval(mins => ${intervalMinutes})` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}

