import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../harness.ts';
import { expectConforms, uncheckedRoutes } from './conformance.ts';
import { oasDocument } from './oas.ts';
import { GROUP_OPERATIONS as OPS } from './operations.ts';

let h: Harness;
beforeAll(async () => {
  oasDocument();
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const conforms = (route: keyof typeof OPS, res: { status: number; body: unknown }, status: number) => expectConforms(OPS, route, res, status);

async function finished(id: string): Promise<Json> {
  for (let i = 0; i < 1000; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}`);
    conforms('GET /api/v2/job_statuses/:id', r, 200);
    if (['completed', 'failed', 'killed'].includes(r.body.job_status.status)) return r.body.job_status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('groups, memberships, custom roles and job statuses conform to the OAS', () => {
  let agentA: Json;
  let agentB: Json;
  let group: Json;

  beforeAll(async () => {
    agentA = (await h.call('POST', '/api/v2/users', { user: { name: 'Agent A', email: 'a@acme.test', role: 'agent' } })).body.user;
    agentB = (await h.call('POST', '/api/v2/users', { user: { name: 'Agent B', email: 'b@acme.test', role: 'agent' } })).body.user;
    expect(agentA.id).toEqual(expect.any(Number));
  });

  it('group create (201), show, update, list offset and cursor, assignable, count', async () => {
    const created = await h.call('POST', '/api/v2/groups', { group: { name: 'Tier 2', description: 'escalations' } });
    conforms('POST /api/v2/groups', created, 201);
    group = created.body.group;
    expect(group).toMatchObject({ name: 'Tier 2', default: false, deleted: false, is_public: true });
    conforms('GET /api/v2/groups/:id', await h.call('GET', `/api/v2/groups/${group.id}.json`), 200);
    conforms('PUT /api/v2/groups/:id', await h.call('PUT', `/api/v2/groups/${group.id}`, { group: { name: 'Tier Two' } }), 200);
    conforms('GET /api/v2/groups', await h.call('GET', '/api/v2/groups'), 200);
    const cursor = await h.call('GET', '/api/v2/groups?page[size]=1');
    conforms('GET /api/v2/groups', cursor, 200);
    expect(cursor.body.meta.has_more).toBe(true);
    conforms('GET /api/v2/groups/assignable', await h.call('GET', '/api/v2/groups/assignable'), 200);
    const count = await h.call('GET', '/api/v2/groups/count');
    conforms('GET /api/v2/groups/count', count, 200);
    expect(count.body.count.value).toBe(2);
  });

  it('membership create (both paths), show, lists (all, assignable, per user, per group), make_default, delete (both paths)', async () => {
    const m1 = await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: agentA.id, group_id: group.id } });
    conforms('POST /api/v2/group_memberships', m1, 201);
    const m2 = await h.call('POST', `/api/v2/users/${agentB.id}/group_memberships`, { group_membership: { group_id: group.id } });
    conforms('POST /api/v2/users/:id/group_memberships', m2, 201);
    conforms('GET /api/v2/group_memberships/:id', await h.call('GET', `/api/v2/group_memberships/${m1.body.group_membership.id}`), 200);
    conforms('GET /api/v2/group_memberships', await h.call('GET', '/api/v2/group_memberships?page[size]=2'), 200);
    conforms('GET /api/v2/group_memberships/assignable', await h.call('GET', '/api/v2/group_memberships/assignable'), 200);
    const mine = await h.call('GET', `/api/v2/users/${agentA.id}/group_memberships`);
    conforms('GET /api/v2/users/:id/group_memberships', mine, 200);
    expect(mine.body.group_memberships).toHaveLength(2);
    const inGroup = await h.call('GET', `/api/v2/groups/${group.id}/memberships`);
    conforms('GET /api/v2/groups/:id/memberships', inGroup, 200);
    expect(inGroup.body.group_memberships.map((m: Json) => m.user_id).sort()).toEqual([agentA.id, agentB.id].sort());
    conforms('GET /api/v2/users/:id/groups', await h.call('GET', `/api/v2/users/${agentA.id}/groups`), 200);
    const made = await h.call('PUT', `/api/v2/users/${agentA.id}/group_memberships/${m1.body.group_membership.id}/make_default`);
    conforms('PUT /api/v2/users/:id/group_memberships/:mid/make_default', made, 200);
    expect(made.body.group_memberships.filter((m: Json) => m.default).map((m: Json) => m.id)).toEqual([m1.body.group_membership.id]);
    const other = mine.body.group_memberships.find((m: Json) => m.id !== m1.body.group_membership.id);
    conforms('DELETE /api/v2/users/:id/group_memberships/:mid', await h.call('DELETE', `/api/v2/users/${agentA.id}/group_memberships/${other.id}`), 204);
    conforms('DELETE /api/v2/group_memberships/:id', await h.call('DELETE', `/api/v2/group_memberships/${m2.body.group_membership.id}`), 204);
  });

  it('membership create_many and destroy_many jobs, job_statuses show, show_many and list', async () => {
    const extra = (await h.call('POST', '/api/v2/groups', { group: { name: 'Bulk' } })).body.group;
    const cm = await h.call('POST', '/api/v2/group_memberships/create_many', {
      group_memberships: [{ user_id: agentA.id, group_id: extra.id }, { user_id: agentB.id, group_id: extra.id }],
    });
    conforms('POST /api/v2/group_memberships/create_many', cm, 200);
    const done = await finished(cm.body.job_status.id);
    expect(done.results.map((r: Json) => r.status)).toEqual(['Created', 'Created']);
    const ids = done.results.map((r: Json) => r.id as number);
    const dm = await h.call('DELETE', `/api/v2/group_memberships/destroy_many?ids=${ids.join(',')}`);
    conforms('DELETE /api/v2/group_memberships/destroy_many', dm, 200);
    expect((await finished(dm.body.job_status.id)).results.map((r: Json) => r.status)).toEqual(['Deleted', 'Deleted']);
    const many = await h.call('GET', `/api/v2/job_statuses/show_many?ids=${cm.body.job_status.id},${dm.body.job_status.id}`);
    conforms('GET /api/v2/job_statuses/show_many', many, 200);
    expect(many.body.job_statuses).toHaveLength(2);
    const list = await h.call('GET', '/api/v2/job_statuses');
    conforms('GET /api/v2/job_statuses', list, 200);
    expect(list.body.job_statuses[0].id).toBe(dm.body.job_status.id);
  });

  it('group delete (204) after its members are gone', async () => {
    conforms('DELETE /api/v2/groups/:id', await h.call('DELETE', `/api/v2/groups/${group.id}`), 204);
    expect((await h.call('GET', '/api/v2/groups/count')).body.count.value).toBe(2);
  });

  it('custom roles list and show', async () => {
    const list = await h.call('GET', '/api/v2/custom_roles');
    conforms('GET /api/v2/custom_roles', list, 200);
    expect(list.body.custom_roles.map((r: Json) => r.name)).toEqual(expect.arrayContaining(['Light agent', 'Admin']));
    conforms('GET /api/v2/custom_roles/:id', await h.call('GET', `/api/v2/custom_roles/${list.body.custom_roles[0].id}`), 200);
  });

  it('validated every route of its table', () => {
    expect(uncheckedRoutes(OPS)).toEqual([]);
  });
});
