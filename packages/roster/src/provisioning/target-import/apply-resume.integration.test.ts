/**
 * A worker dies in the middle of applying an import session: the next worker takes the session
 * over once the lease is stale and finishes it, and nothing is applied twice. The read and apply
 * jobs are run directly (no worker), so the test decides when each "worker" runs and dies.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { systemPrincipal } from '../../admins/permissions.ts';
import { importItems, links, provisioningEvents } from '../../db/provisioning-schema.ts';
import { auditLog, users } from '../../db/schema.ts';
import type { Queue } from '../../jobs/queue.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runImportApply } from './apply-session.ts';
import { confirmSession } from './confirm-session.ts';
import { runImportRead } from './read-session.ts';
import { findSession, startSession } from './session-store.ts';

describe.each(openTestDatabase.drivers())('import apply resumed after a crash on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  let env: EngineEnv;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver, { worker: false });
    ({ t, queue } = h);
    env = h.engineEnv();
  }, 60_000);
  afterAll(async () => h?.close());

  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  /** A sandbox account holding `seed.count` users of its own (bulk jobs without pace) and an application connected to it. */
  const connected = async (sub: string, seed: { count: number; prefix: string }) => {
    const { id } = await h.connectApp(sub, { displayName: 'Zendesk', account: { pace: { queueDelayMs: 0, perItemMs: 0, concurrency: 10 } } });
    await control('POST', `/__sandbox/accounts/${sub}/seed`, seed);
    return id;
  };

  it('takes over a stale lease and applies every confirmed user exactly once', async () => {
    const sub = `resume-${driver}`;
    const appId = await connected(sub, { count: 60, prefix: 'resume' });

    // The jobs the API enqueues are never worked here: the test plays the workers.
    const session = await startSession(t.database.db, queue, systemPrincipal, appId);
    expect(await runImportRead(env, session.id, 'reader')).toBe('done');
    const classified = await findSession(t.database.db, appId, session.id);
    expect(classified).toMatchObject({ status: 'classified', counts: expect.objectContaining({ new: 61 }) });
    await confirmSession(t.database.db, queue, systemPrincipal, appId, session.id, { categories: ['new'] }, classified.version);

    const crash = new Error('worker killed');
    await expect(runImportApply(env, session.id, 'worker-1', { batchSize: 10, afterBatch: (n) => { if (n === 2) throw crash; } })).rejects.toBe(crash);
    const halfway = await t.database.db.select({ status: importItems.applyStatus, n: sql<number>`count(*)::int` }).from(importItems).where(eq(importItems.sessionId, session.id)).groupBy(importItems.applyStatus);
    expect(Object.fromEntries(halfway.map((r) => [r.status, r.n]))).toEqual({ applied: 20, pending: 41 });

    // The dead worker's lease is still fresh: nobody else may take the session yet.
    expect(await runImportApply(env, session.id, 'worker-2', { batchSize: 10 })).toBe('busy');
    expect(await runImportApply(env, session.id, 'worker-2', { batchSize: 10, staleMs: 0 })).toBe('done');

    const done = await findSession(t.database.db, appId, session.id);
    expect(done).toMatchObject({ status: 'applied', counts: expect.objectContaining({ applied: 61, pending: 0, failed: 0 }) });
    const imported = await t.database.db.select().from(users).where(sql`${users.email} like 'resume-%'`);
    expect(imported).toHaveLength(60);
    const created = await t.database.db.select({ targetId: auditLog.targetId, n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, 'user.create')).groupBy(auditLog.targetId);
    expect(created).toHaveLength(61);
    expect(created.every((r) => r.n === 1)).toBe(true);
    const events = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, appId), eq(provisioningEvents.action, 'import')));
    expect(events.filter((e) => e.status === 'success')).toHaveLength(61);
    expect(new Set(events.map((e) => e.targetId)).size).toBe(61);
    const linked = await t.database.db.select().from(links).where(eq(links.applicationId, appId));
    expect(linked).toHaveLength(61);
    const inZendesk = ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).filter((u) => u.active);
    expect(inZendesk).toHaveLength(61);
    const ids = new Map(linked.map((l) => [l.targetId, l.directoryId]));
    expect(inZendesk.every((u) => u.external_id === ids.get(String(u.id)))).toBe(true);
  });

  it('a user whose email someone took after the read fails alone; the others are applied', async () => {
    const sub = `taken-${driver}`;
    const appId = await connected(sub, { count: 3, prefix: 'taken' });
    const session = await startSession(t.database.db, queue, systemPrincipal, appId);
    expect(await runImportRead(env, session.id, 'reader')).toBe('done');
    const classified = await findSession(t.database.db, appId, session.id);
    const [item] = await t.database.db.select().from(importItems).where(and(eq(importItems.sessionId, session.id), sql`${importItems.identity} like 'taken-%'`)).limit(1);
    await h.call('POST', '/api/users', { email: item!.identity.toUpperCase(), displayName: 'Got there first' });
    await confirmSession(t.database.db, queue, systemPrincipal, appId, session.id, { categories: ['new'] }, classified.version);
    expect(await runImportApply(env, session.id, 'worker')).toBe('done');
    const done = await findSession(t.database.db, appId, session.id);
    expect(done.counts).toMatchObject({ applied: 3, failed: 1, pending: 0 });
    const [failed] = await t.database.db.select().from(importItems).where(and(eq(importItems.sessionId, session.id), eq(importItems.targetId, item!.targetId)));
    expect(failed).toMatchObject({ applyStatus: 'failed', applyError: expect.objectContaining({ code: 'email_taken' }) });
    const [event] = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, appId), eq(provisioningEvents.targetId, item!.targetId)));
    expect(event).toMatchObject({ action: 'import', status: 'failed', errorCode: 'email_taken' });
    expect(await t.database.db.select().from(users).where(sql`lower(${users.email}) = ${item!.identity}`)).toHaveLength(1);
  });
});
