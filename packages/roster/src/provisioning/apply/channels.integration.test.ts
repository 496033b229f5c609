/**
 * Issue 17 item 1, against the sandbox on both drivers: one initial cycle writes through bulk jobs
 * and single calls at the same time (the split measured during the run), within the account's
 * request budget, and every user is created exactly once and linked.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../../test/engine-harness.ts';
import { TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { links, provisioningConfigs, provisioningCycles } from '../../db/provisioning-schema.ts';
import { assignments, groupMembers, groups, users } from '../../db/schema.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { openConnection } from '../connection/open-connection.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- sandbox bodies read loosely in assertions

const N = 400;

describe.each(openTestDatabase.drivers())('bulk jobs and single calls in one cycle on %s', (driver) => {
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await openEngineHarness(driver);
  }, 60_000);
  afterAll(async () => harness?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Json> => {
    const r = await harness.app.inject({ method, url, headers: harness.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.body ? (r.json() as Json) : {};
  };

  it(`an initial cycle of ${N} users uses both channels at once, within the budget, and creates each user exactly once`, async () => {
    const sub = `channels-${driver}`;
    // Enterprise limits (700 requests/min, 30 jobs in flight) and a job pace the run has to measure.
    const account = (await harness.control('POST', '/__sandbox/accounts', { subdomain: sub, plan: 'enterprise', pace: { queueDelayMs: 300, perItemMs: 10, concurrency: 1 } })).account as Json;
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk channels', settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    // Written straight to the tables (no outbox rows): only the cycle below provisions them.
    const db = harness.t.database.db;
    const rows = Array.from({ length: N }, (_, i) => ({ email: `person${i}@${sub}.test`, givenName: 'Person', familyName: String(i), displayName: `Person ${i}` }));
    const ids = (await db.insert(users).values(rows).returning({ id: users.id })).map((r) => r.id);
    const [group] = await db.insert(groups).values({ name: `Channels ${driver}` }).returning({ id: groups.id });
    await db.insert(groupMembers).values(ids.map((memberId) => ({ groupId: group!.id, memberType: 'user', memberId })));
    await db.insert(assignments).values({ applicationId: id, principalType: 'group', principalId: group!.id, role: 'end-user', roleLabel: 'End user' });
    await db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, id));

    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const env: EngineEnv = {
      db,
      sleep,
      now: Date.now,
      async connect(applicationId) {
        const r = await openConnection({ db, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${harness.sandboxUrl}/{subdomain}` }, applicationId, connectorOptions: { jobPollIntervalMs: 20 } });
        return r.ok ? { ok: true, value: { connection: r.value.connection } } : { ok: false, error: { code: r.error.code, message: r.error.message } };
      },
    };
    const run = await runProvisioning(env, id, 'initial');
    expect(run).toMatchObject({ status: 'done', stopped: false });
    const [cycle] = await db.select().from(provisioningCycles).where(eq(provisioningCycles.id, run.status === 'done' ? run.cycleId : ''));
    expect(cycle?.counts).toMatchObject({ created: N, failed: 0 });

    const snap = await harness.control('GET', `/__sandbox/accounts/${sub}/snapshot`);
    const created = (snap.users as Json[]).filter((u) => ids.includes(u.external_id));
    expect(created).toHaveLength(N);
    expect(new Set(created.map((u) => u.external_id)).size).toBe(N);
    // Both channels: some users came through create_many jobs (the only jobs this account ran), the others through single creates.
    const byJobs = (snap.jobs as Json[]).reduce((n, j) => n + Number(j.total), 0);
    expect(byJobs).toBeGreaterThan(0);
    expect(byJobs).toBeLessThan(N);
    expect(snap.counters.rateLimited).toBe(0);
    expect(await db.select().from(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')))).toHaveLength(N);
  }, 120_000);
});
