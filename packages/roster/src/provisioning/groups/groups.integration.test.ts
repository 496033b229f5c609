/**
 * Issue 5 item 1 (groups) and item 8 (group membership drift), end to end against the in-process
 * sandbox: full cycles run by hand (no worker, so no relay races), assertions on the sandbox's
 * control snapshot and on the provisioning log.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { links, membershipLinks, provisioningEvents } from '../../db/provisioning-schema.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';
import { syncGroupsNow } from './sync-groups.ts';

describe.each(openTestDatabase.drivers())('group provisioning against the sandbox on %s', (driver) => {
  let t: TestDatabase;
  let env: EngineEnv;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver, { worker: false });
    ({ t } = h);
    env = h.engineEnv();
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const newUser = async (email: string, name: string) => (await call('POST', '/api/users', { email, givenName: name, familyName: 'Test', displayName: `${name} Test` })).id as string;
  /** Directory group names are unique: each test's names carry its own suffix, which the target name keeps. */
  const newGroup = async (name: string, members: { memberType: 'user' | 'group'; memberId: string }[] = []) => {
    const id = (await call('POST', '/api/groups', { name })).id as string;
    if (members.length) await call('POST', `/api/groups/${id}/members/bulk`, { members });
    return id;
  };
  const user = (memberId: string) => ({ memberType: 'user' as const, memberId });
  const assign = async (appId: string, principalType: 'user' | 'group', principalId: string, role: string) => (await call('POST', `/api/apps/${appId}/assignments`, { principalType, principalId, role })).id as string;
  const patchSettings = async (appId: string, settings: Json) => call('PATCH', `/api/apps/${appId}/provisioning`, { settings, version: (await call('GET', `/api/apps/${appId}/provisioning`)).version });

  /** A full cycle (users, then groups), run in this process. */
  async function cycle(appId: string): Promise<string> {
    const r = await runProvisioning(env, appId, 'on_demand');
    if (r.status !== 'done') throw new Error(`cycle: ${JSON.stringify(r)}`);
    expect(r.stopped).toBe(false);
    return r.cycleId;
  }

  /** A connected, switched-on application on a fresh sandbox account, with a Zendesk client acting as its admin and snapshot readers. */
  async function setUp(sub: string, settings: Json = {}) {
    const { id, zendesk } = await h.connectApp(sub, { settings, enable: true });
    const snapshot = async () => control('GET', `/__sandbox/accounts/${sub}/snapshot`);
    const groups = async () => ((await snapshot()).groups as Json[]).filter((g) => !g.deleted);
    const groupNamed = async (name: string) => (await groups()).find((g) => g.name === name);
    const zendeskUser = async (externalId: string) => ((await snapshot()).users as Json[]).find((u) => u.external_id === externalId && u.active !== false);
    /** External ids (directory user ids) of the members of the target group named `name`. */
    const membersOf = async (name: string): Promise<string[]> => {
      const s = await snapshot();
      const g = (s.groups as Json[]).find((x) => x.name === name && !x.deleted);
      if (!g) return [];
      const byId = new Map((s.users as Json[]).map((u) => [u.id, u]));
      // Users Roster does not manage (the account's own admin) are left out.
      return (s.group_memberships as Json[])
        .filter((m) => m.group_id === g.id)
        .flatMap((m) => {
          const externalId = byId.get(m.user_id)?.external_id as string | null | undefined;
          return externalId ? [externalId] : [];
        })
        .sort();
    };
    const events = async (cycleId?: string) =>
      t.database.db
        .select()
        .from(provisioningEvents)
        .where(and(eq(provisioningEvents.applicationId, id), cycleId ? eq(provisioningEvents.cycleId, cycleId) : undefined));
    return { id, zendesk, groups, groupNamed, zendeskUser, membersOf, events };
  }

  it('creates groups with their nested agents, skips end users with the reason, renames, removes members and deletes', async () => {
    const z = await setUp('grp-main');
    const ada = await newUser('ada@grp-main.test', 'Ada');
    const bob = await newUser('bob@grp-main.test', 'Bob');
    const eve = await newUser('eve@grp-main.test', 'Eve');
    const nights = await newGroup('Tier 2 nights', [user(bob)]);
    const tier2 = await newGroup('Tier 2', [user(ada), { memberType: 'group', memberId: nights }]);
    const customers = await newGroup('Customers', [user(eve)]);
    await assign(z.id, 'group', tier2, 'agent');
    const customersAssignment = await assign(z.id, 'group', customers, 'end-user');

    const first = await cycle(z.id);
    expect(await z.groupNamed('Tier 2')).toMatchObject({ default: false });
    expect(await z.groupNamed('Customers')).toBeDefined();
    expect(await z.groupNamed('Tier 2 nights')).toBeUndefined(); // not assigned: its members count in Tier 2 only
    expect(await z.membersOf('Tier 2')).toEqual([ada, bob].sort());
    expect(await z.membersOf('Customers')).toEqual([]);
    const log = await z.events(first);
    const skipped = log.find((e) => e.objectType === 'membership' && e.directoryId === eve)!;
    expect(skipped).toMatchObject({ action: 'skip', status: 'skipped', errorCode: 'member_role_not_allowed', identity: 'eve@grp-main.test in Customers' });
    expect(skipped.errorMessage).toContain('agents and admins only');
    expect(log.filter((e) => e.objectType === 'group' && e.action === 'create' && e.status === 'success').map((e) => e.identity).sort()).toEqual(['Customers', 'Tier 2']);
    expect(log.find((e) => e.objectType === 'membership' && e.directoryId === bob && e.action === 'add_member')).toMatchObject({ status: 'success', changes: [{ property: 'group', old: null, new: 'Tier 2' }] });

    // A second cycle changes nothing.
    const again = await z.events(await cycle(z.id));
    expect(again.filter((e) => e.objectType !== 'user' && e.status === 'success')).toEqual([]);

    // Rename; a nested member removed; an unassigned group deleted.
    await call('PATCH', `/api/groups/${tier2}`, { name: 'Tier Two', version: (await call('GET', `/api/groups/${tier2}`)).version });
    await call('DELETE', `/api/groups/${nights}/members/user/${bob}`);
    await call('DELETE', `/api/apps/${z.id}/assignments/${customersAssignment}`);
    const changed = await z.events(await cycle(z.id));
    expect(await z.groupNamed('Tier 2')).toBeUndefined();
    expect(await z.membersOf('Tier Two')).toEqual([ada]);
    expect(await z.groupNamed('Customers')).toBeUndefined();
    expect(changed.find((e) => e.objectType === 'group' && e.action === 'update')).toMatchObject({ status: 'success', changes: [{ property: 'name', old: 'Tier 2', new: 'Tier Two' }] });
    expect(changed.find((e) => e.objectType === 'group' && e.action === 'delete')).toMatchObject({ status: 'success', identity: 'Customers' });
    expect(changed.find((e) => e.objectType === 'membership' && e.action === 'remove_member')).toMatchObject({ status: 'success', directoryId: bob });
    // Bob is no longer assigned either: the user part of the cycle deleted his account, the group part his membership link.
    const rows = await t.database.db.select().from(links).where(and(eq(links.applicationId, z.id), eq(links.objectType, 'group')));
    expect(rows.map((r) => r.directoryId)).toEqual([tier2]);
  }, 60_000);

  it('places groups while the users are written, and adds members only once the users are', async () => {
    const z = await setUp('grp-overlap');
    const ada = await newUser('ada@grp-overlap.test', 'Ada');
    const team = await newGroup('Overlap team', [user(ada)]);
    await assign(z.id, 'group', team, 'agent');
    const order: string[] = [];
    let groupPlaced = () => {};
    const placed = new Promise<void>((resolve) => (groupPlaced = resolve));
    // The user's create waits (up to 5 s) for the group's: a run that placed groups only after its users would show the wait.
    const overlapping: EngineEnv = {
      ...env,
      async connect(applicationId, config, opts) {
        const r = await env.connect(applicationId, config, opts);
        if (!r.ok) return r;
        const c = r.value.connection;
        const groups = c.groups!;
        const users = {
          ...c.users,
          create: async (input: Parameters<typeof c.users.create>[0]) => {
            order.push('user create sent');
            await Promise.race([placed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
            const created = await c.users.create(input);
            order.push('user created');
            return created;
          },
        };
        const note =
          <A extends unknown[], T>(what: string, call: (...args: A) => Promise<T>) =>
          async (...args: A) => {
            order.push(what);
            const out = await call(...args);
            if (what === 'group create sent') groupPlaced();
            return out;
          };
        const wrapped: typeof groups = { ...groups, create: note('group create sent', groups.create), addMember: note('member added', groups.addMember) };
        if (groups.addMembers) wrapped.addMembers = note('member added', groups.addMembers);
        if (groups.createMany) wrapped.createMany = note('group create sent', groups.createMany);
        return { ok: true, value: { connection: { ...c, users, groups: wrapped } } };
      },
    };
    const started = Date.now();
    const r = await runProvisioning(overlapping, z.id, 'on_demand');
    expect(r.status === 'done' && r.stopped).toBe(false);
    // The group's create goes before the user's create is answered (in either order with its sending); the member after both.
    expect([...order.slice(0, 2)].sort()).toEqual(['group create sent', 'user create sent']);
    expect(order.slice(2)).toEqual(['user created', 'member added']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await z.membersOf('Overlap team')).toEqual([ada]);
  }, 60_000);

  it('links an existing group of the same name instead of duplicating it; the default group is linked but never deleted', async () => {
    const z = await setUp('grp-match');
    await z.zendesk('POST', '/api/v2/groups', { group: { name: 'Escalations' } });
    const ada = await newUser('ada@grp-match.test', 'Ada');
    const escalations = await newGroup('Escalations', [user(ada)]);
    const support = await newGroup('Support', [user(ada)]);
    await assign(z.id, 'group', escalations, 'agent');
    const supportAssignment = await assign(z.id, 'group', support, 'agent');
    const first = await z.events(await cycle(z.id));
    expect((await z.groups()).filter((g) => g.name === 'Escalations')).toHaveLength(1);
    expect((await z.groups()).filter((g) => g.name === 'Support')).toHaveLength(1);
    expect(first.filter((e) => e.objectType === 'group').map((e) => [e.identity, e.action]).sort()).toEqual([
      ['Escalations', 'link'],
      ['Support', 'link'],
    ]);
    expect(await z.membersOf('Escalations')).toEqual([ada]);
    // Zendesk put the new agent in its default group itself: adopted, not added twice.
    expect(await z.membersOf('Support')).toEqual([ada]);

    await call('DELETE', `/api/apps/${z.id}/assignments/${supportAssignment}`);
    const after = await z.events(await cycle(z.id));
    expect(await z.groupNamed('Support')).toMatchObject({ default: true });
    const unlink = after.find((e) => e.objectType === 'group' && e.identity === 'Support')!;
    expect(unlink).toMatchObject({ action: 'unlink', status: 'success' });
    expect(JSON.stringify(unlink.steps)).toContain('default group');
    const rows = await t.database.db.select().from(links).where(and(eq(links.applicationId, z.id), eq(links.objectType, 'group')));
    expect(rows.map((r) => r.directoryId)).toEqual([escalations]);
  }, 60_000);

  it("keeps an agent in the default group when their last managed membership goes, as Zendesk requires", async () => {
    const z = await setUp('grp-last');
    const ada = await newUser('ada@grp-last.test', 'Ada');
    const tier1 = await newGroup('Last line', [user(ada)]);
    await assign(z.id, 'user', ada, 'agent');
    await assign(z.id, 'group', tier1, 'agent');
    await cycle(z.id);
    // By hand in Zendesk: Ada leaves the default group, so 'Last line' is her only group.
    const zAda = (await z.zendeskUser(ada))!;
    const memberships = (await z.zendesk('GET', `/api/v2/users/${zAda.id}/group_memberships`)).group_memberships as Json[];
    const defaultGroup = (await z.groups()).find((g) => g.default)!;
    await z.zendesk('DELETE', `/api/v2/group_memberships/${memberships.find((m) => m.group_id === defaultGroup.id)!.id}`);
    expect(await z.membersOf('Last line')).toEqual([ada]);
    expect(await z.membersOf(defaultGroup.name)).toEqual([]);

    await call('DELETE', `/api/groups/${tier1}/members/user/${ada}`);
    const log = await z.events(await cycle(z.id));
    expect(await z.membersOf('Last line')).toEqual([]);
    expect(await z.membersOf(defaultGroup.name)).toEqual([ada]);
    const removal = log.find((e) => e.objectType === 'membership' && e.action === 'remove_member')!;
    expect(removal).toMatchObject({ status: 'success', directoryId: ada });
    expect(removal.steps.map((s) => s.detail ?? '').join(' ')).toContain('kept in the default group');
    expect(await t.database.db.select().from(membershipLinks).where(eq(membershipLinks.applicationId, z.id))).toEqual([]);
  }, 60_000);

  it('an agent demoted to end user: Zendesk drops the membership, the link goes, the user is skipped with the reason', async () => {
    const z = await setUp('grp-demote');
    const ada = await newUser('ada@grp-demote.test', 'Ada');
    const tier1 = await newGroup('Demoted desk', [user(ada)]);
    const assignment = await assign(z.id, 'group', tier1, 'agent');
    await cycle(z.id);
    expect(await z.membersOf('Demoted desk')).toEqual([ada]);
    await call('PATCH', `/api/apps/${z.id}/assignments/${assignment}`, { role: 'end-user', version: 1 });
    const log = await z.events(await cycle(z.id));
    expect((await z.zendeskUser(ada))?.role).toBe('end-user');
    expect(await z.membersOf('Demoted desk')).toEqual([]);
    expect(log.find((e) => e.objectType === 'membership' && e.action === 'remove_member')).toMatchObject({ status: 'success', directoryId: ada });
    expect(await t.database.db.select().from(membershipLinks).where(eq(membershipLinks.applicationId, z.id))).toEqual([]);
    const next = await z.events(await cycle(z.id));
    expect(next.find((e) => e.objectType === 'membership')).toMatchObject({ action: 'skip', errorCode: 'member_role_not_allowed' });
  }, 60_000);

  it('restores memberships changed by hand, or only reports them with drift: report; a member Roster does not manage stays', async () => {
    const z = await setUp('grp-drift');
    const ada = await newUser('ada@grp-drift.test', 'Ada');
    const bob = await newUser('bob@grp-drift.test', 'Bob');
    const tier1 = await newGroup('Drift desk', [user(ada)]);
    await assign(z.id, 'group', tier1, 'agent');
    await assign(z.id, 'user', bob, 'agent');
    await cycle(z.id);
    const target = (await z.groupNamed('Drift desk'))!;
    const tamper = async () => {
      const zAda = (await z.zendeskUser(ada))!;
      const zBob = (await z.zendeskUser(bob))!;
      const mine = ((await z.zendesk('GET', `/api/v2/users/${zAda.id}/group_memberships`)).group_memberships as Json[]).find((m) => m.group_id === target.id);
      await z.zendesk('DELETE', `/api/v2/group_memberships/${mine!.id}`);
      await z.zendesk('POST', '/api/v2/group_memberships', { group_membership: { user_id: zBob.id, group_id: target.id } });
      // An agent Roster does not manage, added to the managed group by hand: never Roster's to remove.
      const hand = (await z.zendesk('POST', '/api/v2/users', { user: { name: 'Hand Made', email: 'hand@grp-drift.test', role: 'agent', external_id: 'hand-made' } })).user as Json;
      await z.zendesk('POST', '/api/v2/group_memberships', { group_membership: { user_id: hand.id, group_id: target.id } });
      expect(await z.membersOf('Drift desk')).toEqual([bob, 'hand-made'].sort());
    };

    await patchSettings(z.id, { drift: 'report' });
    await tamper();
    const reported = await z.events(await cycle(z.id));
    expect(await z.membersOf('Drift desk')).toEqual([bob, 'hand-made'].sort());
    const reports = reported.filter((e) => e.objectType === 'membership' && e.action === 'report');
    expect(reports.map((e) => [e.directoryId, e.status, e.changes]).sort()).toEqual(
      [
        [ada, 'skipped', [{ property: 'group', old: null, new: 'Drift desk' }]],
        [bob, 'skipped', [{ property: 'group', old: 'Drift desk', new: null }]],
      ].sort(),
    );

    await patchSettings(z.id, { drift: 'repair' });
    const repaired = await z.events(await cycle(z.id));
    expect(await z.membersOf('Drift desk')).toEqual([ada, 'hand-made'].sort());
    expect(repaired.find((e) => e.objectType === 'membership' && e.action === 'add_member')).toMatchObject({ status: 'success', directoryId: ada });
    const removed = repaired.find((e) => e.objectType === 'membership' && e.action === 'remove_member')!;
    expect(removed).toMatchObject({ status: 'success', directoryId: bob, changes: [{ property: 'group', old: 'Drift desk', new: null }] });
    expect(JSON.stringify(removed.steps)).toContain('drift repaired');
  }, 60_000);

  it('group sync actions off: nothing created, renamed or deleted; provisionGroups off: no groups at all', async () => {
    const z = await setUp('grp-off', { groupSyncActions: { create: false } });
    const ada = await newUser('ada@grp-off.test', 'Ada');
    const tier1 = await newGroup('Off desk', [user(ada)]);
    const tier1Assignment = await assign(z.id, 'group', tier1, 'agent');
    const log = await z.events(await cycle(z.id));
    expect(await z.groupNamed('Off desk')).toBeUndefined();
    expect(log.find((e) => e.objectType === 'group')).toMatchObject({ action: 'skip', errorCode: 'create_disabled' });

    await patchSettings(z.id, { groupSyncActions: { create: true, update: false, delete: false } });
    await cycle(z.id);
    expect(await z.membersOf('Off desk')).toEqual([ada]);
    await call('PATCH', `/api/groups/${tier1}`, { name: 'Off desk renamed', version: (await call('GET', `/api/groups/${tier1}`)).version });
    await cycle(z.id);
    expect(await z.groupNamed('Off desk')).toBeDefined();
    await call('DELETE', `/api/apps/${z.id}/assignments/${tier1Assignment}`);
    await cycle(z.id);
    expect(await z.groupNamed('Off desk')).toBeDefined();

    const y = await setUp('grp-none', { provisionGroups: false });
    const bob = await newUser('bob@grp-none.test', 'Bob');
    const tier2 = await newGroup('None desk', [user(bob)]);
    await assign(y.id, 'group', tier2, 'agent');
    const none = await y.events(await cycle(y.id));
    expect(await y.zendeskUser(bob)).toMatchObject({ role: 'agent' });
    expect((await y.groups()).map((g) => g.name)).toEqual(['Support']);
    expect(none.filter((e) => e.objectType !== 'user')).toEqual([]);
  }, 60_000);

  it('syncGroupsNow pushes the chosen groups only and returns their actions with steps', async () => {
    const z = await setUp('grp-now');
    const ada = await newUser('ada@grp-now.test', 'Ada');
    const tier1 = await newGroup('Now 1', [user(ada)]);
    const tier2 = await newGroup('Now 2', [user(ada)]);
    await assign(z.id, 'user', ada, 'agent');
    await runProvisioning(env, z.id, 'incremental', [ada]);
    expect(await z.zendeskUser(ada)).toMatchObject({ role: 'agent' });
    await assign(z.id, 'group', tier1, 'agent');
    await assign(z.id, 'group', tier2, 'agent');
    const r = await syncGroupsNow(env, z.id, [tier1]);
    if (r.status !== 'done') throw new Error(JSON.stringify(r));
    expect(r.plan.actions.map((a) => [a.objectType, a.kind, a.identity])).toEqual([
      ['group', 'create', 'Now 1'],
      ['membership', 'add_member', 'ada@grp-now.test in Now 1'],
    ]);
    expect(r.applied.events.map((e) => [e.action, e.status])).toEqual([
      ['create', 'success'],
      ['add_member', 'success'],
    ]);
    expect(r.applied.events.every((e) => e.steps.at(-1)?.name === 'action')).toBe(true);
    expect(await z.membersOf('Now 1')).toEqual([ada]);
    expect(await z.groupNamed('Now 2')).toBeUndefined();
  }, 60_000);
});
