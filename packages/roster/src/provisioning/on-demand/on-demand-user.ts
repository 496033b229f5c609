/**
 * Provision on demand, one user: read the directory values, evaluate scope (every filter and
 * clause), look the account up (the link's account, else the matching attributes in order — the
 * real `findBy` calls), plan with the engine's planner and apply with the engine's apply (so the
 * link, the provisioning event, escrow and counts are written exactly as a cycle writes them), then
 * report the target's answer. Every step is returned for the admin to read.
 *
 * The caller holds the application's lease (provision-on-demand.ts), so no cycle or batch plans
 * this user at the same time.
 */
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Capabilities, Connection, TargetField, TargetRole, TargetUser } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { links as linksTable, provisioningEvents } from '../../db/provisioning-schema.ts';
import type { users } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import { connectorOf } from '../config/target-catalogue.ts';
import { loadDesiredState } from '../desired/load-desired.ts';
import { withManagerEmails } from '../desired/manager-emails.ts';
import type { RenderContext } from '../desired/render-desired.ts';
import { checkIdentity, claimOf } from '../links/identity-check.ts';
import { readUserLinks } from '../links/user-links.ts';
import { toSourceUser } from '../mapping/source-attributes.ts';
import { matchValue } from '../diff/plan-match.ts';
import { planUsers } from '../diff/plan.ts';
import type { PlanAction } from '../diff/plan-types.ts';
import { changesOf } from '../diff/action-changes.ts';
import { loadScope } from '../scoping/load-scope.ts';

export type OnDemandStepName = 'connection' | 'read' | 'scope' | 'match' | 'action' | 'result';

export interface OnDemandStep {
  name: OnDemandStepName;
  /** e.g. `connected`, `in scope`, `out of scope`, `matched`, `no match`, `create`, `success`, `failed`. */
  outcome: string;
  detail: string;
  data: Record<string, unknown>;
}

export type OnDemandOutcome = 'created' | 'updated' | 'linked' | 'suspended' | 'unsuspended' | 'deleted' | 'unchanged' | 'skipped' | 'out_of_scope' | 'failed';

export interface OnDemandUserResult {
  userId: string;
  identity: string;
  result: OnDemandOutcome;
  steps: OnDemandStep[];
}

/** What the user runs share: the open connection and what was read once. */
export interface OnDemandSession {
  db: Db;
  config: ProvisioningConfig;
  connection: Connection;
  capabilities: Capabilities;
  fields: TargetField[];
  roles: TargetRole[];
  render: RenderContext;
  cycleId: string;
  sleep(ms: number): Promise<void>;
  now(): number;
}

type UserRow = typeof users.$inferSelect;

const shown = (t: TargetUser) => ({ id: t.id, externalId: t.externalId, email: t.email, name: t.name, role: t.roleKey, suspended: t.suspended, active: t.active });

export async function provisionUserOnDemand(s: OnDemandSession, user: UserRow): Promise<OnDemandUserResult> {
  const applicationId = s.config.applicationId;
  const steps: OnDemandStep[] = [];
  const done = (result: OnDemandOutcome): OnDemandUserResult => ({ userId: user.id, identity: user.email, result, steps });

  const assigned = await effectiveAssignments(s.db, applicationId, { userIds: [user.id] });
  const [assignment] = assigned;
  const [source] = await withManagerEmails(s.db, [user]);
  steps.push({
    name: 'read',
    outcome: 'read',
    detail: `${user.email} (${user.status})${assignment ? `, assigned as ${assignment.roleLabel}` : ', not assigned'}`,
    data: { values: toSourceUser(source ?? user), assignment: assignment ? { role: assignment.role, roleLabel: assignment.roleLabel, via: assignment.via } : null },
  });

  const scope = await loadScope(s.db, s.config.settings.scopingFilters, { userIds: [user.id] });
  // Group clauses by the group's name: the step is read by people (the UI says it as a sentence).
  const evaluated = scope.explain(source ?? user);
  const candidate = assignment !== undefined || s.config.settings.scope === 'all';
  const inScope = candidate && evaluated.inScope;
  steps.push({
    name: 'scope',
    outcome: inScope ? 'in scope' : 'out of scope',
    detail: !candidate
      ? 'not assigned to the application (scope: assigned users and groups only)'
      : evaluated.filters.length === 0
        ? `${s.config.settings.scope === 'all' ? 'scope: all users' : 'assigned'}; no scoping filter`
        : evaluated.inScope
          ? `passes ${evaluated.filters.filter((f) => f.passed).map((f) => f.name || 'a filter').join(', ')}`
          : scope.reason(source ?? user),
    data: { scope: s.config.settings.scope, assigned: assignment !== undefined, filters: evaluated.filters },
  });

  // The assignment read above, not read again.
  const desired = await loadDesiredState(s.db, applicationId, s.config.settings, s.render, { userIds: [user.id], assigned });
  const links = await readUserLinks(s.db, applicationId, [user.id]);
  const link = links[0];
  const wanted = desired.desired[0];

  // The lookups, as calls to the target: the linked account first, then the matching attributes in order.
  const snapshot: TargetUser[] = [];
  const calls: Record<string, unknown>[] = [];
  let alive = false;
  if (link) {
    const got = await s.connection.users.get(link.targetId);
    if (!got.ok) return failedLookup(steps, done, `get ${link.targetId}`, got.error.message);
    calls.push({ call: 'get', id: link.targetId, found: got.value ? shown(got.value) : null });
    if (got.value) snapshot.push(got.value);
    // Alive means proven the user's (links/identity-check.ts); otherwise the plan drops the link and matches again.
    const verdict = checkIdentity(claimOf(link, wanted, s.config.settings.matching), got.value);
    alive = verdict.ok;
    const lost = verdict.ok ? '' : verdict.reason === 'missing' || verdict.reason === 'deleted' ? `the linked account ${link.targetId} is gone from the target` : `the linked account ${link.targetId} is not this user's (link_mismatch)`;
    steps.push({ name: 'match', outcome: alive ? 'linked' : 'link lost', detail: alive ? `linked to target ${link.targetId}` : lost, data: { call: calls[calls.length - 1] } });
  }
  if (wanted && !alive) {
    for (const field of s.config.settings.matching) {
      const value = matchValue(wanted, field);
      if (value === null) {
        steps.push({ name: 'match', outcome: 'no value', detail: `${field} is empty: not looked up`, data: { field } });
        continue;
      }
      const found = await s.connection.users.findBy(field, value);
      if (!found.ok) return failedLookup(steps, done, `findBy ${field}`, found.error.message);
      const live = found.value.filter((t) => t.active);
      const claimed = await linkedToOthers(s.db, applicationId, user.id, live.map((t) => t.id));
      const free = live.filter((t) => !claimed.has(t.id));
      snapshot.push(...free);
      steps.push({
        name: 'match',
        outcome: free.length === 1 ? 'matched' : free.length > 1 ? 'ambiguous' : 'no match',
        detail: `findBy ${field} = ${value}: ${found.value.length} found${claimed.size ? `, ${claimed.size} already linked to another directory user` : ''}`,
        data: { call: 'findBy', field, value, found: found.value.map(shown), linkedToOthers: [...claimed] },
      });
      if (free.length > 0) break;
    }
  }

  const plan = planUsers({
    desired: desired.desired,
    skipped: desired.skipped,
    links,
    snapshot,
    settings: s.config.settings,
    capabilities: s.capabilities,
    roles: s.roles,
    roleRules: connectorOf(s.config.type).roleRules,
    fields: s.fields,
    outOfScope: desired.outOfScope,
  });
  const action = plan.actions.find((a) => a.directoryId === user.id);
  if (!action) {
    steps.push({ name: 'action', outcome: 'none', detail: inScope ? 'the account already matches the directory' : 'not provisioned, nothing to remove', data: {} });
    steps.push({ name: 'result', outcome: 'success', detail: 'nothing sent', data: {} });
    return done(inScope ? 'unchanged' : 'out_of_scope');
  }
  steps.push({ name: 'action', outcome: action.kind, detail: actionDetail(action), data: { sent: sentOf(action), changes: changesOf(action) } });

  await applyPlan({ db: s.db, applicationId, cycleId: s.cycleId, connection: s.connection, capabilities: s.capabilities, sleep: s.sleep, now: s.now, concurrency: 1 }, plan);
  const [event] = await s.db
    .select()
    .from(provisioningEvents)
    .where(and(eq(provisioningEvents.cycleId, s.cycleId), eq(provisioningEvents.directoryId, user.id)))
    // The user's own action is the last event (a dropped link, `link_mismatch`, is logged before it).
    .orderBy(desc(provisioningEvents.id))
    .limit(1);
  if (!event) {
    steps.push({ name: 'result', outcome: 'failed', detail: 'the action was not applied (provisioning stopped or the lease was lost); it waits in escrow', data: {} });
    return done('failed');
  }
  const target = event.targetId && event.status === 'success' && action.kind !== 'delete' ? await s.connection.users.get(event.targetId) : null;
  steps.push({
    name: 'result',
    outcome: event.status,
    detail: event.status === 'success' ? `${event.action} done${event.targetId ? ` (target ${event.targetId})` : ''}` : (event.errorMessage ?? event.status),
    data: {
      action: event.action,
      targetId: event.targetId,
      ...(event.errorCode ? { error: { code: event.errorCode, message: event.errorMessage, advice: event.advice } } : {}),
      ...(target?.ok && target.value ? { target: shown(target.value) } : {}),
      durationMs: event.durationMs,
    },
  });
  return done(outcomeOf(event.action, event.status, inScope));
}

/** Target accounts among `targetIds` that another directory user of the application is linked to. */
async function linkedToOthers(db: Db, applicationId: string, userId: string, targetIds: string[]): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  const rows = await db
    .select({ targetId: linksTable.targetId })
    .from(linksTable)
    .where(and(eq(linksTable.applicationId, applicationId), eq(linksTable.objectType, 'user'), inArray(linksTable.targetId, targetIds), ne(linksTable.directoryId, userId)));
  return new Set(rows.map((r) => r.targetId));
}

function failedLookup(steps: OnDemandStep[], done: (r: OnDemandOutcome) => OnDemandUserResult, call: string, message: string): OnDemandUserResult {
  steps.push({ name: 'match', outcome: 'failed', detail: `${call}: ${message}`, data: { call } });
  steps.push({ name: 'result', outcome: 'failed', detail: 'the target could not be read; nothing was sent', data: {} });
  return done('failed');
}

/** What is sent to the target: the create's input, the patch, or nothing (delete, skip). */
function sentOf(a: PlanAction): Record<string, unknown> | null {
  if (a.kind === 'create') return { ...a.input };
  if ('patch' in a) return { ...a.patch };
  return null;
}

function actionDetail(a: PlanAction): string {
  if (a.kind === 'skip') return a.reason;
  const changed = changesOf(a).map((c) => c.property).join(', ');
  return changed ? `${a.kind}: ${changed}` : a.kind;
}

function outcomeOf(action: string, status: string, inScope: boolean): OnDemandOutcome {
  if (status === 'failed') return 'failed';
  if (status === 'skipped' || action === 'skip') return inScope ? 'skipped' : 'out_of_scope';
  const map: Record<string, OnDemandOutcome> = { create: 'created', update: 'updated', link: 'linked', suspend: 'suspended', unsuspend: 'unsuspended', delete: 'deleted' };
  return map[action] ?? 'updated';
}
