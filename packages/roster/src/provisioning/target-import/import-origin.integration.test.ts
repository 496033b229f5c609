/**
 * An import's directory changes carry the application they were read from as their origin: the
 * outbox relay sends them to every other application, never back to that one (issue 15, item 4).
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { outboxCursors, provisioningCycles } from '../../db/provisioning-schema.ts';
import { outbox, users } from '../../db/schema.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { createImportJobs } from './import-jobs.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const fastPace = { queueDelayMs: 0, perItemMs: 0, concurrency: 10 };

describe.each(openTestDatabase.drivers())('import origin on %s', (driver) => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver, { extraHandlers: (connectorOptions: { jobPollIntervalMs: number }) => createImportJobs({ connectorOptions }) });
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (...a: Parameters<EngineHarness['call']>) => h.call(...a);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  async function connectedApp(sub: string) {
    const { account } = await h.control('POST', '/__sandbox/accounts', { subdomain: sub, pace: fastPace });
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    const auth = `Basic ${Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64')}`;
    const zendeskUser = async (user: Record<string, unknown>) => {
      const r = await fetch(`${h.sandboxUrl}/${sub}/api/v2/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ user }) });
      expect(r.status).toBe(201);
      return String(((await r.json()) as Json).user.id);
    };
    const snapshot = async () => (await h.control('GET', `/__sandbox/accounts/${sub}/snapshot`)) as Json;
    return { id, zendeskUser, snapshot, base: `/api/apps/${id}/provisioning/import-sessions` };
  }
  const initialCycle = (appId: string) =>
    until(`the initial cycle of ${appId}`, async () => (await h.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).find((c) => c.kind === 'initial' && c.status !== 'running'));
  const syncJobs = async (appId: string): Promise<number> =>
    Number((await h.t.database.raw.query(`select count(*)::int as n from pgboss.job where name in ($1, $3) and data->>'applicationId' = $2`, [provisioningQueues.sync, appId, provisioningQueues.syncQuick])).rows[0]?.['n']);
  const settled = (base: string, id: string) =>
    until('the session to settle', async () => {
      const s = await call('GET', `${base}/${id}`);
      return s.status === 'classified' ? s : undefined;
    });

  it('sends an imported change to another assigned application and nothing back to the one it came from', async () => {
    const source = await connectedApp(`origin-src-${driver}`);
    const other = await connectedApp(`origin-other-${driver}`);
    const ada = (await call('POST', '/api/users', { email: 'ada@origin.test', givenName: 'Ada', familyName: 'Old', displayName: 'Ada Old' })).id as string;
    await call('POST', `/api/apps/${other.id}/assignments`, { principalType: 'user', principalId: ada, role: 'agent' });
    for (const app of [source, other]) await call('POST', `/api/apps/${app.id}/provisioning/enable`);
    expect(await initialCycle(source.id)).toMatchObject({ status: 'completed' });
    expect(await initialCycle(other.id)).toMatchObject({ status: 'completed' });
    await until('Ada in the other application', async () => ((await other.snapshot()).users as Json[]).find((u) => u.email === 'ada@origin.test' && u.name === 'Ada Old'));

    // In the source account: Ada under a new name (an update for the directory) and a new person.
    const targetIds = [
      await source.zendeskUser({ name: 'Ada Lovelace', email: 'ada@origin.test', role: 'agent' }),
      await source.zendeskUser({ name: 'Grace Hopper', email: 'grace@origin.test', role: 'agent' }),
    ];
    const session = await settled(source.base, (await call('POST', source.base)).id);
    const sourceJobs = await syncJobs(source.id);
    const otherJobs = await syncJobs(other.id);
    // (The account owner is new too; only these two are confirmed.)
    expect(session.counts).toMatchObject({ new: 2, update: 1 });
    await call('POST', `${source.base}/${session.id}/confirm`, { targetIds }, { 'if-match': `"${session.version}"` });
    expect(await until('the apply', async () => {
      const s = await call('GET', `${source.base}/${session.id}`);
      return s.status === 'applied' ? s : undefined;
    })).toMatchObject({ counts: { applied: 2, failed: 0 } });
    const [grace] = await h.t.database.db.select().from(users).where(eq(users.email, 'grace@origin.test'));
    expect(await h.t.database.db.select({ displayName: users.displayName }).from(users).where(eq(users.id, ada))).toEqual([{ displayName: 'Ada Lovelace' }]);

    // The import's outbox rows name the source application.
    const rows = await h.t.database.db.select().from(outbox).where(and(eq(outbox.entityType, 'user'), sql`${outbox.entityId} in (${ada}, ${grace!.id})`));
    expect(rows.map((r) => [r.entityId, r.op, r.data['origin'] ?? null]).sort()).toEqual(
      [[ada, 'created', null], [ada, 'updated', source.id], [grace!.id, 'created', source.id]].sort(),
    );

    // Requests to the source account from here on: none (the apply's own writes are done).
    const sourceRequests = (await source.snapshot()).counters.requests as number;
    // The other application is sent the new name; the relay has then read every row of the import.
    await until('the new name in the other application', async () => ((await other.snapshot()).users as Json[]).find((u) => u.email === 'ada@origin.test' && u.name === 'Ada Lovelace'));
    const [last] = await h.t.database.db.select({ id: outbox.id }).from(outbox).orderBy(sql`id desc`).limit(1);
    await until('the relay to catch up', async () => {
      const [c] = await h.t.database.db.select().from(outboxCursors);
      return c !== undefined && c.lastId >= (last?.id ?? 0);
    });
    expect(await syncJobs(other.id)).toBeGreaterThan(otherJobs);
    expect(await syncJobs(source.id)).toBe(sourceJobs);
    expect((await source.snapshot()).counters.requests).toBe(sourceRequests);
    expect((await h.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, source.id))).filter((c) => c.kind === 'incremental')).toEqual([]);
    // Grace is assigned only to the source application: the other one is sent nothing for her.
    expect(((await other.snapshot()).users as Json[]).some((u) => u.email === 'grace@origin.test')).toBe(false);
  }, 90_000);
});
