/**
 * The lease and what happens when its worker dies (issue 11, items 3–4): liveness as cycle requests
 * read it, a dead holder seen at once (PostgreSQL: its advisory lock is gone; PGlite: an earlier boot),
 * a stale heartbeat as the backstop, and the recorded scope handed on to a new job of the right kind.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { importSessions, provisioningCycles } from '../../db/provisioning-schema.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { type Queue, ensureQueues, startQueue } from '../../jobs/queue.ts';
import { importQueue } from '../target-import/import-queue.ts';
import { acquireLease, resumeLostImports } from '../target-import/session-lease.ts';
import { planQueue } from '../triggers/plan-job-data.ts';
import { acquireCycle, finishCycle, leaseAlive } from './cycle-lease.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { holderOf, startLeaseHolder } from './lease-holder.ts';
import { recordCreateIntent } from './create-intent.ts';
import { recoverLostRuns } from './lost-runs.ts';

describe.each(openTestDatabase.drivers())('cycle lease on %s', (driver) => {
  let t: TestApp;
  let queue: Queue;
  let appId: string;
  let releaseHolder: () => Promise<void>;
  beforeAll(async () => {
    t = await openTestApp(driver);
    queue = await startQueue(t.t.database, { supervise: false });
    await ensureQueues(queue, [provisioningQueues.sync, provisioningQueues.cycle, planQueue, importQueue]);
    const r = await t.app.inject({ method: 'POST', url: '/api/apps', headers: t.owner.headers, payload: { type: 'zendesk', displayName: 'Lease', settings: { subdomain: 'lease' } } });
    appId = r.json().id;
  });
  afterAll(async () => {
    await releaseHolder?.();
    await queue?.stop({ graceful: false, wait: true, timeout: 5_000 });
    await t?.close();
  });

  const db = () => t.t.database.db;
  const jobsSince = async (since: Date) =>
    queryRows<{ name: string; data: Record<string, unknown> }>(db(), sql`select name, data from pgboss.job where created_on >= ${since.toISOString()}::timestamptz order by created_on`);
  const now = async () => new Date((await queryRows<{ now: string | Date }>(db(), sql`select now() as now`))[0]!.now);
  const setHolder = (cycleId: string, holder: string | null) => db().update(provisioningCycles).set({ holder }).where(eq(provisioningCycles.id, cycleId));

  it('is alive while renewed; not after two missed renewals; taken over once stale, its users re-enqueued', async () => {
    const lease = await acquireCycle(db(), appId, 'incremental', { scope: { userIds: ['u1', 'u2'] } });
    if (!lease.ok) throw new Error('lease not acquired');
    expect(await leaseAlive(db(), lease.cycleId)).toBe(true);
    await db().update(provisioningCycles).set({ heartbeatAt: sql`now() - interval '5 seconds'` }).where(eq(provisioningCycles.id, lease.cycleId));
    expect(await leaseAlive(db(), lease.cycleId)).toBe(false);
    // Not stale yet (10 s) and no holder to ask: a new run is still refused.
    expect(await acquireCycle(db(), appId, 'on_demand', { queue })).toMatchObject({ ok: false, heldBy: { cycleId: lease.cycleId } });
    await db().update(provisioningCycles).set({ heartbeatAt: sql`now() - interval '11 seconds'` }).where(eq(provisioningCycles.id, lease.cycleId));
    const since = await now();
    const next = await acquireCycle(db(), appId, 'on_demand', { queue });
    expect(next.ok).toBe(true);
    const [old] = await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, lease.cycleId));
    expect(old).toMatchObject({ status: 'failed', error: { code: 'worker_lost' }, scope: { userIds: ['u1', 'u2'] } });
    expect(await jobsSince(since)).toEqual([{ name: provisioningQueues.sync, data: { applicationId: appId, userIds: ['u1', 'u2'] } }]);
    if (next.ok) await finishCycle(db(), next.cycleId, 'completed');
  });

  it('a lease whose holder process is gone is dead at once, whatever its heartbeat; a live holder keeps it', async () => {
    releaseHolder = await startLeaseHolder(t.t.database);
    const mine = holderOf(db());
    expect(mine).toMatch(driver === 'postgres' ? /^pg:\d+:\d+$/ : /^boot:[0-9a-f-]+:\d+$/);
    const lease = await acquireCycle(db(), appId, 'periodic');
    if (!lease.ok) throw new Error('lease not acquired');
    const [row] = await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, lease.cycleId));
    expect(row?.holder).toBe(mine);
    expect(await recoverLostRuns(db(), queue, { applicationId: appId })).toEqual([]);
    expect(await leaseAlive(db(), lease.cycleId)).toBe(true);

    // As after a kill: the holder named in the lease no longer exists (PostgreSQL: no session holds its lock; PGlite: another boot).
    await setHolder(lease.cycleId, driver === 'postgres' ? `pg:${Number(mine!.split(':')[1]) === 1 ? 2 : 1}:4242` : 'boot:00000000-0000-4000-8000-000000000000:4242');
    expect(await leaseAlive(db(), lease.cycleId)).toBe(false);
    const since = await now();
    const lost = await db().transaction((tx) => recoverLostRuns(tx, queue));
    expect(lost).toEqual([{ cycleId: lease.cycleId, applicationId: appId, kind: 'periodic', resumedAs: 'cycle' }]);
    expect(await jobsSince(since)).toEqual([{ name: provisioningQueues.cycle, data: { applicationId: appId, kind: 'periodic' } }]);
    // Recovered once: a second pass finds nothing.
    expect(await recoverLostRuns(db(), queue)).toEqual([]);
  });

  it('hands on an approved plan, and the groups of a batch, to jobs of their kind', async () => {
    const since = await now();
    const plan = await acquireCycle(db(), appId, 'approved_plan', { scope: { planId: '3c0d3a52-6a43-4a8e-9a0d-6b0d4f8b2a11' } });
    if (!plan.ok) throw new Error('lease not acquired');
    await setHolder(plan.cycleId, 'boot:00000000-0000-4000-8000-000000000000:1');
    expect(await recoverLostRuns(db(), queue)).toMatchObject([{ kind: 'approved_plan', resumedAs: 'plan' }]);
    const groups = await acquireCycle(db(), appId, 'incremental', { scope: { groupIds: ['g1'] } });
    if (!groups.ok) throw new Error('lease not acquired');
    await setHolder(groups.cycleId, 'boot:00000000-0000-4000-8000-000000000000:1');
    expect(await recoverLostRuns(db(), queue)).toMatchObject([{ kind: 'incremental', resumedAs: 'sync' }]);
    expect(await jobsSince(since)).toEqual([
      { name: planQueue, data: { op: 'apply', planId: '3c0d3a52-6a43-4a8e-9a0d-6b0d4f8b2a11' } },
      { name: provisioningQueues.sync, data: { applicationId: appId, userIds: [], groupIds: ['g1'] } },
    ]);
  });

  it('a full cycle that dies after recording its creates: those users are re-planned by themselves (linked if wanted, deprovisioned if not), and the cycle asked for again', async () => {
    const since = await now();
    const cycle = await acquireCycle(db(), appId, 'initial');
    if (!cycle.ok) throw new Error('lease not acquired');
    await recordCreateIntent(db(), cycle.cycleId, ['c1', 'c2']);
    await recordCreateIntent(db(), cycle.cycleId, ['c3']);
    const [row] = await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, cycle.cycleId));
    expect(row?.scope).toEqual({ createIds: ['c1', 'c2', 'c3'] });
    await setHolder(cycle.cycleId, 'boot:00000000-0000-4000-8000-000000000000:1');
    expect(await recoverLostRuns(db(), queue)).toMatchObject([{ kind: 'initial', resumedAs: 'cycle' }]);
    const jobs = await jobsSince(since);
    expect(jobs.filter((j) => j.name === provisioningQueues.sync)).toEqual([{ name: provisioningQueues.sync, data: { applicationId: appId, userIds: ['c1', 'c2', 'c3'] } }]);
    expect(jobs.some((j) => j.name === provisioningQueues.cycle)).toBe(true);
  });

  it('an import session whose lease holder died is enqueued again at once, once, and its lease taken over', async () => {
    const [session] = await db().insert(importSessions).values({ applicationId: appId, status: 'applying' }).returning({ id: importSessions.id });
    const id = session!.id;
    expect(await acquireLease(db(), id, 'job-1')).toBe(true);
    // Alive (this process holds it): nothing to resume, and another runner is refused.
    expect(await resumeLostImports(db(), queue)).toEqual([]);
    expect(await acquireLease(db(), id, 'job-2')).toBe(false);
    await db().execute(sql`update import_sessions set progress = jsonb_set(progress, '{lease,holder}', '"boot:00000000-0000-4000-8000-000000000000:1"') where id = ${id}`);
    const since = await now();
    expect(await resumeLostImports(db(), queue)).toEqual([id]);
    expect(await resumeLostImports(db(), queue)).toEqual([id]); // still dead, but its job is already queued
    expect(await jobsSince(since)).toEqual([{ name: importQueue, data: { sessionId: id, phase: 'apply' } }]);
    expect(await acquireLease(db(), id, 'job-2')).toBe(true);
    expect(await resumeLostImports(db(), queue)).toEqual([]);
  });
});
