/**
 * Issue 17 item 0, at the boundary: 70,000 members of one group assigned to an application (more
 * than PostgreSQL's 65,535 bind parameters per statement, which any id list spread as parameters
 * hits). The relay, a scope preview, a dry run, a full cycle (users and the group's memberships) and
 * an incremental batch of the whole group all run against the sandbox. The users are seeded with
 * set-based SQL; the sandbox account has bulk jobs without pace and a budget far above what the run
 * uses, so the time goes to Roster's own queries.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { links, membershipLinks, provisioningCycles, provisioningEvents, provisioningRetries } from '../../db/provisioning-schema.ts';
import { groups } from '../../db/schema.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { ensureQueues, type Queue } from '../../jobs/queue.ts';
import { clearRetries, escrowUsers } from '../escrow/retries.ts';
import { computeDryRun } from '../kept-plans/dry-run.ts';
import { RELAY_CONSUMER, relayOutbox } from '../triggers/outbox-relay.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runProvisioning } from './run-provisioning.ts';

const MEMBERS = 70_000;
const SUB = 'boundary';
const SLICE = 300;
const GROUP_NAME = 'Everyone at the boundary';

describe.each(openTestDatabase.drivers())('a 70,000-member group assigned to an application on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  let env: EngineEnv;
  let h: EngineHarness;
  let appId: string;
  let groupId: string;
  let userIds: string[];

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const patchSettings = async (settings: Json) => call('PATCH', `/api/apps/${appId}/provisioning`, { settings, version: (await call('GET', `/api/apps/${appId}/provisioning`)).version });
  const count = async (query: ReturnType<typeof sql>): Promise<number> => (await queryRows<{ n: number }>(t.database.db, query))[0]!.n;
  const timed = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const value = await f();
    console.log(`[${driver}] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  };

  beforeAll(async () => {
    // No worker: the test runs the relay and the engine itself.
    h = await openEngineHarness(driver, { worker: false, jobPollIntervalMs: 10 });
    ({ t, queue } = h);
    await ensureQueues(queue, Object.values(provisioningQueues));
    env = h.engineEnv();

    // Rate-limit headers on (the pacer learns the budget), a budget the run never reaches, bulk jobs without pace.
    const account = { plan: 'enterprise', requestsPerMinute: 1_000_000, maxInflightJobs: 30, pace: { queueDelayMs: 0, perItemMs: 0, concurrency: 30 } };
    ({ id: appId } = await h.connectApp(SUB, { displayName: 'Zendesk boundary', account, enable: true }));

    await timed(`seed ${MEMBERS} users in one group (SQL)`, async () => {
      const db = t.database.db;
      await db.execute(sql`insert into users (email, given_name, family_name, display_name, department)
        select 'member-' || n || '@boundary.test', 'Member', n::text, 'Member ' || n, case when n % 2 = 0 then 'Support' else 'Sales' end
        from generate_series(1, ${MEMBERS}::int) n`);
      [{ id: groupId }] = (await db.insert(groups).values({ name: GROUP_NAME }).returning({ id: groups.id })) as [{ id: string }];
      await db.execute(sql`insert into group_members (group_id, member_type, member_id)
        select ${groupId}::uuid, 'user', id from users where email like 'member-%@boundary.test'`);
      userIds = (await queryRows<{ id: string }>(db, sql`select id from users where email like 'member-%@boundary.test' order by id`)).map((r) => r.id);
    });
    expect(userIds).toHaveLength(MEMBERS);
    // The relay starts at the assignment (earlier rows are the set-up's, and a gap would make it wait).
    await t.database.db.execute(sql`insert into outbox_cursors (consumer, last_id) select ${RELAY_CONSUMER}, coalesce(max(id), 0) from outbox
      on conflict (consumer) do update set last_id = excluded.last_id`);
    await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: groupId, role: 'agent' });
  }, 300_000);
  afterAll(async () => h?.close());

  it('the relay hands the assignment over as sync jobs covering every member', async () => {
    expect(await timed('relay of the group assignment', () => relayOutbox(t.database.db, queue))).toBe(1);
    const covered = await count(sql`select coalesce(sum(jsonb_array_length(data->'userIds')), 0)::int as n from pgboss.job where name = ${provisioningQueues.sync} and data->>'applicationId' = ${appId}`);
    expect(covered).toBe(MEMBERS);
    // Those jobs are not run here (no worker): the cycle below does the same work in one run.
    await t.database.db.execute(sql`delete from pgboss.job where name = ${provisioningQueues.sync} and data->>'applicationId' = ${appId}`);
  }, 300_000);

  it('a scope preview counts every member', async () => {
    const preview = await timed('scope preview', () => call('POST', `/api/apps/${appId}/provisioning/scope-preview`, { scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'equals', value: 'Support' }] }] }));
    expect(preview).toMatchObject({ current: MEMBERS, proposed: MEMBERS / 2 });
    expect(preview.leaving.count).toBe(MEMBERS / 2);
  }, 300_000);

  it('a dry run plans a create for every member and applies nothing', async () => {
    const planId = (await call('POST', `/api/apps/${appId}/provisioning/dry-runs`)).plan.id as string;
    await timed('dry run', () => computeDryRun(env, planId));
    const plan = await call('GET', `/api/apps/${appId}/provisioning/plans/${planId}`);
    expect(plan.status).toBe('ready');
    expect(plan.counts.create).toBe(MEMBERS);
    expect(((await control('GET', `/__sandbox/accounts/${SUB}/snapshot`)).users as Json[]).filter((u) => u.external_id)).toEqual([]);
  }, 300_000);

  it('a full cycle with creates switched off plans every member, creates the group and applies', async () => {
    // Creating 70,000 accounts would time the sandbox, not Roster's queries: the full cycle plans and
    // logs every member (skipped: creates off) and creates the group; the batch below creates a slice.
    await patchSettings({ syncActions: { create: false } });
    const r = await timed('full cycle', () => runProvisioning(env, appId, 'initial'));
    expect(r).toMatchObject({ status: 'done', stopped: false });
    const [cycle] = await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, (r as { cycleId: string }).cycleId));
    // Skipped: every member (creates off) and every membership (its user is not provisioned).
    expect(cycle).toMatchObject({ status: 'completed', counts: { skipped: 2 * MEMBERS, created: 0, failed: 0, groupsCreated: 1 } });
    expect(await count(sql`select count(*)::int as n from ${provisioningEvents} where ${provisioningEvents.cycleId} = ${cycle!.id} and ${provisioningEvents.objectType} = 'user' and ${provisioningEvents.action} = 'skip'`)).toBe(MEMBERS);
    const snapshot = await control('GET', `/__sandbox/accounts/${SUB}/snapshot`);
    expect((snapshot.groups as Json[]).filter((g) => g.name === GROUP_NAME)).toHaveLength(1);
  }, 600_000);

  it('an incremental batch of the whole group with a slice of its members creates the slice and their memberships', async () => {
    await patchSettings({ syncActions: { create: true } });
    const slice = userIds.slice(0, SLICE);
    const r = await timed(`incremental batch: the group whole and ${SLICE} of its members`, () => runProvisioning(env, appId, 'incremental', slice, [groupId]));
    expect(r).toMatchObject({ status: 'done', stopped: false });
    const cycleId = (r as { cycleId: string }).cycleId;
    const added = sql`select count(*)::int as n from ${provisioningEvents} where ${provisioningEvents.cycleId} = ${cycleId} and ${provisioningEvents.action} = 'add_member' and ${provisioningEvents.status} = 'success'`;
    expect(await count(added)).toBe(SLICE);
    expect(await count(sql`select count(*)::int as n from ${links} where ${links.applicationId} = ${appId} and ${links.objectType} = 'user' and ${links.state} = 'provisioned'`)).toBe(SLICE);
    expect(await count(sql`select count(*)::int as n from ${membershipLinks} where ${membershipLinks.applicationId} = ${appId}`)).toBe(SLICE);
    const snapshot = await control('GET', `/__sandbox/accounts/${SUB}/snapshot`);
    expect((snapshot.users as Json[]).filter((u) => u.external_id).length).toBe(SLICE);
    const target = (snapshot.groups as Json[]).find((g) => g.name === GROUP_NAME)!;
    // New agents also join the account's default group (as in Zendesk): only this group's memberships count.
    expect((snapshot.group_memberships as Json[]).filter((m) => m.group_id === target.id)).toHaveLength(SLICE);
  }, 300_000);

  it('escrow takes and clears every member at once', async () => {
    const error = { code: 'application_stopped', class: 'configuration' as const, message: 'stopped', advice: 'reconnect' };
    await timed('escrow and clear', async () => {
      await escrowUsers(t.database.db, appId, userIds.map((directoryId) => ({ directoryId, error })), { immediate: true });
      expect(await count(sql`select count(*)::int as n from ${provisioningRetries} where ${provisioningRetries.applicationId} = ${appId}`)).toBe(MEMBERS);
      await clearRetries(t.database.db, appId, userIds, null);
    });
    const left = await t.database.db.select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, appId)));
    expect(left).toEqual([]);
  }, 300_000);
});
