/**
 * The one conformance suite every connector passes (STYLE §8): registers vitest tests that drive a
 * `Connection` against a real target (a connector's sandbox or a test server). A connector's
 * integration test supplies the target; the suite asserts behaviour the engine relies on: listing,
 * get/find/create/update/suspend/delete, bulk, groups (and their batch calls when offered), roles, fields, Test connection, error
 * classes, and no duplicate after a create whose answer was lost to a timeout.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, TargetUser, TargetUserInput } from '../contract.ts';

export interface ConformanceTarget {
  /** A connection to an admin account with bulk and groups. `timeoutMs` overrides the request timeout. */
  connect(options?: { timeoutMs?: number }): Connection;
  /** A connection whose credentials the target refuses. */
  connectWithBadCredentials(): Connection;
  /** Makes every answer slower than `slowTimeoutMs`, until `recover()`. */
  slowDown(): Promise<void>;
  recover(): Promise<void>;
  /** A client timeout shorter than the slowed-down answers. */
  slowTimeoutMs: number;
  /** Role keys of the target for a plain member and for a group-capable member. */
  endUserRoleKey: string;
  agentRoleKey: string;
  close(): Promise<void>;
}

const unique = () => randomBytes(5).toString('hex');

function input(tag: string, roleKey: string, extra: Record<string, unknown> = {}): TargetUserInput {
  return { externalId: `conf-${tag}`, roleKey, attributes: { name: `Conformance ${tag}`, email: `conf-${tag}@conformance.example.com`, ...extra } };
}

async function listAll(c: Connection, pageSize?: number): Promise<TargetUser[]> {
  const out: TargetUser[] = [];
  for await (const page of c.users.list(pageSize ? { pageSize } : {})) {
    if (!page.ok) throw new Error(`list failed: ${page.error.code} ${page.error.message}`);
    out.push(...page.value);
  }
  return out;
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
};

export function defineConnectorConformance(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`connector conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let c: Connection;
    beforeAll(async () => {
      target = await setup();
      c = target.connect();
    });
    afterAll(async () => {
      await target.close();
    });

    it('Test connection succeeds with named steps and who Roster acts as', async () => {
      const report = await c.check();
      expect(report.ok, JSON.stringify(report.steps)).toBe(true);
      expect(report.steps.length).toBeGreaterThan(1);
      expect(report.steps.every((s) => s.ok && s.message.length > 0)).toBe(true);
      expect(report.actingAs?.id).toBeTruthy();
    });

    it('declares capabilities', async () => {
      const caps = must(await c.capabilities());
      expect(caps.bulkMaxItems).toBeGreaterThan(0);
      expect(caps.bulkMaxInFlight).toBeGreaterThan(0);
      expect(typeof caps.bulk).toBe('boolean');
    });

    it('offers roles and fields with the keys assignments and mappings use', async () => {
      const roles = must(await c.roles());
      const keys = roles.map((r) => r.key);
      expect(keys).toContain(target.endUserRoleKey);
      expect(keys).toContain(target.agentRoleKey);
      expect(new Set(keys).size).toBe(keys.length);
      const fields = must(await c.fields());
      expect(fields.find((f) => f.key === 'name')).toBeTruthy();
      expect(fields.filter((f) => f.matchable).map((f) => f.key)).toEqual(expect.arrayContaining(['external_id', 'email']));
    });

    it('creates, gets, finds, updates, suspends, unsuspends and deletes a user', async () => {
      const tag = unique();
      const created = must(await c.users.create(input(tag, target.endUserRoleKey)));
      expect(created).toMatchObject({ externalId: `conf-${tag}`, email: `conf-${tag}@conformance.example.com`, name: `Conformance ${tag}`, roleKey: target.endUserRoleKey, suspended: false, active: true });
      expect(must(await c.users.get(created.id))?.id).toBe(created.id);
      expect(must(await c.users.findBy('external_id', `CONF-${tag.toUpperCase()}`)).map((u) => u.id)).toEqual([created.id]);
      expect(must(await c.users.findBy('email', `Conf-${tag}@Conformance.example.com`)).map((u) => u.id)).toEqual([created.id]);
      expect(must(await c.users.findBy('external_id', `conf-${tag}-nobody`))).toEqual([]);
      const renamed = must(await c.users.update(created.id, { attributes: { name: `Renamed ${tag}` } }));
      expect(renamed.name).toBe(`Renamed ${tag}`);
      expect(must(await c.users.update(created.id, { suspended: true })).suspended).toBe(true);
      expect(must(await c.users.update(created.id, { suspended: false })).suspended).toBe(false);
      const promoted = must(await c.users.update(created.id, { roleKey: target.agentRoleKey }));
      expect(promoted.roleKey).toBe(target.agentRoleKey);
      must(await c.users.delete(created.id));
      const gone = must(await c.users.get(created.id));
      expect(gone === null || gone.active === false).toBe(true);
      expect(must(await c.users.findBy('external_id', `conf-${tag}`)).filter((u) => u.active)).toEqual([]);
    });

    it('finds many accounts by external id or email at once (the batched findBy), exactly and case-insensitively', async () => {
      const [a, b, d] = [unique(), unique(), unique()];
      const ua = must(await c.users.create(input(a, target.endUserRoleKey)));
      const ub = must(await c.users.create(input(b, target.endUserRoleKey)));
      const ud = must(await c.users.create(input(d, target.endUserRoleKey)));
      must(await c.users.delete(ud.id));
      const byExternalId = must(await c.users.findByMany('external_id', [`CONF-${a.toUpperCase()}`, `conf-${b}`, `conf-${d}`, `conf-${a}-nobody`, `conf-${a}`]));
      expect(byExternalId.filter((u) => u.active).map((u) => u.id).sort()).toEqual([ua.id, ub.id].sort());
      const byEmail = must(await c.users.findByMany('email', [`Conf-${a}@Conformance.example.com`, `conf-${b}@conformance.example.com`, `nobody-${a}@conformance.example.com`]));
      expect(byEmail.filter((u) => u.active).map((u) => u.id).sort()).toEqual([ua.id, ub.id].sort());
      expect(must(await c.users.findByMany('external_id', []))).toEqual([]);
      // More than one request's worth (e.g. 100 per request) is answered whole.
      const many = Array.from({ length: 150 }, (_, i) => `conf-${a}-absent-${i}`);
      expect(must(await c.users.findByMany('external_id', [...many, `conf-${b}`])).map((u) => u.id)).toEqual([ub.id]);
    });

    it('reads accounts back by id for the identity check, leaving out unknown and deleted ones', async () => {
      const [a, b, d] = [unique(), unique(), unique()];
      const ua = must(await c.users.create(input(a, target.endUserRoleKey)));
      const ub = must(await c.users.create(input(b, target.endUserRoleKey)));
      const ud = must(await c.users.create(input(d, target.endUserRoleKey)));
      must(await c.users.delete(ud.id));
      const read = must(await c.users.getMany([ua.id, ub.id, ud.id, '987654321098', 'not-an-id']));
      expect(read.filter((u) => u.active).map((u) => [u.id, u.externalId]).sort()).toEqual([[ua.id, `conf-${a}`], [ub.id, `conf-${b}`]].sort());
      expect(must(await c.users.getMany([]))).toEqual([]);
    });

    it('tells which account it is, the same on every read; the recorded identity is answered while it holds', async () => {
      const first = must(await c.accountIdentity());
      expect(first.key.length).toBeGreaterThan(0);
      expect(first.label.length).toBeGreaterThan(0);
      expect(must(await c.accountIdentity())).toEqual(first);
      expect(must(await c.accountIdentity(first))).toEqual(first);
      expect(must(await c.accountIdentity({ key: 'another-account', label: 'another account' })).key).toBe(first.key);
    });

    it('answers null for an unknown id and an object error when updating it', async () => {
      expect(must(await c.users.get('987654321098'))).toBeNull();
      const r = await c.users.update('987654321098', { attributes: { name: 'x' } });
      expect(r.ok ? null : r.error.class).toBe('object');
    });

    it('lists every user across pages exactly once', async () => {
      const tags = [unique(), unique(), unique()];
      for (const tag of tags) must(await c.users.create(input(tag, target.endUserRoleKey)));
      const all = await listAll(c, 2);
      const ids = all.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const tag of tags) expect(all.some((u) => u.externalId === `conf-${tag}`)).toBe(true);
    });

    it('refuses a duplicate email as an object error naming the field, with the target message', async () => {
      const tag = unique();
      const first = must(await c.users.create(input(tag, target.endUserRoleKey)));
      const dup = await c.users.create({ ...input(unique(), target.endUserRoleKey), attributes: { name: 'Dup', email: first.email } });
      expect(dup.ok).toBe(false);
      if (dup.ok) return;
      expect(dup.error.class).toBe('object');
      expect(Object.keys(dup.error.fields ?? {})).toContain('email');
      expect(dup.error.message).toContain(first.email ?? '');
      expect(dup.error.advice.length).toBeGreaterThan(10);
    });

    it('creates and updates in bulk, mapping each result back to its input', async () => {
      const caps = must(await c.capabilities());
      if (!caps.bulk || !c.users.createMany || !c.users.updateMany) {
        expect(c.users.createMany === undefined || caps.bulk === false).toBe(true);
        return;
      }
      const taken = must(await c.users.create(input(unique(), target.endUserRoleKey)));
      const tags = [unique(), unique(), unique()];
      const inputs = [input(tags[0] ?? '', target.endUserRoleKey), { ...input(tags[1] ?? '', target.endUserRoleKey), attributes: { name: 'Taken', email: taken.email } }, input(tags[2] ?? '', target.agentRoleKey)];
      const results = must(await c.users.createMany(inputs));
      expect(results.map((r) => r.index)).toEqual([0, 1, 2]);
      expect(results[0]?.ok).toBe(true);
      expect(results[1]?.ok).toBe(false);
      expect(results[1]?.ok === false ? results[1].error.class : null).toBe('object');
      expect(results[2]?.ok).toBe(true);
      const id0 = results[0]?.ok ? results[0].id : '';
      const id2 = results[2]?.ok ? results[2].id : '';
      expect(must(await c.users.get(id0))?.externalId).toBe(`conf-${tags[0]}`);
      expect(must(await c.users.get(id2))?.roleKey).toBe(target.agentRoleKey);
      const updated = must(await c.users.updateMany([{ id: id2, patch: { attributes: { name: 'Bulk renamed' } } }, { id: id0, patch: { suspended: true } }]));
      expect(updated.every((r) => r.ok)).toBe(true);
      expect(must(await c.users.get(id2))?.name).toBe('Bulk renamed');
      expect(must(await c.users.get(id0))?.suspended).toBe(true);
    });

    it('manages groups and memberships, refusing members the target does not allow', async () => {
      const groups = c.groups;
      if (!groups) return;
      const tag = unique();
      const group = must(await groups.create({ name: `Conformance ${tag}`, description: 'made by the suite' }));
      expect(must(await groups.update(group.id, { name: `Conformance ${tag} renamed` })).name).toBe(`Conformance ${tag} renamed`);
      const listed: string[] = [];
      for await (const page of groups.list()) listed.push(...must(page).map((g) => g.id));
      expect(listed).toContain(group.id);
      const agent = must(await c.users.create(input(unique(), target.agentRoleKey)));
      const { membershipId } = must(await groups.addMember(group.id, agent.id));
      const members: string[] = [];
      for await (const page of groups.listMembers(group.id)) members.push(...must(page).map((m) => m.userId));
      expect(members).toContain(agent.id);
      // Adding twice is idempotent.
      expect(must(await groups.addMember(group.id, agent.id)).membershipId).toBe(membershipId);
      must(await groups.removeMember(membershipId));
      const after1: string[] = [];
      for await (const page of groups.listMembers(group.id)) after1.push(...must(page).map((m) => m.userId));
      expect(after1).not.toContain(agent.id);
      const endUser = must(await c.users.create(input(unique(), target.endUserRoleKey)));
      const added = await groups.addMember(group.id, endUser.id);
      // Targets that limit membership by role (e.g. agents only) refuse an end user; others take anyone.
      const kinds = must(await c.capabilities()).groupMemberRoleKinds;
      if (kinds === 'all') expect(added.ok).toBe(true);
      else expect(added.ok ? null : added.error.class).toBe('object');
      must(await groups.delete(group.id));
      const after: string[] = [];
      for await (const page of groups.list()) after.push(...must(page).map((g) => g.id));
      expect(after).not.toContain(group.id);
    });

    it('creates groups and changes many memberships in batch calls when it offers them, each item answered', async () => {
      const groups = c.groups;
      const max = must(await c.capabilities()).groupBatchMaxItems ?? 1;
      if (!groups || max <= 1) {
        // Batch calls without the capability (or the reverse) would never be used, or be called wrongly.
        expect(Boolean(groups?.addMembers || groups?.removeMembers || groups?.createMany)).toBe(false);
        return;
      }
      if (!groups.addMembers || !groups.removeMembers) throw new Error('groupBatchMaxItems > 1 needs addMembers and removeMembers');
      const tag = unique();
      const names = [`Batch A ${tag}`, `Batch B ${tag}`];
      const made = groups.createMany ? must(await groups.createMany(names.map((name) => ({ name })))) : [];
      const [ga, gb] = groups.createMany
        ? made.map((r) => (r.ok ? r.value.id : `failed: ${r.error.code}`))
        : await Promise.all(names.map(async (name) => must(await groups.create({ name })).id));
      expect(new Set([ga, gb]).size).toBe(2);
      if (groups.createMany) expect(made.map((r) => (r.ok ? r.value.name : null))).toEqual(names);
      const listed: string[] = [];
      for await (const page of groups.list()) listed.push(...must(page).map((g) => g.id));
      expect(listed).toEqual(expect.arrayContaining([ga, gb]));
      const [p0, p1, p2] = await Promise.all([0, 1, 2].map(async () => must(await c.users.create(input(unique(), target.agentRoleKey))).id));
      const added = must(
        await groups.addMembers([
          { groupId: ga!, userId: p0! },
          { groupId: ga!, userId: p1! },
          { groupId: gb!, userId: p1! },
          { groupId: gb!, userId: p2! },
          { groupId: 'no-such-group-' + tag, userId: p0! },
        ]),
      );
      expect(added.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
      expect(added.slice(0, 4).map((r) => r.ok)).toEqual([true, true, true, true]);
      // One item the target refuses fails alone, as an object error.
      expect(added[4]?.ok ? null : added[4]?.error.class).toBe('object');
      const membersOf = async (groupId: string) => {
        const out: { membershipId: string; userId: string }[] = [];
        for await (const page of groups.listMembers(groupId)) out.push(...must(page));
        return out;
      };
      const inA = await membersOf(ga!);
      expect(inA.map((m) => m.userId).sort()).toEqual([p0, p1].sort());
      expect((await membersOf(gb!)).map((m) => m.userId).sort()).toEqual([p1, p2].sort());
      // The batch answers the memberships the target lists, and adding again is idempotent.
      const a0 = added[0]?.ok ? added[0].value.membershipId : '';
      expect(inA.find((m) => m.userId === p0)?.membershipId).toBe(a0);
      const again = must(await groups.addMembers([{ groupId: ga!, userId: p0! }]));
      expect(again[0]?.ok ? again[0].value.membershipId : null).toBe(a0);
      expect(await membersOf(ga!)).toHaveLength(2);
      const b2 = added[3]?.ok ? added[3].value.membershipId : '';
      must(await groups.removeMembers([a0, b2]));
      expect((await membersOf(ga!)).map((m) => m.userId)).toEqual([p1]);
      expect((await membersOf(gb!)).map((m) => m.userId)).toEqual([p1]);
      // A membership already gone does not hold back the others of the batch; it succeeds or answers not_found.
      const a1 = added[1]?.ok ? added[1].value.membershipId : '';
      const mixed = must(await groups.removeMembers([a0, a1]));
      expect(mixed[0]?.ok || mixed[0]?.error.code.endsWith('not_found')).toBe(true);
      expect(mixed[1]?.ok).toBe(true);
      expect(await membersOf(ga!)).toEqual([]);
      for (const g of [ga!, gb!]) must(await groups.delete(g));
    });

    it('reports bad credentials as a configuration error and a failed Test connection', async () => {
      const bad = target.connectWithBadCredentials();
      const report = await bad.check();
      expect(report.ok).toBe(false);
      expect(report.steps.at(-1)?.ok).toBe(false);
      const r = await bad.users.get('1');
      expect(r.ok ? null : r.error.class).toBe('configuration');
    });

    it('never duplicates a user when a create times out and is retried', async () => {
      const tag = unique();
      const slow = target.connect({ timeoutMs: target.slowTimeoutMs });
      await target.slowDown();
      let first;
      try {
        first = await slow.users.create(input(tag, target.endUserRoleKey));
      } finally {
        await target.recover();
      }
      if (!first.ok) expect(first.error.class).toBe('transient');
      // The engine retries a transient failure later.
      const retried = must(await c.users.create(input(tag, target.endUserRoleKey)));
      const found = must(await c.users.findBy('external_id', `conf-${tag}`));
      expect(found.map((u) => u.id)).toEqual([retried.id]);
      if (first.ok) expect(first.value.id).toBe(retried.id);
    });
  });
}
