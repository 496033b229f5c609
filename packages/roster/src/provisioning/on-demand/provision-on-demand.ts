/**
 * Provision on demand (issue 5, item 3): one user, or one group's users one by one, provisioned at
 * once with every step shown — connection (which account, acting as which admin), read, scope,
 * match, action (properties sent, old → new), result (the target's answer).
 *
 * No duplicate accounts while a cycle runs: the run takes the application's lease
 * (run/cycle-lease.ts) as a short batch (`incremental`), exactly as the outbox relay's batches do.
 * While another worker holds it, the request waits — an incremental batch is done in seconds — for
 * at most {@link LEASE_WAIT_MS}; a full cycle still holding it then is a 409 `conflict` (try again
 * once it finishes; it reconciles the user anyway). Holding the lease, the plan is computed from the
 * links as they are then, and batches or cycles that ask meanwhile wait or retry (see
 * jobs/provisioning-jobs.ts), so two runs never create the same user. Works whether provisioning is on
 * or off (an admin may try a user before switching on), but needs a connection. For a group, its
 * users go first (one by one, with their steps), then the group itself and its memberships through
 * group provisioning (`syncGroupsNow`, which needs provisioning on and groups provisioned).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { groups, users } from '../../db/schema.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import { expandGroupUsers } from '../../directory/groups/expand-group-users.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Queue } from '../../jobs/queue.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runUnderLease } from '../run/run-under-lease.ts';
import { syncGroupsNow } from '../groups/sync-groups.ts';
import { compileMappings } from '../mapping/compile-mappings.ts';
import { sourceAttributes } from '../mapping/source-attributes.ts';
import { type OnDemandOutcome, type OnDemandSession, type OnDemandStep, type OnDemandUserResult, provisionUserOnDemand } from './on-demand-user.ts';
import type { ErrorLog } from '../../errors/stored-error.ts';
import { TARGET_IDENTITY_CHANGED, verifyTargetIdentity } from '../connection/target-identity.ts';
import { stopApplication } from '../apply/stop-application.ts';

/** How long a request waits for another run's lease before answering 409. */
export const LEASE_WAIT_MS = 15_000;
/** A group with more users is refused: provision on demand answers within seconds; a cycle handles big groups. */
export const MAX_GROUP_USERS = 50;

export type OnDemandEnv = Pick<EngineEnv, 'db' | 'connect' | 'sleep' | 'now' | 'heartbeatMs'> & {
  leaseWaitMs?: number;
  /** The server log: where an error's details go (the stored error keeps a code and a correlation id). */
  log?: ErrorLog | undefined;
  /** To hand the users on to a batch if this process dies mid-run (run/lost-runs.ts); without it they go to escrow. */
  queue?: Queue | undefined;
};

export type OnDemandTarget = { userId: string } | { groupId: string };

export interface OnDemandResult {
  result: OnDemandOutcome | 'done';
  steps: OnDemandStep[];
  /** For a group: each user's run. */
  users?: OnDemandUserResult[];
  /** For a group: the group itself and its memberships, through group provisioning (groups/sync-groups.ts). */
  group?: OnDemandGroupResult;
}

export interface OnDemandGroupResult {
  /** `done`, `failed`, or `not provisioned` (groups off, provisioning off, or the target has no groups). */
  result: string;
  detail: string;
  /** The provisioning events of the group and its memberships: action, status, steps, changes. */
  events: Record<string, unknown>[];
}

export async function provisionOnDemand(env: OnDemandEnv, applicationId: string, target: OnDemandTarget): Promise<OnDemandResult> {
  const config = await loadProvisioningConfig(env.db, applicationId);
  const rows = 'userId' in target ? [await findUser(env.db, target.userId)] : await groupUsers(env.db, target.groupId);

  // Connection first, outside the lease: a failure here writes nothing, and the lease is held only while applying.
  const steps: OnDemandStep[] = [];
  const failed = (step: OnDemandStep): OnDemandResult => {
    steps.push(step, { name: 'result', outcome: 'failed', detail: 'nothing was sent', data: {} });
    return { result: 'failed', steps };
  };
  const opened = await env.connect(applicationId, config);
  if (!opened.ok) return failed({ name: 'connection', outcome: 'failed', detail: `${opened.error.message}${opened.error.advice ? ` ${opened.error.advice}` : ''}`, data: { code: opened.error.code } });
  const connection = opened.value.connection;
  const report = await connection.check();
  // The settings that name the account (the gallery entry's), as the log shows it.
  const account = { type: config.type, ...config.targetSettings };
  if (!report.ok) {
    const bad = report.steps.find((s) => !s.ok);
    return failed({ name: 'connection', outcome: 'failed', detail: bad ? `${bad.name}: ${bad.message}` : 'Test connection failed', data: { code: 'connection_failed', account, checks: report.steps } });
  }
  // The account itself: another one behind the connection stops the application, and nothing is sent.
  const identity = await verifyTargetIdentity(env.db, applicationId, config.stored.targetIdentity, connection, env.sleep);
  if (!identity.ok) {
    if (identity.error.code === TARGET_IDENTITY_CHANGED) await env.db.transaction((tx) => stopApplication(tx, applicationId, identity.error));
    return failed({ name: 'connection', outcome: 'failed', detail: `${identity.error.message} ${identity.error.advice}`, data: { code: identity.error.code, account } });
  }
  const caps = report.capabilities ? { ok: true as const, value: report.capabilities } : await connection.capabilities();
  if (!caps.ok) return failed({ name: 'connection', outcome: 'failed', detail: caps.error.message, data: { code: caps.error.code, account } });
  const catalogue = config.stored.catalogue;
  const fields = catalogue ? { ok: true as const, value: catalogue.fields } : await connection.fields();
  const roles = catalogue ? { ok: true as const, value: catalogue.roles } : await connection.roles();
  if (!fields.ok || !roles.ok) return failed({ name: 'connection', outcome: 'failed', detail: (!fields.ok ? fields.error : !roles.ok ? roles.error : null)!.message, data: { code: 'catalogue_unreadable', account } });
  const actingAs = report.actingAs ?? null;
  steps.push({
    name: 'connection',
    outcome: 'connected',
    detail: `${config.type} account ${config.account ?? '?'}${actingAs ? `, acting as ${actingAs.email ?? actingAs.id} (${actingAs.role})` : ''}`,
    data: { account, actingAs, capabilities: caps.value, warnings: report.warnings },
  });
  const definitions = [...(await loadAttributeDefinitions(env.db)).values()];
  const compiled = compileMappings(config.settings.mappings, config.settings.matching, fields.value, sourceAttributes(definitions));
  if (!compiled.ok) {
    const reason = compiled.error.map((i) => `${i.path}: ${i.reason}`).join('; ');
    return failed({ name: 'read', outcome: 'failed', detail: `The saved mappings no longer compile: ${reason}`, data: { code: 'mapping_invalid' } });
  }

  // The lease as a short batch: waits for another run's (a batch is done in seconds), a 409 after LEASE_WAIT_MS.
  const request = { applicationId, kind: 'incremental' as const, scope: { userIds: rows.map((r) => r.id) }, waitMs: env.leaseWaitMs ?? LEASE_WAIT_MS, what: 'provisioning on demand' };
  const leased = await runUnderLease(env, request, async (run) => {
    const session: OnDemandSession = {
      db: env.db,
      config,
      connection,
      capabilities: caps.value,
      fields: fields.value,
      roles: roles.value,
      render: { compiled: compiled.value, onCreate: new Set(config.settings.mappings.filter((m) => m.apply === 'on_create').map((m) => m.target)) },
      cycleId: run.cycleId,
      sleep: env.sleep,
      now: env.now,
    };
    const results: OnDemandUserResult[] = [];
    for (const row of rows) results.push(await provisionUserOnDemand(session, row));
    await run.finish('completed', { unchanged: results.filter((r) => r.result === 'unchanged').length });
    return results;
  });
  // A wait was asked: the skeleton answers a 409 instead of busy.
  if (!leased.ok) throw new Error('unreachable: a lease taken with a wait is never busy');
  const results = leased.value;
  if ('userId' in target) return { result: results[0]!.result, steps: [...steps, ...results[0]!.steps] };
  // Users first, so the memberships find their accounts; the group run takes the lease on its own.
  const group = await provisionGroup(env, applicationId, target.groupId);
  const failedAny = results.some((r) => r.result === 'failed') || group.result === 'failed';
  return { result: failedAny ? 'failed' : 'done', steps, users: results, group };
}

async function provisionGroup(env: OnDemandEnv, applicationId: string, groupId: string): Promise<OnDemandGroupResult> {
  const until = env.now() + (env.leaseWaitMs ?? LEASE_WAIT_MS);
  for (;;) {
    const r = await syncGroupsNow(env, applicationId, [groupId]);
    switch (r.status) {
      case 'done': {
        const events = r.applied.events.map((e) => ({ ...e }) as Record<string, unknown>);
        const failures = r.applied.events.filter((e) => e.status === 'failed').length;
        const detail = r.applied.stopped ? r.applied.stopped.message : `${events.length} group and membership actions${failures ? `, ${failures} failed` : ''}`;
        return { result: r.applied.stopped || failures ? 'failed' : 'done', detail, events };
      }
      case 'off':
        return { result: 'not provisioned', detail: `the group itself was not provisioned: ${r.reason}`, events: [] };
      case 'failed':
        return { result: 'failed', detail: `${r.error.message} ${r.error.advice}`, events: [] };
      case 'busy':
        if (env.now() >= until) return { result: 'failed', detail: 'another provisioning run kept the application busy; the group is provisioned by the next run', events: [] };
        await env.sleep(250);
    }
  }
}

async function findUser(db: Db, userId: string): Promise<typeof users.$inferSelect> {
  const [row] = await db.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!row) throw new AppError('not_found', `No directory user has the id ${userId}.`, { issues: [{ path: 'body.userId', reason: 'no such user' }] });
  return row;
}

async function groupUsers(db: Db, groupId: string): Promise<(typeof users.$inferSelect)[]> {
  const [group] = await db.select({ id: groups.id }).from(groups).where(and(eq(groups.id, groupId), isNull(groups.deletedAt)));
  if (!group) throw new AppError('not_found', `No directory group has the id ${groupId}.`, { issues: [{ path: 'body.groupId', reason: 'no such group' }] });
  const ids = await expandGroupUsers(db, [groupId]);
  if (ids.length > MAX_GROUP_USERS) {
    throw new AppError('validation_failed', `The group covers ${ids.length} users; provision on demand takes at most ${MAX_GROUP_USERS}. Run a cycle instead (POST …/provisioning/cycles).`, {
      issues: [{ path: 'body.groupId', reason: `covers ${ids.length} users, more than ${MAX_GROUP_USERS}` }],
    });
  }
  if (ids.length === 0) return [];
  const rows = await db.select().from(users).where(and(inArray(users.id, ids), isNull(users.deletedAt)));
  return rows.sort((a, b) => (a.email < b.email ? -1 : 1));
}
