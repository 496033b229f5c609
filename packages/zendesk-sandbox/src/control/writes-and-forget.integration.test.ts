import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function waitJob(id: string): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}`);
    if (r.body.job_status.status === 'completed' || r.body.job_status.status === 'failed') return r.body.job_status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('job did not finish');
}

const writes = async (since = 0): Promise<Json[]> => (await h.control('GET', `/__sandbox/accounts/acme/writes?since=${since}`)).body.writes;

describe('write record', () => {
  it('records public-API user writes with the target user as it was before', async () => {
    const start = (await h.control('GET', '/__sandbox/accounts/acme/writes')).body.lastSeq as number;
    const created = await h.call('POST', '/api/v2/users', { user: { name: 'Ann', email: 'ann@acme.test', external_id: 'ann-1' } });
    const id = created.body.user.id as number;
    await h.call('PUT', `/api/v2/users/${id}`, { user: { name: 'Ann B', suspended: true } });
    await h.call('DELETE', `/api/v2/users/${id}`);
    await h.call('PUT', '/api/v2/users/999', { user: { name: 'nobody' } });
    await h.control('POST', '/__sandbox/accounts/acme/seed', { count: 2 });
    const w = await writes(start);
    expect(w.map((e: Json) => e.kind)).toEqual(['user.create', 'user.update', 'user.delete']);
    expect(w[0]).toMatchObject({ seq: start + 1, method: 'POST', path: '/api/v2/users', userId: id, before: null, body: { name: 'Ann', email: 'ann@acme.test', external_id: 'ann-1' } });
    expect(typeof w[0].at).toBe('string');
    expect(w[1]).toMatchObject({ method: 'PUT', path: `/api/v2/users/${id}`, userId: id, body: { name: 'Ann B', suspended: true } });
    expect(w[1].before).toEqual({ id, external_id: 'ann-1', email: 'ann@acme.test', name: 'Ann', suspended: false, active: true });
    expect(w[2].before).toEqual({ id, external_id: 'ann-1', email: 'ann@acme.test', name: 'Ann B', suspended: true, active: true });
    expect((await writes(start + 2)).map((e: Json) => e.seq)).toEqual([start + 3]);
  });

  it('records one entry per bulk job item, and group and membership writes', async () => {
    const start = (await h.control('GET', '/__sandbox/accounts/acme/writes')).body.lastSeq as number;
    const job = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'B1', email: 'b1@acme.test', role: 'agent' }, { name: 'B2', email: 'b2@acme.test' }] });
    const done = await waitJob(job.body.job_status.id);
    const [b1] = done.results.map((r: Json) => r.id as number);
    const group = await h.call('POST', '/api/v2/groups', { group: { name: 'Tier 2' } });
    const gid = group.body.group.id as number;
    const m = await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: b1, group_id: gid } });
    await h.call('DELETE', `/api/v2/group_memberships/${m.body.group_membership.id}`);
    await h.call('PUT', `/api/v2/groups/${gid}`, { group: { name: 'Tier two' } });
    await h.call('DELETE', `/api/v2/groups/${gid}`);
    const w = await writes(start);
    expect(w.map((e: Json) => e.kind)).toEqual(['user.create', 'user.create', 'group.create', 'membership.create', 'membership.delete', 'group.update', 'group.delete']);
    expect(w[0]).toMatchObject({ path: '/api/v2/users/create_many', body: { name: 'B1', email: 'b1@acme.test', role: 'agent' } });
    expect(w[3]).toMatchObject({ userId: b1, before: { id: b1, email: 'b1@acme.test' }, body: { user_id: b1, group_id: gid }, createdId: m.body.group_membership.id });
    expect(w[4]).toMatchObject({ userId: b1, body: { id: m.body.group_membership.id, user_id: b1, group_id: gid } });
    expect(w[5]).toMatchObject({ userId: null, before: null, body: { name: 'Tier two' } });
  });

  it('refuses a bad `since` with 400 naming it', async () => {
    const r = await h.control('GET', '/__sandbox/accounts/acme/writes?since=abc');
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('since');
  });
});

describe('forget-users fault', () => {
  it('forgets every user but the owner; with reuseIds the next users get the forgotten ids in order', async () => {
    const acc = (await h.control('POST', '/__sandbox/accounts', { subdomain: 'forget', plan: 'unlimited' })).body.account;
    const auth = { authorization: h.tokenAuth(acc.adminEmail, acc.apiToken) };
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await h.call('POST', '/forget/api/v2/users', { user: { name: `U${n}`, email: `u${n}@f.test`, role: 'agent' } }, auth)).body.user.id);
    const r = await h.control('POST', '/__sandbox/accounts/forget/faults/forget-users', { reuseIds: true });
    expect(r.body).toEqual({ forgotten: 3, reuseIds: true });
    const left = (await h.call('GET', '/forget/api/v2/users', undefined, auth)).body.users;
    expect(left.map((u: Json) => u.id)).toEqual([acc.ownerId]);
    expect((await h.call('GET', '/forget/api/v2/group_memberships', undefined, auth)).body.group_memberships.map((m: Json) => m.user_id)).toEqual([acc.ownerId]);
    const again: number[] = [];
    for (const n of [4, 5, 6, 7]) again.push((await h.call('POST', '/forget/api/v2/users', { user: { name: `U${n}`, email: `u${n}@f.test` } }, auth)).body.user.id);
    expect(again.slice(0, 3)).toEqual(ids);
    expect(again[3]).toBeGreaterThan(Math.max(...ids));
    expect((await h.call('GET', '/forget/api/v2/users', undefined, auth)).body.users.map((u: Json) => u.id)).toEqual([acc.ownerId, ...again]);
  });

  it('without reuseIds the next users get new ids', async () => {
    const acc = (await h.control('POST', '/__sandbox/accounts', { subdomain: 'forget2', plan: 'unlimited' })).body.account;
    const auth = { authorization: h.tokenAuth(acc.adminEmail, acc.apiToken) };
    const first = (await h.call('POST', '/forget2/api/v2/users', { user: { name: 'A', email: 'a@f.test' } }, auth)).body.user.id as number;
    await h.control('POST', '/__sandbox/accounts/forget2/faults/forget-users', {});
    const next = (await h.call('POST', '/forget2/api/v2/users', { user: { name: 'A', email: 'a@f.test' } }, auth)).body.user.id as number;
    expect(next).toBeGreaterThan(first);
  });
});

describe('ids and reset', () => {
  it('a reset default account gets a new default group and new ids; its write record is cleared', async () => {
    const groupsBefore = (await h.call('GET', '/api/v2/groups')).body.groups;
    const meBefore = (await h.call('GET', '/api/v2/users/me')).body.user;
    await h.control('POST', '/__sandbox/reset');
    const groupsAfter = (await h.call('GET', '/api/v2/groups')).body.groups;
    const meAfter = (await h.call('GET', '/api/v2/users/me')).body.user;
    expect(groupsAfter[0].id).toBeGreaterThan(groupsBefore[0].id);
    expect(meAfter.id).toBeGreaterThan(meBefore.id);
    expect(await writes()).toEqual([]);
  });
});
