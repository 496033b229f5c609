/**
 * The real-time trigger: reads directory changes from the outbox after the `provisioning` cursor,
 * works out which users of which applications they touch, and enqueues one `provisioning.sync`
 * job per application — in the same transaction that advances the cursor, so a change is handed
 * over exactly once. A burst read in one pass becomes one job per application (coalescing). A change
 * whose outbox row names an origin (an import read it from that application) goes to every
 * application but that one. Users changed by small transactions (a few at a time, no groups
 * involved) go to the quick lane's queue instead, so they are applied beside a burst, not after it
 * (run/lanes.ts).
 *
 * Exact (issue 11, item 5): ids are taken at insert, so a transaction can commit a lower id after a
 * higher one. Each row therefore carries its transaction's id (`xact_id`, `pg_current_xact_id()`), and
 * the relay reads in (xact_id, id) order only the rows of transactions below a bound: the lowest
 * transaction still running at its snapshot that may belong to this database, else the snapshot's
 * xmax. Every transaction below it has finished, so nothing can still appear before the cursor, and a
 * rolled-back transaction's rows simply never exist (nothing to wait for). Transaction ids are
 * server-wide: one running in another database (known from `pg_stat_activity`) is not waited for, so
 * another application's long transaction on a shared server does not hold the relay back; an
 * unknown one is waited for (it waits; it never skips). The same SQL runs on PGlite (one connection:
 * trivially serial) and PostgreSQL 15.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { outboxCursors, provisioningConfigs, provisioningCycles } from '../../db/provisioning-schema.ts';
import { outbox } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { expandGroupUsers } from '../../directory/groups/expand-group-users.ts';
import { originOf } from '../../directory/outbox.ts';
import { isAppError } from '../../errors/app-error.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { escrowWaiting } from '../escrow/run-escrow.ts';
import { type SyncJobData, provisioningQueues, syncJobOptions } from './job-names.ts';
import { groupsAbove, groupsConcerned } from '../groups/affected-groups.ts';
import { readUserLinks } from '../links/user-links.ts';

export const RELAY_CONSUMER = 'provisioning';
const BATCH = 2_000;
const JOB_USERS = 5_000;
/** A transaction with at least this many rows in one pass is a burst: its users go in the main lane. */
const BURST_ROWS = 100;
/** At most this many users of small transactions go to an application's quick lane per pass; more go in the main lane. */
const QUICK_USERS = 25;

type OutboxRow = typeof outbox.$inferSelect;

/** What a batch of changes touches: users for every application, and per application. */
interface Affected {
  users: Set<string>;
  /**
   * Users changed with values read from one application (an import from it), by that application:
   * every other application is sent them; the one they came from already has them (its links were
   * written with the import), so sending them back would only re-plan what it just said.
   */
  fromOrigin: Map<string, Set<string>>;
  byApp: Map<string, Set<string>>;
  /** Applications that lost a group assignment whose members can no longer be listed. */
  sweep: Set<string>;
  /** Directory groups changed (renamed, deleted, members changed, with every group above them). */
  groups: Set<string>;
  /** Groups assigned to or unassigned from an application. */
  groupsByApp: Map<string, Set<string>>;
  /** Users unassigned from an application (directly or with a group): sent even without a link, since a run may have created their account and died before linking it. */
  unassigned: Map<string, Set<string>>;
  /** Users taken out of a group (directly or with a nested group): they may have lost an assignment through it. */
  removedMembers: Set<string>;
  /** Users touched by a small transaction (fewer than BURST_ROWS rows in this pass): candidates for the quick lane. */
  small: Set<string>;
}

/** One pass; returns how many outbox rows it consumed. */
export async function relayOutbox(db: Db, queue: Queue): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(outboxCursors).values({ consumer: RELAY_CONSUMER }).onConflictDoNothing();
    const [cursor] = await tx.select().from(outboxCursors).where(eq(outboxCursors.consumer, RELAY_CONSUMER)).for('update');
    const lastId = cursor?.lastId ?? 0;
    const lastXact = cursor?.lastXact || (lastId > 0 ? await xactOfLegacyCursor(tx, lastId) : 0);
    const rows = await readFinished(tx, lastXact, lastId);
    if (rows.length === 0) return 0;
    const affected = await affectedBy(tx, rows);
    await handOver(tx, queue, affected);
    const last = rows.at(-1)!;
    await tx.update(outboxCursors).set({ lastXact: last.xactId, lastId: last.id, updatedAt: sql`now()` }).where(eq(outboxCursors.consumer, RELAY_CONSUMER));
    return rows.length;
  });
}

/**
 * Every transaction below this id has finished, as far as this database's outbox can tell: the
 * statement snapshot's running transactions, minus those positively running in another database.
 */
const finishedBelow = sql`least(
  (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint,
  coalesce(
    (select min((x::text)::bigint) from pg_snapshot_xip(pg_current_snapshot()) as x
      where not exists (select 1 from pg_stat_activity a where a.backend_xid = x::xid and a.datname <> current_database())),
    (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint))`;

/** The next rows after the cursor (xact_id, id), from finished transactions only, in (xact_id, id) order. */
export function readFinished(tx: Tx, lastXact: number, lastId: number, limit = BATCH): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(outbox)
    .where(sql`(${outbox.xactId}, ${outbox.id}) > (${lastXact}::bigint, ${lastId}::bigint) and ${outbox.xactId} < ${finishedBelow}`)
    .orderBy(asc(outbox.xactId), asc(outbox.id))
    .limit(limit);
}

/**
 * A cursor written before rows carried their transaction id (last_xact 0): the rows up to it were
 * all given the migration's transaction id, so the cursor continues from (that id, last_id).
 */
async function xactOfLegacyCursor(tx: Tx, lastId: number): Promise<number> {
  const [r] = await tx.select({ x: sql<string | null>`max(${outbox.xactId})` }).from(outbox).where(lte(outbox.id, lastId));
  return r?.x ? Number(r.x) : 0;
}

async function affectedBy(tx: Tx, rows: readonly OutboxRow[]): Promise<Affected> {
  const a: Affected = { users: new Set(), fromOrigin: new Map(), byApp: new Map(), sweep: new Set(), groups: new Set(), groupsByApp: new Map(), unassigned: new Map(), removedMembers: new Set(), small: new Set() };
  const forApp = (appId: string) => a.byApp.get(appId) ?? a.byApp.set(appId, new Set()).get(appId)!;
  const nested = new Set<string>();
  const rowsOf = new Map<number, number>();
  for (const row of rows) rowsOf.set(row.xactId, (rowsOf.get(row.xactId) ?? 0) + 1);
  for (const row of rows) {
    const data = row.data;
    const small = (rowsOf.get(row.xactId) ?? 0) < BURST_ROWS;
    const touch = (id: string) => void (small && a.small.add(id));
    const origin = originOf(data);
    if (row.entityType === 'user') {
      if (origin === undefined) a.users.add(row.entityId);
      else (a.fromOrigin.get(origin) ?? a.fromOrigin.set(origin, new Set()).get(origin)!).add(row.entityId);
      touch(row.entityId);
    } else if (row.entityType === 'group') a.groups.add(row.entityId);
    else if (row.entityType === 'group_member') {
      if (typeof data['groupId'] === 'string') nested.add(data['groupId']);
      const removed = row.op === 'deleted';
      if (data['memberType'] === 'user') {
        a.users.add(String(data['memberId']));
        touch(String(data['memberId']));
        if (removed) a.removedMembers.add(String(data['memberId']));
      } else {
        for (const id of await expandGroupUsers(tx, [String(data['memberId'])])) {
          a.users.add(id);
          touch(id);
          if (removed) a.removedMembers.add(id);
        }
      }
    } else if (row.entityType === 'assignment' && typeof data['applicationId'] === 'string' && data['applicationId'] !== origin) {
      // An assignment an import made to the application it read the user from is already linked there.
      const app = data['applicationId'];
      const principal = String(data['principalId']);
      const unassigned = row.op === 'deleted' ? (a.unassigned.get(app) ?? a.unassigned.set(app, new Set()).get(app)!) : null;
      if (data['principalType'] === 'user') {
        forApp(app).add(principal);
        touch(principal);
        unassigned?.add(principal);
      } else {
        (a.groupsByApp.get(app) ?? a.groupsByApp.set(app, new Set()).get(app)!).add(principal);
        const members = await expandGroupUsers(tx, [principal]);
        for (const id of members) {
          forApp(app).add(id);
          touch(id);
          unassigned?.add(id);
        }
        if (row.op === 'deleted') a.sweep.add(app);
      }
    }
  }
  for (const id of await groupsAbove(tx, [...nested])) a.groups.add(id);
  return a;
}

async function handOver(tx: Tx, queue: Queue, affected: Affected): Promise<void> {
  const apps = await tx
    .select({ id: provisioningConfigs.applicationId, state: provisioningConfigs.state, settings: provisioningConfigs.settings })
    .from(provisioningConfigs)
    .where(and(eq(provisioningConfigs.enabled, true), inArray(provisioningConfigs.state, ['idle', 'running', 'quarantined', 'stopped'])));
  for (const app of apps) {
    const candidates = new Set([...affected.users, ...(affected.byApp.get(app.id) ?? [])]);
    for (const [origin, ids] of affected.fromOrigin) if (origin !== app.id) ids.forEach((id) => candidates.add(id));
    let userIds: string[];
    try {
      userIds = await concerned(tx, app.id, app.settings['scope'] === 'all', candidates, affected.sweep.has(app.id), { unassigned: affected.unassigned.get(app.id), removedMembers: affected.removedMembers });
    } catch (e) {
      if (isAppError(e) && e.code === 'not_found') continue; // application deleted since
      throw e;
    }
    const groupIds = app.settings['provisionGroups'] === false ? [] : await groupsConcerned(tx, app.id, app.settings['scope'] === 'all', [...new Set([...affected.groups, ...(affected.groupsByApp.get(app.id) ?? [])])]);
    if (userIds.length === 0 && groupIds.length === 0) continue;
    if (app.state === 'stopped') {
      // Kept for when an admin fixes the connection: due at once then.
      await escrowWaiting(tx, app.id, userIds, 'application_stopped');
      continue;
    }
    // A few users of small transactions, no groups: the quick lane, applied beside a burst.
    const quick = groupIds.length === 0 ? userIds.filter((id) => affected.small.has(id)) : [];
    const lanes = quick.length > 0 && quick.length <= QUICK_USERS ? { quick, main: userIds.filter((id) => !affected.small.has(id)) } : { quick: [], main: userIds };
    if (lanes.quick.length) await enqueue(queue, tx, provisioningQueues.syncQuick, { applicationId: app.id, userIds: lanes.quick } satisfies SyncJobData, syncJobOptions);
    if (lanes.main.length === 0 && groupIds.length === 0) continue;
    // Groups ride with the first job (applied after its users, so new members have accounts).
    for (let i = 0; i < Math.max(lanes.main.length, 1); i += JOB_USERS) {
      const data: SyncJobData = { applicationId: app.id, userIds: lanes.main.slice(i, i + JOB_USERS), ...(i === 0 && groupIds.length ? { groupIds } : {}) };
      await enqueue(queue, tx, provisioningQueues.sync, data, syncJobOptions);
    }
  }
}

/**
 * The candidates the application cares about: assigned (or any, with scope all) or linked; plus
 * orphans on a sweep; plus, without a link, those just unassigned from it and those a run of it in
 * flight may be creating (an incremental lease's users; for a full cycle or a kept-plan apply, the
 * users just taken out of a group). These may have an account whose link was never written (the run
 * died between the create and the link): their batch looks the account up and deprovisions it
 * (plan.ts, absent users).
 */
async function concerned(
  tx: Tx,
  applicationId: string,
  scopeAll: boolean,
  candidates: Set<string>,
  sweep: boolean,
  removals: { unassigned: ReadonlySet<string> | undefined; removedMembers: ReadonlySet<string> },
): Promise<string[]> {
  const out = new Set<string>();
  if (candidates.size > 0) {
    const ids = [...candidates];
    if (scopeAll) ids.forEach((id) => out.add(id));
    else for (const e of await effectiveAssignments(tx, applicationId, { userIds: ids })) out.add(e.userId);
    for (const l of await readUserLinks(tx, applicationId, ids)) out.add(l.directoryId);
    for (const id of removals.unassigned ?? []) out.add(id);
    const inFlight = await tx.select({ kind: provisioningCycles.kind, scope: provisioningCycles.scope }).from(provisioningCycles).where(and(eq(provisioningCycles.applicationId, applicationId), eq(provisioningCycles.status, 'running')));
    for (const run of inFlight) {
      const creating = run.kind === 'incremental' ? new Set(run.scope?.userIds ?? []) : removals.removedMembers;
      for (const id of ids) if (creating.has(id)) out.add(id);
    }
  }
  if (sweep) {
    const assigned = new Set((await effectiveAssignments(tx, applicationId)).map((e) => e.userId));
    for (const l of await readUserLinks(tx, applicationId)) if (!assigned.has(l.directoryId)) out.add(l.directoryId);
  }
  return [...out];
}
