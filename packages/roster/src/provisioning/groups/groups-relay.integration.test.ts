/**
 * Group changes reach Zendesk through the real-time path (outbox → relay → incremental batch with
 * group ids), without waiting for a cycle: a group assigned, a nested member added, a rename, a
 * member removed, the group unassigned. A worker runs the engine as in production.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { outboxCursors, provisioningCycles } from '../../db/provisioning-schema.ts';
import { outbox } from '../../db/schema.ts';

const SUB = 'grp-relay';

describe.each(openTestDatabase.drivers())('group changes through the relay on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const within = <T>(what: string, probe: () => Promise<T | undefined | false>, ms = 15_000) => h.until(what, probe, ms);
  const newUser = async (email: string, name: string) => (await call('POST', '/api/users', { email, givenName: name, familyName: 'Test', displayName: `${name} Test` })).id as string;
  /** Zendesk group name → external ids of its members (Roster-managed users only). */
  const zendeskGroups = async (): Promise<Map<string, string[]>> => {
    const s = await control('GET', `/__sandbox/accounts/${SUB}/snapshot`);
    const byId = new Map((s.users as Json[]).map((u) => [u.id, u]));
    const out = new Map<string, string[]>();
    for (const g of (s.groups as Json[]).filter((x) => !x.deleted)) {
      const members = (s.group_memberships as Json[]).filter((m) => m.group_id === g.id).flatMap((m) => {
        const u = byId.get(m.user_id);
        return u?.external_id && u.active !== false ? [u.external_id as string] : [];
      });
      out.set(g.name as string, members.sort());
    }
    return out;
  };
  const same = (a: string[] | undefined, b: string[]) => a !== undefined && a.length === b.length && [...b].sort().every((x, i) => a[i] === x);

  it('assigning, nesting, renaming, removing a member and unassigning a group each reach Zendesk within seconds', async () => {
    const { id: appId } = await h.connectApp(SUB, { displayName: 'Zendesk relay', enable: true });
    await within('the initial cycle', async () => (await t.database.db.select().from(provisioningCycles).where(sql`application_id = ${appId} and kind = 'initial' and status = 'completed'`)).length > 0, 45_000);

    // Cyd stays provisioned throughout, so unassigning the group never deprovisions everyone (which the deletion threshold would stage).
    const cyd = await newUser(`cyd@${SUB}.test`, 'Cyd');
    await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: cyd, role: 'agent' });
    const ada = await newUser(`ada@${SUB}.test`, 'Ada');
    const bob = await newUser(`bob@${SUB}.test`, 'Bob');
    const desk = (await call('POST', '/api/groups', { name: 'Relay desk' })).id as string;
    await call('POST', `/api/groups/${desk}/members`, { memberType: 'user', memberId: ada });
    const assignment = (await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: desk, role: 'agent' })).id as string;
    await within('the group with Ada', async () => same((await zendeskGroups()).get('Relay desk'), [ada]));

    const nights = (await call('POST', '/api/groups', { name: 'Relay nights' })).id as string;
    await call('POST', `/api/groups/${nights}/members`, { memberType: 'user', memberId: bob });
    await call('POST', `/api/groups/${desk}/members`, { memberType: 'group', memberId: nights });
    await within('Bob through the nested group', async () => same((await zendeskGroups()).get('Relay desk'), [ada, bob]));

    await call('PATCH', `/api/groups/${desk}`, { name: 'Relay desk 2', version: (await call('GET', `/api/groups/${desk}`)).version });
    await within('the rename', async () => {
      const groups = await zendeskGroups();
      return !groups.has('Relay desk') && same(groups.get('Relay desk 2'), [ada, bob]);
    });

    await call('DELETE', `/api/groups/${nights}/members/user/${bob}`);
    await within('Bob out of the group', async () => same((await zendeskGroups()).get('Relay desk 2'), [ada]));

    await call('DELETE', `/api/apps/${appId}/assignments/${assignment}`);
    await within('the group deleted', async () => !(await zendeskGroups()).has('Relay desk 2'));

    // The relay took every change (nothing waited for a cycle).
    const [last] = await t.database.db.select({ id: outbox.id }).from(outbox).orderBy(sql`id desc`).limit(1);
    const [cursor] = await t.database.db.select().from(outboxCursors);
    expect(cursor!.lastId).toBeGreaterThanOrEqual(last!.id);
    const fullCycles = await t.database.db.select().from(provisioningCycles).where(sql`application_id = ${appId} and kind <> 'incremental'`);
    expect(fullCycles.map((c) => c.kind)).toEqual(['initial']);
  }, 120_000);
});
