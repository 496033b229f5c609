import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const newUser = async (user: Record<string, unknown>): Promise<Json> => (await h.call('POST', '/api/v2/users', { user })).body.user;

describe('groups and memberships', () => {
  it('gives every new agent a default membership in the default group', async () => {
    const groups = (await h.call('GET', '/api/v2/groups')).body.groups;
    const support = groups.find((g: Json) => g.default);
    expect(support).toMatchObject({ name: 'Support', default: true, deleted: false, is_public: true });
    const agent = await newUser({ name: 'Ag', email: 'ag@x.test', role: 'agent' });
    expect(agent.default_group_id).toBe(support.id);
    const ms = (await h.call('GET', `/api/v2/users/${agent.id}/group_memberships`)).body.group_memberships;
    expect(ms).toEqual([expect.objectContaining({ user_id: agent.id, group_id: support.id, default: true })]);
  });

  it('creates groups (201 + Location), adds agents, makes default, refuses end users with 422', async () => {
    const g = await h.call('POST', '/api/v2/groups', { group: { name: 'Tier 2' } });
    expect(g.status).toBe(201);
    expect(g.headers.get('location')).toContain(`/groups/${g.body.group.id}.json`);
    expect(g.body.group).toMatchObject({ description: '', default: false, deleted: false, is_public: true });
    const agent = await newUser({ name: 'Ag2', email: 'ag2@x.test', role: 'agent' });
    const m = await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: agent.id, group_id: g.body.group.id } });
    expect(m.status).toBe(201);
    expect(m.body.group_membership.default).toBe(false);
    const dup = await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: agent.id, group_id: g.body.group.id } });
    expect(dup.status).toBe(422);
    const made = await h.call('PUT', `/api/v2/users/${agent.id}/group_memberships/${m.body.group_membership.id}/make_default`);
    expect(made.body.group_memberships.find((x: Json) => x.default).group_id).toBe(g.body.group.id);
    const endUser = await newUser({ name: 'E', email: 'e@x.test' });
    const refused = await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: endUser.id, group_id: g.body.group.id } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'RecordInvalid', details: { user_id: [expect.objectContaining({ error: 'InvalidValue' })] } });
    expect((await h.call('GET', `/api/v2/groups/${g.body.group.id}/memberships`)).body.group_memberships).toHaveLength(1);
    expect((await h.call('GET', '/api/v2/groups/count')).body.count.value).toBe(2);
  });

  it('demoting an agent to end user removes memberships; deleting a group answers 204', async () => {
    const agent = await newUser({ name: 'Ag3', email: 'ag3@x.test', role: 'agent' });
    const demoted = await h.call('PUT', `/api/v2/users/${agent.id}`, { user: { role: 'end-user' } });
    expect(demoted.body.user).toMatchObject({ role: 'end-user', default_group_id: null });
    expect((await h.call('GET', `/api/v2/users/${agent.id}/group_memberships`)).body.group_memberships).toEqual([]);
    const g = (await h.call('POST', '/api/v2/groups', { group: { name: 'Temp' } })).body.group;
    const del = await h.call('DELETE', `/api/v2/groups/${g.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await h.call('GET', `/api/v2/groups/${g.id}`)).status).toBe(404);
  });

  it('moves an agent whose only group is deleted back to the default group', async () => {
    const agent = await newUser({ name: 'Ag5', email: 'ag5@x.test', role: 'agent' });
    const g = (await h.call('POST', '/api/v2/groups', { group: { name: 'Only' } })).body.group;
    const m = (await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: agent.id, group_id: g.id } })).body.group_membership;
    const support = (await h.call('GET', `/api/v2/users/${agent.id}/group_memberships`)).body.group_memberships.find((x: Json) => x.id !== m.id);
    await h.call('PUT', `/api/v2/users/${agent.id}/group_memberships/${m.id}/make_default`);
    expect((await h.call('DELETE', `/api/v2/group_memberships/${support.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `/api/v2/groups/${g.id}`)).status).toBe(204);
    const after = (await h.call('GET', `/api/v2/users/${agent.id}`)).body.user;
    expect(after.default_group_id).toBe(support.group_id);
  });

  it('bulk-creates and bulk-deletes memberships through jobs; refuses deleting an agent\'s last membership', async () => {
    const agent = await newUser({ name: 'Ag4', email: 'ag4@x.test', role: 'agent' });
    const g = (await h.call('POST', '/api/v2/groups', { group: { name: 'Bulk' } })).body.group;
    const job = (await h.call('POST', '/api/v2/group_memberships/create_many', { group_memberships: [{ user_id: agent.id, group_id: g.id }] })).body.job_status;
    let status: Json;
    do status = (await h.call('GET', `/api/v2/job_statuses/${job.id}`)).body.job_status;
    while (status.status !== 'completed');
    const mid = status.results[0].id;
    const del = (await h.call('DELETE', `/api/v2/group_memberships/destroy_many?ids=${mid}`)).body.job_status;
    do status = (await h.call('GET', `/api/v2/job_statuses/${del.id}`)).body.job_status;
    while (status.status !== 'completed');
    expect(status.results).toEqual([{ id: mid, action: 'delete', status: 'Deleted', success: true }]);
    const last = (await h.call('GET', `/api/v2/users/${agent.id}/group_memberships`)).body.group_memberships[0];
    expect((await h.call('DELETE', `/api/v2/group_memberships/${last.id}`)).status).toBe(422);
  });
});

describe('custom roles, identities, deleted users', () => {
  it('lists built-in roles with role types on Enterprise; 403 where custom roles are off', async () => {
    const roles = (await h.call('GET', '/api/v2/custom_roles')).body.custom_roles;
    const types = Object.fromEntries(roles.map((r: Json) => [r.name, r.role_type]));
    expect(types).toMatchObject({ 'Light agent': 1, Contributor: 3, Advisor: 0, Staff: 0, 'Team lead': 0, Admin: 4, 'Billing admin': 5 });
    const one = await h.call('GET', `/api/v2/custom_roles/${roles[0].id}`);
    expect(one.body.custom_role.name).toBe(roles[0].name);
    await h.control('POST', '/__sandbox/accounts', { subdomain: 'small', plan: 'team', apiToken: 't2', adminEmail: 'a@small.test' });
    const r = await h.call('GET', '/small/api/v2/custom_roles', undefined, { authorization: h.tokenAuth('a@small.test', 't2') });
    expect(r.status).toBe(403);
  });

  it('lists identities and makes a secondary email primary', async () => {
    const u = await newUser({ name: 'Id', email: 'id1@x.test' });
    await h.call('PUT', `/api/v2/users/${u.id}`, { user: { email: 'id2@x.test' } });
    const list = (await h.call('GET', `/api/v2/users/${u.id}/identities`)).body.identities;
    expect(list.map((i: Json) => [i.value, i.primary])).toEqual([['id1@x.test', true], ['id2@x.test', false]]);
    const made = await h.call('PUT', `/api/v2/users/${u.id}/identities/${list[1].id}/make_primary`);
    expect(made.body.identities.find((i: Json) => i.primary).value).toBe('id2@x.test');
    expect((await h.call('GET', `/api/v2/users/${u.id}`)).body.user.email).toBe('id2@x.test');
  });

  it('shows soft-deleted users under deleted_users and purges them permanently', async () => {
    const u = await newUser({ name: 'Gone', email: 'gone@x.test' });
    await h.call('DELETE', `/api/v2/users/${u.id}`);
    const list = (await h.call('GET', '/api/v2/deleted_users')).body.deleted_users;
    expect(list.map((d: Json) => d.id)).toContain(u.id);
    expect((await h.call('GET', `/api/v2/deleted_users/${u.id}`)).body.deleted_user).toMatchObject({ active: false, email: 'gone@x.test' });
    const purged = await h.call('DELETE', `/api/v2/deleted_users/${u.id}`);
    expect(purged.body.deleted_user).toMatchObject({ name: 'Permanently Deleted User', email: null });
    expect((await h.call('GET', `/api/v2/deleted_users/${u.id}`)).status).toBe(404);
    expect((await newUser({ name: 'Again', email: 'gone@x.test' })).email).toBe('gone@x.test');
  });

  it('lists the seeded custom user fields', async () => {
    const fields = (await h.call('GET', '/api/v2/user_fields')).body.user_fields;
    expect(fields.map((f: Json) => f.key)).toEqual(['department', 'employee_type', 'start_date']);
    const u = await newUser({ name: 'F', user_fields: { department: 'Sales' } });
    expect(u.user_fields).toMatchObject({ department: 'Sales', employee_type: null });
  });
});
