/**
 * Issue 5 item 8, drift repair of user fields: an admin changes name, email, role and suspension by
 * hand in Zendesk (the sandbox, through its API as the account's admin); the next full cycle restores
 * them and logs old → new, or with `drift: 'report'` leaves them and logs the drift only.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { provisioningCycles, provisioningEvents } from '../db/provisioning-schema.ts';

describe.each(openTestDatabase.drivers())('drift of user fields on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  const newUser = async (email: string, givenName: string, familyName: string) => (await call('POST', '/api/users', { email, givenName, familyName, displayName: `${givenName} ${familyName}` })).id as string;
  const fullCycles = async (appId: string) => (await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');
  /** Requests a full cycle and waits until it completed. */
  async function runCycle(appId: string): Promise<string> {
    const before = new Set((await fullCycles(appId)).map((c) => c.id));
    await call('POST', `/api/apps/${appId}/provisioning/cycles`);
    const cycle = await until('the cycle', async () => (await fullCycles(appId)).find((c) => !before.has(c.id) && c.status !== 'running'));
    expect(cycle.status).toBe('completed');
    return cycle.id;
  }

  /** An application on a fresh sandbox account with Ada (agent) and Bob (end user) provisioned, and a Zendesk API client acting as the account's admin. */
  async function provisioned(sub: string) {
    const { id, zendesk } = await h.connectApp(sub);
    const ada = await newUser(`ada@${sub}.test`, 'Ada', 'Lovelace');
    const bob = await newUser(`bob@${sub}.test`, 'Bob', 'Babbage');
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: ada, role: 'agent' });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: bob, role: 'end-user' });
    await h.relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    await until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status === 'completed'));
    const user = async (externalId: string): Promise<Json> => {
      const found = ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).filter((u) => u.external_id === externalId && u.active !== false);
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    /** What an admin does in Zendesk's UI: rename, change the role, make another address primary; suspend Bob. */
    const tamper = async () => {
      const a = await user(ada);
      await zendesk('PUT', `/api/v2/users/${a.id}`, { user: { name: 'Hand Edited', role: 'end-user' } });
      await zendesk('PUT', `/api/v2/users/${a.id}`, { user: { email: `hand@${sub}.test` } });
      const identity = ((await zendesk('GET', `/api/v2/users/${a.id}/identities`)).identities as Json[]).find((i) => i.value === `hand@${sub}.test`)!;
      await zendesk('PUT', `/api/v2/users/${a.id}/identities/${identity.id}/make_primary`);
      await zendesk('PUT', `/api/v2/users/${(await user(bob)).id}`, { user: { suspended: true } });
      expect(await user(ada)).toMatchObject({ name: 'Hand Edited', email: `hand@${sub}.test`, role: 'end-user' });
      expect((await user(bob)).suspended).toBe(true);
    };
    const events = async (cycleId: string) => t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, id), eq(provisioningEvents.cycleId, cycleId)));
    return { id, ada, bob, sub, user, tamper, events };
  }

  it('a full cycle restores name, email, role and suspension changed by hand, logging old → new', async () => {
    const { id, ada, bob, sub, user, tamper, events } = await provisioned('drift-repair');
    await tamper();
    const cycleId = await runCycle(id);
    expect(await user(ada)).toMatchObject({ name: 'Ada Lovelace', email: `ada@${sub}.test`, role: 'agent', suspended: false });
    expect((await user(bob)).suspended).toBe(false);
    const logged = await events(cycleId);
    const adaEvent = logged.find((e) => e.directoryId === ada)!;
    expect(adaEvent).toMatchObject({ action: 'update', status: 'success' });
    expect(adaEvent.changes).toEqual(
      expect.arrayContaining([
        { property: 'name', old: 'Hand Edited', new: 'Ada Lovelace' },
        { property: 'email', old: `hand@${sub}.test`, new: `ada@${sub}.test` },
        { property: 'role', old: 'end-user', new: 'agent' },
      ]),
    );
    expect(adaEvent.steps.at(-1)).toEqual({
      name: 'action',
      outcome: 'update',
      detail: `drift repaired: email "hand@${sub}.test" → "ada@${sub}.test"; name "Hand Edited" → "Ada Lovelace"; role "end-user" → "agent"`,
    });
    const bobEvent = logged.find((e) => e.directoryId === bob)!;
    expect(bobEvent).toMatchObject({ action: 'unsuspend', status: 'success', changes: [{ property: 'suspended', old: true, new: false }] });
    expect(bobEvent.steps.at(-1)?.detail).toBe('drift repaired: suspended true → false');
    // Repaired means settled: the next cycle finds nothing to do.
    const again = await runCycle(id);
    expect((await events(again)).filter((e) => e.objectType === 'user')).toEqual([]);
  }, 90_000);

  it('with drift "report" a full cycle leaves the hand changes and logs them as reported drift', async () => {
    const { id, ada, bob, sub, user, tamper, events } = await provisioned('drift-report');
    const current = await call('GET', `/api/apps/${id}/provisioning`);
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { drift: 'report' }, version: current.version });
    await tamper();
    const cycleId = await runCycle(id);
    expect(await user(ada)).toMatchObject({ name: 'Hand Edited', email: `hand@${sub}.test`, role: 'end-user' });
    expect((await user(bob)).suspended).toBe(true);
    const logged = await events(cycleId);
    const adaEvent = logged.find((e) => e.directoryId === ada)!;
    expect(adaEvent).toMatchObject({ action: 'report', status: 'skipped' });
    expect(adaEvent.changes).toEqual(
      expect.arrayContaining([
        { property: 'name', old: 'Hand Edited', new: 'Ada Lovelace' },
        { property: 'email', old: `hand@${sub}.test`, new: `ada@${sub}.test` },
        { property: 'role', old: 'end-user', new: 'agent' },
      ]),
    );
    expect(adaEvent.steps.at(-1)).toMatchObject({ name: 'action', outcome: 'reported' });
    expect(logged.find((e) => e.directoryId === bob)).toMatchObject({ action: 'report', status: 'skipped', changes: [{ property: 'suspended', old: true, new: false }] });
    const [cycle] = await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, cycleId));
    expect(cycle?.counts).toMatchObject({ updated: 0, unsuspended: 0, failed: 0 });
  }, 90_000);
});
