import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { provisioningConfigs, provisioningCycles, provisioningEvents, provisioningRetries } from '../../db/provisioning-schema.ts';
import { startQueue, type Queue } from '../../jobs/queue.ts';
import { startWorker, type Worker } from '../../runtime/worker.ts';
import { links } from '../../db/provisioning-schema.ts';
import type { Connection } from '../../connectors/contract.ts';
import type { WorkerContext } from '../../jobs/handler.ts';
import { enqueue } from '../../jobs/queue.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { createProvisioningJobs } from '../jobs/provisioning-jobs.ts';
import { runProvisioning } from './run-provisioning.ts';

describe.each(openTestDatabase.drivers())('provisioning engine against the sandbox on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  let ctx: WorkerContext;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t, queue, ctx } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const zendeskUsers = (sub: string) => h.zendeskUsers(sub);
  const byExternal = async (sub: string, externalId: string) => (await zendeskUsers(sub)).find((u) => u.external_id === externalId);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  const patchUser = async (userId: string, body: Record<string, unknown>) => call('PATCH', `/api/users/${userId}`, { ...body, version: (await call('GET', `/api/users/${userId}`)).version });
  const newUser = async (email: string, givenName: string, familyName: string) => (await call('POST', '/api/users', { email, givenName, familyName, displayName: `${givenName} ${familyName}` })).id as string;

  /** An application connected by API token to a fresh sandbox account. */
  async function connectedApp(sub: string, account: Record<string, unknown> = {}): Promise<{ id: string; roles: Json[] }> {
    const { id } = await h.connectApp(sub, { account });
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).ok).toBe(true);
    const roles = (await call('GET', `/api/apps/${id}/provisioning/roles`)).items as Json[];
    return { id, roles };
  }
  /** Waits until the relay has read every outbox row so far (assignments made before switching on stay out of incremental batches). */
  const relayed = () => h.relayed();
  const cycles = (appId: string) => t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId));
  const completedFull = async (appId: string) => (await cycles(appId)).find((c) => c.kind !== 'incremental' && c.status !== 'running');

  it('initial cycle creates assigned users with their roles; changes propagate through the outbox', async () => {
    const { id, roles } = await connectedApp('eng-main');
    const light = roles.find((r) => r.label === 'Light agent')!;
    const group = (await call('POST', '/api/groups', { name: 'Support agents' })).id as string;
    const ada = await newUser('ada@example.com', 'Ada', 'Lovelace');
    const bob = await newUser('bob@example.com', 'Bob', 'Babbage');
    const cyd = await newUser('cyd@example.com', 'Cyd', 'Light');
    const dee = await newUser('dee@example.com', 'Dee', 'Default');
    await call('POST', `/api/groups/${group}/members/bulk`, { members: [{ memberType: 'user', memberId: ada }, { memberType: 'user', memberId: bob }] });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'agent' });
    const cydAssignment = (await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: cyd, role: light.key, roleLabel: light.label })).id as string;
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: dee, role: 'default-access' });
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);

    const cycle = await until('the initial cycle', () => completedFull(id));
    expect(cycle).toMatchObject({ kind: 'initial', status: 'completed' });
    expect(cycle.counts).toMatchObject({ created: 3, skipped: 1, failed: 0, updated: 0 });
    const inZendesk = await zendeskUsers('eng-main');
    expect(inZendesk.map((u) => u.external_id).sort()).toEqual([ada, bob, cyd].sort());
    expect(inZendesk.find((u) => u.external_id === ada)).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', role: 'agent' });
    expect(inZendesk.find((u) => u.external_id === cyd)).toMatchObject({ role: 'agent', custom_role_id: Number(light.key.slice('custom:'.length)) });

    const events = await t.database.db.select().from(provisioningEvents).where(eq(provisioningEvents.applicationId, id));
    const created = events.find((e) => e.directoryId === ada && e.action === 'create')!;
    expect(created).toMatchObject({ status: 'success', cycleId: cycle.id, identity: 'ada@example.com' });
    expect(created.steps.map((s) => s.name)).toEqual(['scope', 'match', 'match', 'action']);
    expect(events.find((e) => e.directoryId === dee)).toMatchObject({ action: 'skip', status: 'skipped' });

    // Rename, deactivate, reactivate, unassign: each reaches Zendesk through the relay.
    await patchUser(ada, { familyName: 'King', displayName: 'Ada King' });
    await until('the rename', async () => (await byExternal('eng-main', ada))?.name === 'Ada King');
    await call('POST', `/api/users/${bob}/deactivate`);
    await until('the suspension', async () => (await byExternal('eng-main', bob))?.suspended === true);
    await call('POST', `/api/users/${bob}/activate`);
    await until('the reactivation', async () => (await byExternal('eng-main', bob))?.suspended === false);
    await call('DELETE', `/api/apps/${id}/assignments/${cydAssignment}`);
    await until('the deletion', async () => (await byExternal('eng-main', cyd))?.active === false);
    // A user added to the assigned group is created with the group's role.
    const eve = await newUser('eve@example.com', 'Eve', 'Newcomer');
    await call('POST', `/api/groups/${group}/members/bulk`, { members: [{ memberType: 'user', memberId: eve }] });
    await until('the new member', async () => (await byExternal('eng-main', eve))?.role === 'agent');
    const update = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.directoryId, ada), eq(provisioningEvents.action, 'update')));
    expect(update[0]?.changes).toEqual(expect.arrayContaining([{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }]));
    expect((await zendeskUsers('eng-main')).filter((u) => u.active).length).toBe(3);
  }, 90_000);

  it.each([
    ['on', true],
    ['off', false],
  ])('bulk import %s: the initial cycle creates every user, through bulk jobs only when bulk is on', async (label, bulkImport) => {
    const sub = `eng-bulk-${label}`;
    const { id } = await connectedApp(sub, { bulkImport, pace: { queueDelayMs: 10, perItemMs: 1 } });
    const group = (await call('POST', '/api/groups', { name: `Bulk ${label}` })).id as string;
    const members: string[] = [];
    for (let i = 0; i < 12; i++) members.push(await newUser(`bulk-${label}-${i}@example.com`, 'Bulk', `User${i}`));
    await call('POST', `/api/groups/${group}/members/bulk`, { members: members.map((memberId) => ({ memberType: 'user', memberId })) });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'end-user' });
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    await until('the initial cycle', () => completedFull(id));
    // The relay may hand the assignment to an incremental batch first; together they create each user once.
    const runs = await cycles(id);
    expect(runs.reduce((n, c) => n + (c.counts['created'] ?? 0), 0)).toBe(12);
    expect(runs.reduce((n, c) => n + (c.counts['failed'] ?? 0), 0)).toBe(0);
    const snap = await control('GET', `/__sandbox/accounts/${sub}/snapshot`);
    const created = (snap.users as Json[]).filter((u) => members.includes(u.external_id));
    expect(created).toHaveLength(12);
    expect(new Set(created.map((u) => u.external_id)).size).toBe(12);
    if (bulkImport) expect((snap.jobs as Json[]).length).toBeGreaterThan(0);
    else expect(snap.jobs).toHaveLength(0);
  }, 60_000);

  it('changes held back while the update sync action is off are pushed once it is on again', async () => {
    const { id } = await connectedApp('eng-held');
    const gus = await newUser('gus@example.com', 'Gus', 'Held');
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: gus, role: 'end-user' });
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    await until('the create', async () => (await byExternal('eng-held', gus))?.name === 'Gus Held');
    await until('the initial cycle', () => completedFull(id));
    const setUpdate = async (update: boolean) => call('PATCH', `/api/apps/${id}/provisioning`, { settings: { syncActions: { update } }, version: (await call('GET', `/api/apps/${id}/provisioning`)).version });
    await setUpdate(false);
    // Renamed, then deactivated: only the suspension may go out.
    await patchUser(gus, { familyName: 'Renamed', displayName: 'Gus Renamed' });
    await call('POST', `/api/users/${gus}/deactivate`);
    await until('the suspension', async () => (await byExternal('eng-held', gus))?.suspended === true);
    expect((await byExternal('eng-held', gus))?.name).toBe('Gus Held');
    // The link is written once Zendesk's answer is recorded, a moment after the sandbox shows the suspension.
    const held = await until('the suspended link', async () => {
      const [row] = await t.database.db.select().from(links).where(and(eq(links.applicationId, id), eq(links.directoryId, gus)));
      return row?.state === 'suspended' ? row : undefined;
    });
    expect(held).toMatchObject({ state: 'suspended', lastHash: null, lastWritten: expect.objectContaining({ suspended: true, attributes: expect.objectContaining({ name: 'Gus Held' }) }) });
    await setUpdate(true);
    await call('POST', `/api/apps/${id}/provisioning/cycles`);
    await until('the held-back rename', async () => (await byExternal('eng-held', gus))?.name === 'Gus Renamed');
    expect((await byExternal('eng-held', gus))?.suspended).toBe(true);
  }, 60_000);

  it('a 422 for one user fails only that user, logged with advice and escrowed for a retry', async () => {
    const { id } = await connectedApp('eng-422');
    // Someone already holds this email in Zendesk with another external id; matching by external id only misses it, so the create is refused.
    await control('POST', '/__sandbox/accounts/eng-422/seed', { count: 1, prefix: 'squat' });
    const taken = (await zendeskUsers('eng-422')).find((u) => String(u.external_id).startsWith('squat-'))!.email as string;
    const version = (await call('GET', `/api/apps/${id}/provisioning`)).version as number;
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { matching: ['external_id'] }, version });
    const fine = await newUser('fine@example.com', 'Fine', 'User');
    const bad = await newUser(taken, 'Taken', 'Email');
    for (const u of [fine, bad]) await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: u, role: 'end-user' });
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const cycle = await until('the initial cycle', () => completedFull(id));
    expect(cycle.counts).toMatchObject({ created: 1, failed: 1 });
    expect(await byExternal('eng-422', fine)).toMatchObject({ email: 'fine@example.com' });
    expect(await byExternal('eng-422', bad)).toBeUndefined();
    const [failed] = await t.database.db.select().from(provisioningEvents).where(eq(provisioningEvents.directoryId, bad));
    expect(failed).toMatchObject({ action: 'create', status: 'failed' });
    expect(failed?.errorMessage).toMatch(/already|taken|email/i);
    expect(failed?.advice).toBeTruthy();
    const [retry] = await t.database.db.select().from(provisioningRetries).where(eq(provisioningRetries.directoryId, bad));
    expect(retry?.attempts).toBe(1);
    expect(retry!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  }, 60_000);

  it('an expired token quarantines the application and keeps the pending change', async () => {
    const { id } = await connectedApp('eng-stop');
    const u = await newUser('stop@example.com', 'Stop', 'Me');
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: u, role: 'end-user' });
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    await until('the initial cycle', () => completedFull(id));
    // The token is revoked in Zendesk: Roster now holds one Zendesk refuses.
    const { account } = await control('GET', '/__sandbox/accounts/eng-stop');
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: 'revoked-token' });
    await patchUser(u, { familyName: 'Pending', displayName: 'Stop Pending' });
    const [config] = await until('the quarantine', async () => {
      const rows = await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
      return rows[0]?.state === 'quarantined' ? rows : undefined;
    });
    expect(config?.stateReason).toMatchObject({ code: expect.any(String), advice: expect.any(String) });
    const retries = await until('the escrowed change', async () => {
      const rows = await t.database.db.select().from(provisioningRetries).where(eq(provisioningRetries.applicationId, id));
      return rows.length ? rows : undefined;
    });
    expect(retries.map((r) => r.directoryId)).toEqual([u]);
    expect((await byExternal('eng-stop', u))?.name).toBe('Stop Me');
  }, 60_000);

  /** Assigned users whose outbox rows the relay has consumed, then switched on without a job: the test drives the engine. */
  async function quietApp(sub: string, count: number): Promise<{ id: string; users: string[] }> {
    const { id } = await connectedApp(sub, { pace: { queueDelayMs: 10, perItemMs: 1 } });
    const group = (await call('POST', '/api/groups', { name: `Group ${sub}` })).id as string;
    const users: string[] = [];
    for (let i = 0; i < count; i++) users.push(await newUser(`${sub}-${i}@example.com`, 'User', `${sub} ${i}`));
    await call('POST', `/api/groups/${group}/members/bulk`, { members: users.map((memberId) => ({ memberType: 'user', memberId })) });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'end-user' });
    await relayed();
    await t.database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, id));
    return { id, users };
  }

  it('a worker dead after Zendesk confirmed a batch but before its links were written: the next worker links, never duplicates', async () => {
    const { id, users } = await quietApp('eng-crash', 30);
    let createCalls = 0;
    const dead = new Promise<never>(() => undefined);
    const base = h.engineEnv();
    const dying = {
      ...base,
      heartbeatMs: 3_600_000, // a dead process renews nothing
      applyChannels: 'bulk' as const, // every create in a job, so the kill falls between a confirmed job and its links
      async connect(applicationId: string) {
        const r = await base.connect(applicationId);
        if (!r.ok) return r;
        const real = r.value.connection;
        const connection: Connection = {
          ...real,
          capabilities: async () => {
            const c = await real.capabilities();
            return c.ok ? { ok: true as const, value: { ...c.value, bulkMaxItems: 10, bulkMaxInFlight: 1 } } : c;
          },
          users: {
            ...real.users,
            createMany: async (inputs) => {
              const result = await real.users.createMany!(inputs);
              createCalls += 1;
              return createCalls >= 2 ? dead : result; // killed after the second batch reached Zendesk
            },
          },
        };
        return { ok: true as const, value: { connection } };
      },
    };
    void runProvisioning(dying, id, 'initial');
    await until('the second batch in Zendesk', async () => createCalls >= 2 && (await zendeskUsers('eng-crash')).length === 20);
    expect(await t.database.db.select().from(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')))).toHaveLength(10);

    // While its lease looks alive, nobody else runs the application.
    expect(await runProvisioning(base, id, 'on_demand')).toMatchObject({ status: 'busy' });
    await t.database.db.update(provisioningCycles).set({ heartbeatAt: sql`now() - interval '1 hour'` }).where(eq(provisioningCycles.applicationId, id));
    const second = await runProvisioning(base, id, 'on_demand');
    expect(second).toMatchObject({ status: 'done', stopped: false });

    const inZendesk = await zendeskUsers('eng-crash');
    expect(inZendesk).toHaveLength(30);
    expect(new Set(inZendesk.map((u) => u.external_id))).toEqual(new Set(users));
    const rows = await cycles(id);
    expect(rows.find((c) => c.kind === 'initial')).toMatchObject({ status: 'failed', error: { code: 'worker_lost' } });
    expect(rows.find((c) => c.kind === 'on_demand')).toMatchObject({ status: 'completed', counts: { unchanged: 10, linked: 10, created: 10, failed: 0 } });
    expect(await t.database.db.select().from(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')))).toHaveLength(30);
  }, 90_000);

  it('three more workers share queued syncs and cycles: never two runs of one application at once, no duplicates', async () => {
    const apps = [await quietApp('eng-w1', 15), await quietApp('eng-w2', 15), await quietApp('eng-w3', 15)];
    const extra: { worker: Worker; queue: Queue }[] = [];
    for (let i = 0; i < 3; i++) {
      const q = await startQueue(t.database, { supervise: false });
      const w = await startWorker({ ...ctx, queue: q, handlers: createProvisioningJobs({ connectorOptions: { jobPollIntervalMs: 20 }, relayLoopMs: 1, signal: h.signal }) });
      extra.push({ worker: w, queue: q });
    }
    try {
      await t.database.db.transaction(async (tx) => {
        for (const a of apps) {
          await enqueue(queue, tx, provisioningQueues.cycle, { applicationId: a.id, kind: 'initial' });
          for (let k = 0; k < 8; k++) await enqueue(queue, tx, provisioningQueues.sync, { applicationId: a.id, userIds: a.users.slice(k, k + 8) });
        }
      });
      await until(
        'every job done',
        async () => {
          const r = await t.database.raw.query(`select count(*)::int as n from pgboss.job where name in ($1, $2) and state in ('created', 'retry', 'active')`, [provisioningQueues.cycle, provisioningQueues.sync]);
          return Number(r.rows[0]?.['n']) === 0;
        },
        60_000,
      );
      for (const [i, a] of apps.entries()) {
        const runs = (await cycles(a.id)).sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime());
        expect(runs.length).toBeGreaterThanOrEqual(1);
        for (let k = 1; k < runs.length; k++) expect(runs[k]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[k - 1]!.finishedAt!.getTime());
        const inZendesk = await zendeskUsers(`eng-w${i + 1}`);
        expect(inZendesk).toHaveLength(15);
        expect(new Set(inZendesk.map((u) => u.external_id))).toEqual(new Set(a.users));
        expect(runs.reduce((n, c) => n + (c.counts['created'] ?? 0), 0)).toBe(15);
      }
    } finally {
      for (const e of extra) {
        await e.worker.stop();
        await e.queue.stop({ graceful: true, wait: true, timeout: 10_000 });
      }
    }
  }, 120_000);
});
