/**
 * Issue 17 item 3, on both drivers: a single change made while a large incremental batch runs goes
 * through the quick lane and reaches the target before the batch ends; a change to a user the batch
 * holds waits for it (a later change never overtakes an earlier one); the lease rules (lanes.ts) hold
 * when acquired for real, through the lock and the index.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { systemPrincipal } from '../../admins/permissions.ts';
import { provisioningConfigs, provisioningCycles } from '../../db/provisioning-schema.ts';
import { assignments, groupMembers, groups, users } from '../../db/schema.ts';
import { writeUsers } from '../../directory/users/user-writer.ts';
import { acquireCycle, finishCycle } from './cycle-lease.ts';

const BURST = 300;

describe.each(openTestDatabase.drivers())('a burst and single changes on %s', (driver) => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
  }, 60_000);
  afterAll(async () => h?.close());

  it('a single change made during a large batch is applied before the batch ends; a change to a user in the batch waits for it', async () => {
    const sub = `lanes-${driver}`;
    const db = h.t.database.db;
    // Fast jobs while the users are provisioned; slow ones for the burst, so it runs for seconds.
    const app = await h.connectApp(sub, { account: { plan: 'enterprise', pace: { queueDelayMs: 20, perItemMs: 1, concurrency: 5 } }, settings: { provisionGroups: false } });
    const rows = Array.from({ length: BURST + 1 }, (_, i) => ({ email: `p${i}@${sub}.test`, givenName: 'P', familyName: String(i), displayName: `P ${i}`, department: 'Sales' }));
    const ids = (await db.insert(users).values(rows).returning({ id: users.id })).map((r) => r.id);
    const [group] = await db.insert(groups).values({ name: `Lanes ${driver}` }).returning({ id: groups.id });
    await db.insert(groupMembers).values(ids.map((memberId) => ({ groupId: group!.id, memberType: 'user', memberId })));
    await db.insert(assignments).values({ applicationId: app.id, principalType: 'group', principalId: group!.id, role: 'end-user', roleLabel: 'End user' });
    await h.call('POST', `/api/apps/${app.id}/provisioning/enable`);
    await h.until('the initial cycle', async () => (await db.select().from(provisioningCycles).where(sql`application_id = ${app.id} and kind = 'initial' and status = 'completed'`)).length > 0, 60_000);
    await h.relayed();
    await h.control('PATCH', `/__sandbox/accounts/${sub}`, { requestsPerMinute: 300, pace: { queueDelayMs: 3_000, perItemMs: 30, concurrency: 1 } });

    const burstIds = ids.slice(0, BURST);
    const inBurst = burstIds[7]!;
    const other = ids[BURST]!;
    const current = await db.select().from(users).where(inArray(users.id, burstIds));
    await db.transaction((tx) => writeUsers(tx, { updates: current.map((u) => ({ current: u, next: { ...u, department: 'Care' }, fields: ['department'] })) }, { actor: systemPrincipal }));
    const batch = await h.until(
      'the burst running as one main batch',
      async () => (await db.select().from(provisioningCycles).where(sql`application_id = ${app.id} and kind = 'incremental' and lane = 'main' and status = 'running' and jsonb_array_length(scope->'userIds') = ${BURST}`))[0],
    );

    const rename = async (id: string, name: string) => h.call('PATCH', `/api/users/${id}`, { displayName: name, version: (await h.call('GET', `/api/users/${id}`)).version });
    await rename(other, 'Other Renamed');
    await rename(inBurst, 'Burst Renamed');
    const byExternal = async (id: string) => (await h.zendeskUsers(sub)).find((u) => u.external_id === id);
    await h.until('the single change in Zendesk', async () => (await byExternal(other))?.name === 'Other Renamed', 20_000);
    // Applied while the batch still runs: it did not queue behind it.
    const [during] = await db.select({ status: provisioningCycles.status }).from(provisioningCycles).where(eq(provisioningCycles.id, batch.id));
    expect(during?.status).toBe('running');

    await h.until('the burst and the rename of a user in it in Zendesk', async () => {
      const all = await h.zendeskUsers(sub);
      const mine = all.filter((u) => burstIds.includes(u.external_id));
      return mine.length === BURST && mine.every((u) => String(u.details).includes('Care')) && mine.find((u) => u.external_id === inBurst)?.name === 'Burst Renamed';
    }, 90_000);
    const done = await h.until('the batch recorded', async () => (await db.select().from(provisioningCycles).where(and(eq(provisioningCycles.id, batch.id), eq(provisioningCycles.status, 'completed'))))[0]);
    expect(done).toMatchObject({ counts: expect.objectContaining({ updated: BURST, failed: 0 }) });

    // Every job handed on has run (the user in the batch went to the main lane once the quick lane met it there).
    await h.until('no provisioning job left', async () => Number((await h.t.database.raw.query(`select count(*)::int as n from pgboss.job where name like 'provisioning.sync%' and state in ('created', 'retry', 'active') and data->>'applicationId' = $1`, [app.id])).rows[0]?.['n']) === 0, 30_000);
    // The single change ran in the quick lane, beside the batch.
    const runs = await db.select().from(provisioningCycles).where(and(eq(provisioningCycles.applicationId, app.id), eq(provisioningCycles.kind, 'incremental')));
    const quick = runs.filter((r) => r.lane === 'quick' && r.scope?.userIds?.includes(other));
    expect(quick.length).toBeGreaterThan(0);
    expect(quick.every((r) => r.startedAt < done.finishedAt!)).toBe(true);
    // Per-user order: no other run held the user in the batch until the batch had finished.
    const later = runs.filter((r) => r.id !== batch.id && r.scope?.userIds?.includes(inBurst));
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) expect(r.startedAt.getTime()).toBeGreaterThanOrEqual(done.finishedAt!.getTime());
    // And in the target: once the rename was written, no later write of that user took it back.
    const writes = ((await h.control('GET', `/__sandbox/accounts/${sub}/writes`)).writes as Json[]).filter((w) => w.kind === 'user.update' && w.before?.external_id === inBurst);
    const renamedAt = writes.findIndex((w) => w.body?.name === 'Burst Renamed');
    expect(renamedAt).toBeGreaterThanOrEqual(0);
    expect(writes.slice(renamedAt).every((w) => w.body?.name === undefined || w.body.name === 'Burst Renamed')).toBe(true);
    expect(writes.some((w) => String(w.body?.details ?? '').includes('Care'))).toBe(true);
  }, 180_000);

  it('acquires the two lanes through the lock and the index as the rules say', async () => {
    const app = await h.connectApp(`lanes-lease-${driver}`);
    const db = h.t.database.db;
    await db.update(provisioningConfigs).set({ enabled: false }).where(eq(provisioningConfigs.applicationId, app.id));
    const main = await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['a', 'b'] } });
    if (!main.ok) throw new Error('main lease not acquired');
    expect(await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['c'] } })).toMatchObject({ ok: false, heldBy: { cycleId: main.cycleId, lane: 'main' } });
    expect(await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['b'] }, lane: 'quick' })).toMatchObject({ ok: false, heldBy: { cycleId: main.cycleId, lane: 'main' } });
    const quick = await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['c'] }, lane: 'quick' });
    if (!quick.ok) throw new Error('quick lease not acquired');
    expect(await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['d'] }, lane: 'quick' })).toMatchObject({ ok: false, heldBy: { cycleId: quick.cycleId, lane: 'quick' } });
    await finishCycle(db, main.cycleId, 'completed');
    // A full cycle waits for the quick batch; a main batch of other users does not.
    expect(await acquireCycle(db, app.id, 'on_demand')).toMatchObject({ ok: false, heldBy: { cycleId: quick.cycleId, lane: 'quick' } });
    expect(await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['c', 'e'] } })).toMatchObject({ ok: false, heldBy: { cycleId: quick.cycleId } });
    const next = await acquireCycle(db, app.id, 'incremental', { scope: { userIds: ['e'] } });
    expect(next.ok).toBe(true);
    // The index allows one running row per application and lane, whatever a writer does by hand.
    await expect(db.insert(provisioningCycles).values({ applicationId: app.id, kind: 'incremental', lane: 'quick', status: 'running' })).rejects.toThrow();
  }, 60_000);
});
