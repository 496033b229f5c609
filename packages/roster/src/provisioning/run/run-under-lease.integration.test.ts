/**
 * The run skeleton (run-under-lease.ts) as every kind of run sees it: one run per application, a
 * wait that ends in a 409, a step that throws closes its run as failed and puts its unfinished users
 * in escrow (a batch's users; any run's recorded creates, an approved plan's too), and the health
 * rules see only runs that asked for them.
 */
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningConfigs, provisioningCycles, provisioningRetries } from '../../db/provisioning-schema.ts';
import { isAppError } from '../../errors/app-error.ts';
import { clearRetries } from '../escrow/retries.ts';
import { WAIT_REASONS, escrowWaiting } from '../escrow/run-escrow.ts';
import { recordCreateIntent } from './create-intent.ts';
import { type RunHost, runUnderLease } from './run-under-lease.ts';

describe.each(openTestDatabase.drivers())('the run skeleton on %s', (driver) => {
  let t: TestApp;
  let host: RunHost;
  const newApp = async (name: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/apps', headers: t.owner.headers, payload: { type: 'zendesk', displayName: name, settings: { subdomain: name } } });
    return r.json().id as string;
  };
  beforeAll(async () => {
    t = await openTestApp(driver);
    host = { db: t.t.database.db, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now };
  });
  afterAll(async () => {
    await t?.close();
  });

  const db = () => t.t.database.db;
  const cycle = async (id: string) => (await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, id)))[0]!;
  const escrowed = (appId: string) => db().select().from(provisioningRetries).where(eq(provisioningRetries.applicationId, appId));

  it('runs one step per application at a time: a second run is busy, and with a wait a 409 once it has waited', async () => {
    const appId = await newApp('skeleton-busy');
    let second: unknown;
    const first = await runUnderLease(host, { applicationId: appId, kind: 'periodic', what: 'this cycle' }, async (run) => {
      second = await runUnderLease(host, { applicationId: appId, kind: 'incremental', scope: { userIds: [randomUUID()] }, what: 'this cycle' }, async () => 'ran');
      const waited = await runUnderLease(host, { applicationId: appId, kind: 'incremental', waitMs: 300, what: 'this cycle' }, async () => 'ran').catch((e: unknown) => e);
      expect(isAppError(waited) && waited.code).toBe('conflict');
      await run.finish('completed');
      return run.cycleId;
    });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(second).toEqual({ ok: false, heldBy: { cycleId: first.value, kind: 'periodic', lane: 'main' } });
    expect(await cycle(first.value)).toMatchObject({ status: 'completed', kind: 'periodic' });
  });

  it("a step that throws: its run is failed with the stored error, the batch's users and the recorded creates wait in escrow, the exception goes on", async () => {
    const appId = await newApp('skeleton-throws');
    const batch = [randomUUID(), randomUUID()];
    const creating = randomUUID();
    let cycleId = '';
    const thrown = await runUnderLease(host, { applicationId: appId, kind: 'incremental', scope: { userIds: batch }, what: 'this cycle' }, async (run) => {
      cycleId = run.cycleId;
      await recordCreateIntent(db(), run.cycleId, [creating]);
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect((thrown as Error).message).toBe('boom');
    expect(await cycle(cycleId)).toMatchObject({ status: 'failed', error: { code: 'internal', message: 'This cycle stopped on an internal error.', correlationId: expect.any(String) } });
    const rows = await escrowed(appId);
    expect(rows.map((r) => r.directoryId).sort()).toEqual([...batch, creating].sort());
    for (const r of rows) expect(r).toMatchObject({ attempts: 1, lastError: { code: 'internal', class: 'transient' } });
  });

  it('an approved plan that throws: its recorded creates wait in escrow (re-planned, never left unlinked)', async () => {
    const appId = await newApp('skeleton-plan');
    const creating = randomUUID();
    await runUnderLease(host, { applicationId: appId, kind: 'approved_plan', scope: { planId: randomUUID() }, what: 'applying the kept plan' }, async (run) => {
      await recordCreateIntent(db(), run.cycleId, [creating]);
      throw new Error('boom');
    }).catch(() => undefined);
    expect((await escrowed(appId)).map((r) => r.directoryId)).toEqual([creating]);
  });

  it('a full cycle shows the application running while it runs; the health rules assess only a run that asks', async () => {
    const appId = await newApp('skeleton-health');
    await db().insert(provisioningConfigs).values({ applicationId: appId, enabled: true, state: 'idle' }).onConflictDoUpdate({ target: provisioningConfigs.applicationId, set: { enabled: true, state: 'idle' } });
    const state = async () => (await db().select({ state: provisioningConfigs.state, health: provisioningConfigs.health }).from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, appId)))[0]!;
    const before = await state();
    await runUnderLease(host, { applicationId: appId, kind: 'periodic', full: true, what: 'this cycle' }, async (run) => {
      expect((await state()).state).toBe('running');
      await run.finish('completed');
    });
    expect(await state()).toEqual({ ...before, state: 'idle' });
    const fatal = { code: 'unauthorized', class: 'configuration' as const, message: 'The token was refused.', advice: 'Reconnect.' };
    await runUnderLease(host, { applicationId: appId, kind: 'periodic', full: true, what: 'this cycle' }, async (run) => {
      await run.finish('failed', { error: { code: fatal.code } });
      run.assess({ fatal, systemicFailures: 0 });
    });
    expect((await state()).state).toBe('quarantined');
    const running = await db().select().from(provisioningCycles).where(and(eq(provisioningCycles.applicationId, appId), eq(provisioningCycles.status, 'running')));
    expect(running).toEqual([]);
  });

  it('users waiting for a reason of the run carry one class per code, whoever writes it, and are due at once', async () => {
    const appId = await newApp('skeleton-wait');
    const [a, b] = [randomUUID(), randomUUID()];
    // The relay (application stopped when the change arrived) and the sync job (stopped when the batch ran) write the same reason.
    await escrowWaiting(db(), appId, [a], 'application_stopped');
    await escrowWaiting(db(), appId, [b], 'cycle_running');
    const rows = new Map((await escrowed(appId)).map((r) => [r.directoryId, r]));
    expect(rows.get(a)).toMatchObject({ attempts: 0, lastError: { code: 'application_stopped', class: 'configuration' } });
    expect(rows.get(b)).toMatchObject({ attempts: 0, lastError: { code: 'cycle_running', class: 'transient' } });
    expect(rows.get(a)!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Set(Object.values(WAIT_REASONS).filter((r) => r.code === 'worker_lost').map((r) => r.class))).toEqual(new Set(['transient']));
  });
  it("a run clears only the escrow it began with: a change escrowed while it ran (a full cycle running) waits for its own run", async () => {
    const appId = await newApp('skeleton-clear');
    const [failedBefore, changedDuring] = [randomUUID(), randomUUID()];
    await escrowWaiting(db(), appId, [failedBefore], 'worker_lost');
    const r = await runUnderLease(host, { applicationId: appId, kind: 'periodic', what: 'this cycle' }, async (run) => {
      // The sync job found the cycle running: the change waits in escrow, newer than what the cycle planned from.
      await escrowWaiting(db(), appId, [changedDuring], 'cycle_running');
      // The cycle then applied both users with success.
      await clearRetries(db(), appId, [failedBefore, changedDuring], run.cycleId);
      await run.finish('completed');
    });
    expect(r.ok).toBe(true);
    expect((await escrowed(appId)).map((row) => row.directoryId)).toEqual([changedDuring]);
    // Without a run (nothing planned from an older read), every listed user's escrow goes.
    await clearRetries(db(), appId, [changedDuring], null);
    expect(await escrowed(appId)).toEqual([]);
  });
});
