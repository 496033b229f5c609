/**
 * The planning half of a run: open the connection, read capabilities and the catalogue, render the
 * desired state and diff it against the links (and, for a full cycle, a fresh read of the target).
 * Shared by cycles and incremental batches (which apply the plan), dry runs (which only store it)
 * and approvals (which store it and wait). Reads the target; writes nothing.
 */
import type { Capabilities, Connection, ConnectorError, TargetField, TargetRole, TargetUser } from '../../connectors/contract.ts';
import type { GroupRules } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import { connectorOf } from '../config/target-catalogue.ts';
import { loadDesiredState } from '../desired/load-desired.ts';
import { readUsersOnce } from '../desired/user-reads.ts';
import { asConfigurationError, openRun } from '../run/open-run.ts';
import { guardGroupPlan, readLinkedAccounts } from '../links/verify-links.ts';
import { compileMappings } from '../mapping/compile-mappings.ts';
import { sourceAttributes } from '../mapping/source-attributes.ts';
import { planUsers } from '../diff/plan.ts';
import type { GroupSnapshot } from '../groups/group-plan-types.ts';
import type { CyclePlan, PlanScope } from '../gate/cycle-plan.ts';
import { computeGroupPlan } from '../groups/sync-groups.ts';
import { listTargetGroups } from '../groups/read-target-groups.ts';
import type { EngineEnv } from '../run/engine-env.ts';

export interface ComputedPlan {
  connection: Connection;
  capabilities: Capabilities;
  catalogue: { fields: TargetField[]; roles: TargetRole[] };
  plan: CyclePlan;
  /** A full cycle's read of the target's groups (apply finds the default group in it). */
  groupSnapshot?: GroupSnapshot | undefined;
  /** How the target's groups behave when memberships are written (the connector's `groupRules`). */
  groupRules?: GroupRules | undefined;
}

export async function computeCyclePlan(env: Pick<EngineEnv, 'db' | 'connect' | 'sleep'>, config: ProvisioningConfig, scope: PlanScope, userIds?: readonly string[], groupIds?: readonly string[]): Promise<Result<ComputedPlan, ConnectorError>> {
  const full = scope === 'full';
  // A full cycle reads the catalogue afresh (roles added in the target); a batch uses the saved one.
  const opened = await openRun(env, config, { fresh: full });
  if (!opened.ok) return opened;
  const { connection, capabilities, catalogue } = opened.value;
  const sleep = env.sleep;

  const prepared = await prepare(env.db, config, catalogue.fields);
  if (!prepared.ok) return prepared;
  // A full cycle's list of the target's groups is read while its users are (computeGroupPlan takes it up).
  const groupsListed = full && capabilities.groups && connection.groups && config.settings.provisionGroups ? listTargetGroups(connection.groups) : undefined;
  const snapshot = full ? await readTarget(connection, sleep) : undefined;
  if (snapshot && !snapshot.ok) return snapshot;

  // The run's users' assignments and links, read once for the desired state, the plan and the group state.
  const reads = await readUsersOnce(env.db, config.applicationId, userIds);
  const desired = await loadDesiredState(env.db, config.applicationId, config.settings, prepared.value, { userIds, assigned: reads.assignments });
  const links = reads.links;
  // Without a full read, the linked accounts are read back (one request per 100): the identity check's evidence.
  const linked = full ? undefined : await readLinkedAccounts(connection, links, sleep);
  if (linked && !linked.ok) return linked;
  const users = planUsers({
    desired: desired.desired,
    skipped: desired.skipped,
    links,
    snapshot: snapshot?.value,
    linkedAccounts: linked?.value,
    settings: config.settings,
    capabilities,
    roles: catalogue.roles,
    roleRules: connectorOf(config.type).roleRules,
    fields: catalogue.fields,
    outOfScope: desired.outOfScope,
    // Incremental only: a full cycle plans from its read; the users a dead run was creating are re-planned by themselves (run/create-intent.ts).
    absent: full ? undefined : desired.absent,
  });
  const groups = await computeGroupPlan({ db: env.db, applicationId: config.applicationId, settings: config.settings, connection, capabilities, roles: catalogue.roles, sleep }, scope, { groupIds, userIds, reads, listed: groupsListed });
  if (!groups.ok) return groups;
  // No membership change reaches an account whose link failed the identity check.
  const guarded = await guardGroupPlan(env.db, connection, config.applicationId, config.settings.matching, users, groups.value.plan, full ? null : new Set(links.map((l) => l.directoryId)), sleep);
  if (!guarded.ok) return guarded;
  const plan: CyclePlan = guarded.value.actions.length || full ? { users, groups: guarded.value } : { users };
  return { ok: true, value: { connection, capabilities, catalogue, plan, groupSnapshot: groups.value.snapshot, groupRules: connectorOf(config.type).groupRules } };
}


async function prepare(db: Db, config: ProvisioningConfig, fields: TargetField[]) {
  const definitions = [...(await loadAttributeDefinitions(db)).values()];
  const compiled = compileMappings(config.settings.mappings, config.settings.matching, fields, sourceAttributes(definitions));
  if (!compiled.ok) {
    const reason = compiled.error.map((i) => `${i.path}: ${i.reason}`).join('; ');
    return { ok: false as const, error: asConfigurationError({ code: 'mapping_invalid', message: `The saved mappings no longer compile: ${reason}`, advice: 'Fix the mappings on the Provisioning tab.' }) };
  }
  const onCreate = new Set(config.settings.mappings.filter((m) => m.apply === 'on_create').map((m) => m.target));
  return { ok: true as const, value: { compiled: compiled.value, onCreate } };
}

/** Every user of the target, read once per full cycle (for matching and drift repair). */
async function readTarget(connection: Connection, sleep: (ms: number) => Promise<void>): Promise<Result<TargetUser[], ConnectorError>> {
  // A read cut short (a 429 storm longer than the connector's own retries, 5xx, a dropped connection) starts again by its error's class, instead of failing the cycle.
  return callWithRetry(async () => {
    const out: TargetUser[] = [];
    for await (const page of connection.users.list({ pageSize: 100 })) {
      if (!page.ok) return page;
      out.push(...page.value);
    }
    return { ok: true, value: out };
  }, { sleep });
}

/** The number of actions a plan holds, over every object type (the cycle's progress total). */
export const planSize = (plan: CyclePlan): number => plan.users.actions.length + (plan.groups?.actions.length ?? 0);
