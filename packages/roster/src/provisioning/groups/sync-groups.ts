/**
 * Entry points of group provisioning: the group part of a run's plan (full cycle or incremental
 * batch, computed with the users' plan and applied after it), and `syncGroupsNow` for on-demand
 * provisioning of chosen groups.
 */
import type { Capabilities, Connection, ConnectorError, TargetGroup, TargetRole } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { Result } from '../../errors/result.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import { connectorOf } from '../config/target-catalogue.ts';
import type { Queue } from '../../jobs/queue.ts';
import { setCycleTotal } from '../run/cycle-lease.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { openRun } from '../run/open-run.ts';
import { runUnderLease } from '../run/run-under-lease.ts';
import { type GroupApplyResult, applyGroupPlan } from './apply-groups.ts';
import type { GroupPlan, GroupSnapshot } from './group-plan-types.ts';
import { describeTargetUsers, loadGroupState } from './load-group-state.ts';
import { planGroups } from './plan-groups.ts';
import { readTargetGroups } from './read-target-groups.ts';
import type { ErrorLog } from '../../errors/stored-error.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import { guardGroupPlan } from '../links/verify-links.ts';
import type { Plan } from '../diff/plan-types.ts';
import type { UserReads } from '../desired/user-reads.ts';
import { stopApplication } from '../apply/stop-application.ts';

export interface GroupPlanContext {
  db: Db;
  applicationId: string;
  settings: Pick<ProvisioningSettings, 'scope' | 'provisionGroups' | 'groupSyncActions' | 'drift'>;
  connection: Connection;
  capabilities: Capabilities;
  roles: readonly TargetRole[];
  sleep(ms: number): Promise<void>;
}

export interface ComputedGroupPlan {
  plan: GroupPlan;
  /** The target's groups as read by a full cycle (apply uses it to find the default group). */
  snapshot?: GroupSnapshot | undefined;
}

const empty = (): ComputedGroupPlan => ({ plan: { actions: [], unchanged: 0 } });

/**
 * The group part of a run. `full`: every group in scope, with a read of the target's groups and
 * the memberships of the managed ones. `incremental`: `groupIds` whole, and the memberships of
 * `userIds` in the groups the application holds; nothing is read from the target.
 */
export async function computeGroupPlan(
  ctx: GroupPlanContext,
  scope: 'full' | 'incremental',
  opts: { groupIds?: readonly string[] | undefined; userIds?: readonly string[] | undefined; reads?: UserReads | undefined; listed?: Promise<Result<TargetGroup[], ConnectorError>> | undefined } = {},
): Promise<Result<ComputedGroupPlan, ConnectorError>> {
  const client = ctx.connection.groups;
  if (!ctx.capabilities.groups || !client || !ctx.settings.provisionGroups) return { ok: true, value: empty() };
  if (scope === 'incremental' && !opts.groupIds?.length && !opts.userIds?.length) return { ok: true, value: empty() };
  const state = await loadGroupState(ctx.db, ctx.applicationId, ctx.settings, ctx.roles, scope === 'full' ? { reads: opts.reads } : { groupIds: opts.groupIds ?? [], userIds: opts.userIds, reads: opts.reads });
  if (scope === 'incremental' && state.groups.length === 0 && state.links.length === 0 && state.skipped.length === 0) return { ok: true, value: empty() };
  let snapshot: GroupSnapshot | undefined;
  if (scope === 'full') {
    const read = await readTargetGroups(client, { linkedTargetIds: state.links.map((l) => l.targetId), desiredNames: state.groups.map((g) => g.name) }, ctx.sleep, opts.listed);
    if (!read.ok) return read;
    snapshot = read.value;
    const known = new Set(state.members.flatMap((m) => (m.targetId ? [m.targetId] : [])));
    const strangers = [...new Set(Object.values(snapshot.members).flatMap((ms) => ms.map((m) => m.userId)))].filter((id) => !known.has(id));
    state.members.push(...(await describeTargetUsers(ctx.db, ctx.applicationId, strangers)));
  }
  const plan = planGroups({ ...state, snapshot, settings: ctx.settings, capabilities: ctx.capabilities });
  return { ok: true, value: { plan, snapshot } };
}

export { applyGroupPlan };

export type SyncGroupsEnv = Pick<EngineEnv, 'db' | 'connect' | 'sleep' | 'now' | 'heartbeatMs'> & {
  /** The server log: where an error's details go (the stored error keeps a code and a correlation id). */
  log?: ErrorLog | undefined;
  /** To hand the groups on if this process dies mid-run (run/lost-runs.ts); without it they wait for the next cycle. */
  queue?: Queue | undefined;
};

export type SyncGroupsOutcome =
  | { status: 'done'; cycleId: string; plan: GroupPlan; applied: GroupApplyResult }
  /** Switched off, stopped, deleted, or groups not provisioned for this application. */
  | { status: 'off'; reason: string }
  | { status: 'busy'; heldBy: { cycleId: string; kind: string } | null }
  | { status: 'failed'; cycleId: string; error: ConnectorError };

/**
 * Plans and applies the given directory groups now (each whole: the group and all its members),
 * under the application's lease as an incremental batch. Members without an account in the target
 * yet are logged as waiting; they are added once their own provisioning has run.
 */
export async function syncGroupsNow(env: SyncGroupsEnv, applicationId: string, groupIds: readonly string[]): Promise<SyncGroupsOutcome> {
  let config;
  try {
    config = await loadProvisioningConfig(env.db, applicationId);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') return { status: 'off', reason: 'the application does not exist' };
    throw e;
  }
  if (!config.enabled || config.state === 'stopped' || config.state === 'off') return { status: 'off', reason: `provisioning is ${config.enabled ? config.state : 'off'}` };
  if (!config.settings.provisionGroups) return { status: 'off', reason: 'group provisioning is switched off (provisionGroups)' };
  const r = await runUnderLease(env, { applicationId, kind: 'incremental', scope: { groupIds }, what: 'this group sync' }, async (run): Promise<SyncGroupsOutcome> => {
    const cycleId = run.cycleId;
    const fail = async (error: ConnectorError): Promise<SyncGroupsOutcome> => {
      await run.finish('failed', { error: { code: error.code, message: error.message, advice: error.advice } });
      return { status: 'failed', cycleId, error };
    };
    const opened = await openRun(env, config, { fresh: false });
    if (!opened.ok) {
      // The account's identity could not be confirmed: a configuration error stops the application (as a cycle does); nothing is sent.
      if (opened.stage === 'identity') await env.db.transaction((tx) => stopApplication(tx, applicationId, opened.error));
      return await fail(opened.error);
    }
    const { connection, capabilities, catalogue } = opened.value;
    const computed = await computeGroupPlan({ db: env.db, applicationId, settings: config.settings, connection, capabilities, roles: catalogue.roles, sleep: env.sleep }, 'incremental', { groupIds });
    if (!computed.ok) return await fail(computed.error);
    // The members' accounts are read back and checked: no membership change reaches an account whose link names someone else.
    const unlinks: Plan = { actions: [], unchanged: 0 };
    const guarded = await guardGroupPlan(env.db, connection, applicationId, config.settings.matching, unlinks, computed.value.plan, new Set(), env.sleep);
    if (!guarded.ok) return await fail(guarded.error);
    const plan = guarded.value;
    await setCycleTotal(env.db, cycleId, plan.actions.length + unlinks.actions.length);
    if (unlinks.actions.length) await applyPlan({ db: env.db, applicationId, cycleId, connection, capabilities, sleep: env.sleep, now: env.now }, unlinks);
    const applied = await applyGroupPlan({ db: env.db, applicationId, cycleId, connection, sleep: env.sleep, now: env.now, groupRules: connectorOf(config.type).groupRules }, plan);
    await run.finish(applied.stopped ? 'failed' : 'completed', {
      unchanged: 0,
      error: applied.stopped ? { code: applied.stopped.code, message: applied.stopped.message, advice: applied.stopped.advice } : null,
    });
    return { status: 'done', cycleId, plan, applied };
  });
  return r.ok ? r.value : { status: 'busy', heldBy: r.heldBy };
}
