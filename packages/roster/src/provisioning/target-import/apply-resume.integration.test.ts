/**
 * A worker dies in the middle of applying an import session: the next worker takes the session
 * over once the lease is stale and finishes it, and nothing is applied twice. The read and apply
 * jobs are run directly (no worker), so the test decides when each "worker" runs and dies.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../../../zendesk-sandbox/src/index.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { systemPrincipal } from '../../admins/permissions.ts';
import { buildApp } from '../../api/app.ts';
import type { ApiApp } from '../../api/context.ts';
import { loadConfig } from '../../config/config.ts';
import { importItems, links, provisioningEvents } from '../../db/provisioning-schema.ts';
import { auditLog, users } from '../../db/schema.ts';
import { startQueue, type Queue } from '../../jobs/queue.ts';
import { engineEnvFrom } from '../run/engine-env.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runImportApply } from './apply-session.ts';
import { confirmSession } from './confirm-session.ts';
import { runImportRead } from './read-session.ts';
import { findSession, startSession } from './session-store.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- control answers read loosely

describe.each(openTestDatabase.drivers())('import apply resumed after a crash on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let queue: Queue;
  let sandbox: Sandbox;
  let sandboxUrl: string;
  let env: EngineEnv;

  beforeAll(async () => {
    sandbox = createSandbox();
    sandboxUrl = (await sandbox.listen(0)).url;
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
    if (!config.ok) throw new Error(config.error.join('\n'));
    ({ app } = await buildApp({ database: t.database, config: config.value, queue }));
    const silent = { info: () => undefined, error: () => undefined };
    env = engineEnvFrom({ database: t.database, queue, log: silent, config: config.value, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex') }, { jobPollIntervalMs: 20 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await queue?.stop({ graceful: false });
    await t?.close();
    await sandbox?.close();
  });

  const control = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const r = await fetch(`${sandboxUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return (await r.json()) as Json;
  };

  it('takes over a stale lease and applies every confirmed user exactly once', async () => {
    const sub = `resume-${driver}`;
    const { account } = await control('POST', '/__sandbox/accounts', { subdomain: sub, pace: { queueDelayMs: 0, perItemMs: 0, concurrency: 10 } });
    await control('POST', `/__sandbox/accounts/${sub}/seed`, { count: 60, prefix: 'resume' });
    const { headers } = await createTestAdmin(t.database.db, { role: 'owner' });
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
      const r = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      if (r.statusCode >= 400) throw new Error(`${url} → ${r.statusCode} ${r.body}`);
      return r.json() as Json;
    };
    const appId = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk', settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });

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
    const { account } = await control('POST', '/__sandbox/accounts', { subdomain: sub, pace: { queueDelayMs: 0, perItemMs: 0, concurrency: 10 } });
    await control('POST', `/__sandbox/accounts/${sub}/seed`, { count: 3, prefix: 'taken' });
    const { headers } = await createTestAdmin(t.database.db, { role: 'owner' });
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => (await app.inject({ method, url, headers, ...(payload ? { payload } : {}) })).json() as Json;
    const appId = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk', settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    const session = await startSession(t.database.db, queue, systemPrincipal, appId);
    expect(await runImportRead(env, session.id, 'reader')).toBe('done');
    const classified = await findSession(t.database.db, appId, session.id);
    const [item] = await t.database.db.select().from(importItems).where(and(eq(importItems.sessionId, session.id), sql`${importItems.identity} like 'taken-%'`)).limit(1);
    await call('POST', '/api/users', { email: item!.identity.toUpperCase(), displayName: 'Got there first' });
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
