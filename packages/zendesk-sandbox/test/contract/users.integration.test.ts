import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../harness.ts';
import { expectConforms, uncheckedRoutes } from './conformance.ts';
import { contractProblems, oasDocument, schemaProblems } from './oas.ts';
import { USER_OPERATIONS as OPS } from './operations.ts';

let h: Harness;
beforeAll(async () => {
  oasDocument();
  h = await startHarness();
  // The incremental export holds back the last minute by default; the contract only needs rows.
  expect((await h.control('PATCH', '/__sandbox/accounts/acme', { exportLagMs: 0 })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
});

const conforms = (route: keyof typeof OPS, res: { status: number; body: unknown }, status: number) => expectConforms(OPS, route, res, status);

async function waitForJob(id: string): Promise<Json> {
  for (let i = 0; i < 1000; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}`);
    // Bulk user results (Created / Updated / Failed / Deleted shapes) against the job status schema.
    expect(contractProblems('GET /api/v2/job_statuses/{job_status_id}', r.status, r.body)).toEqual([]);
    if (['completed', 'failed', 'killed'].includes(r.body.job_status.status)) return r.body.job_status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('users API responses conform to the OAS', () => {
  let ann: Json;
  let bob: Json;

  it('create (201) for an end user with no email, and for an agent with every optional field', async () => {
    const bare = await h.call('POST', '/api/v2/users', { user: { name: 'No Email' } });
    conforms('POST /api/v2/users', bare, 201);
    expect(bare.body.user.email).toBeNull();
    const full = await h.call('POST', '/api/v2/users', {
      user: { name: 'Ann', email: 'ann@acme.test', external_id: 'ann-1', phone: '+15551234567', role: 'agent', details: 'd', notes: 'n', alias: 'A', tags: ['vip'], time_zone: 'Copenhagen', locale: 'en-US', organization: { name: 'VIP Customers' } },
    });
    conforms('POST /api/v2/users', full, 201);
    ann = full.body.user;
    const b = await h.call('POST', '/api/v2/users', { user: { name: 'Bob', email: 'bob@acme.test', external_id: 'bob-1' } });
    conforms('POST /api/v2/users', b, 201);
    bob = b.body.user;
  });

  it('show, show_many by ids and by external_ids, count, me (admin and anonymous)', async () => {
    conforms('GET /api/v2/users/:id', await h.call('GET', `/api/v2/users/${ann.id}.json`), 200);
    const many = await h.call('GET', `/api/v2/users/show_many?ids=${ann.id},${bob.id}`);
    conforms('GET /api/v2/users/show_many', many, 200);
    expect(many.body.users).toHaveLength(2);
    conforms('GET /api/v2/users/show_many', await h.call('GET', '/api/v2/users/show_many?external_ids=ann-1,BOB-1'), 200);
    const count = await h.call('GET', '/api/v2/users/count');
    conforms('GET /api/v2/users/count', count, 200);
    expect(count.body.count.value).toBeGreaterThanOrEqual(4);
    conforms('GET /api/v2/users/me', await h.call('GET', '/api/v2/users/me'), 200);
    // The anonymous user is outside the OAS (OAS-DEVIATIONS.md "Anonymous /users/me"): checked against the notes instead.
    const anon = await h.call('GET', '/api/v2/users/me', undefined, { authorization: '' });
    expect(anon.status).toBe(200);
    expect(anon.body.user).toMatchObject({ id: null, name: 'Anonymous user', role: 'end-user' });
  });

  it('list with offset paging and with cursor paging (first, middle and last page)', async () => {
    const offset = await h.call('GET', '/api/v2/users?per_page=2');
    conforms('GET /api/v2/users', offset, 200);
    expect(offset.body.next_page).toContain('page=2');
    let next: string | null = '/api/v2/users?page[size]=2';
    let pages = 0;
    while (next) {
      const page = await h.call('GET', next);
      conforms('GET /api/v2/users', page, 200);
      pages += 1;
      next = page.body.meta.has_more ? new URL(page.body.links.next as string).pathname + new URL(page.body.links.next as string).search : null;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('sideloads (include=identities,groups,roles,organizations) on list, show and show_many', async () => {
    const include = 'include=identities,groups,roles,organizations';
    const list = await h.call('GET', `/api/v2/users?page[size]=10&${include}`);
    conforms('GET /api/v2/users', list, 200);
    expect(list.body.identities.length).toBeGreaterThan(0);
    expect(list.body.groups.length).toBeGreaterThan(0);
    expect(list.body.roles.length).toBeGreaterThan(0);
    expect(list.body.organizations.length).toBeGreaterThan(0);
    // UsersResponse does not describe sideloads; each sideloaded record is checked against its own schema.
    const sideloads: Array<[string, string]> = [['identities', 'UserIdentityObject'], ['groups', 'GroupObject'], ['roles', 'CustomRoleObject'], ['organizations', 'OrganizationObject']];
    for (const [key, schema] of sideloads) {
      for (const record of list.body[key] as Json[]) expect(schemaProblems(schema, record), `${key} vs ${schema}`).toEqual([]);
    }
    conforms('GET /api/v2/users/:id', await h.call('GET', `/api/v2/users/${ann.id}?${include}`), 200);
    conforms('GET /api/v2/users/show_many', await h.call('GET', `/api/v2/users/show_many?ids=${ann.id},${bob.id}&${include}`), 200);
  });

  it('search by query and by external_id', async () => {
    const q = await h.call('GET', '/api/v2/users/search?query=ann');
    conforms('GET /api/v2/users/search', q, 200);
    expect(q.body.users.map((u: Json) => u.id)).toContain(ann.id);
    const e = await h.call('GET', '/api/v2/users/search?external_id=bob-1');
    conforms('GET /api/v2/users/search', e, 200);
    expect(e.body.users).toHaveLength(1);
  });

  it('update (suspend, add a secondary email) and create_or_update (200 update, 201 create)', async () => {
    const upd = await h.call('PUT', `/api/v2/users/${bob.id}`, { user: { suspended: true, email: 'bob2@acme.test', notes: null } });
    conforms('PUT /api/v2/users/:id', upd, 200);
    expect(upd.body.user).toMatchObject({ suspended: true, email: 'bob@acme.test' });
    conforms('POST /api/v2/users/create_or_update', await h.call('POST', '/api/v2/users/create_or_update', { user: { name: 'Ann Again', external_id: 'ANN-1' } }), 200);
    conforms('POST /api/v2/users/create_or_update', await h.call('POST', '/api/v2/users/create_or_update', { user: { name: 'Cy', email: 'cy@acme.test' } }), 201);
  });

  it('identities list, show and make_primary', async () => {
    const list = await h.call('GET', `/api/v2/users/${bob.id}/identities`);
    conforms('GET /api/v2/users/:id/identities', list, 200);
    const secondary = list.body.identities.find((i: Json) => i.value === 'bob2@acme.test');
    expect(secondary).toMatchObject({ primary: false, type: 'email' });
    conforms('GET /api/v2/users/:id/identities/:iid', await h.call('GET', `/api/v2/users/${bob.id}/identities/${secondary.id}`), 200);
    const made = await h.call('PUT', `/api/v2/users/${bob.id}/identities/${secondary.id}/make_primary`);
    conforms('PUT /api/v2/users/:id/identities/:iid/make_primary', made, 200);
    expect(made.body.identities.find((i: Json) => i.id === secondary.id).primary).toBe(true);
  });

  it('bulk jobs: create_many, create_or_update_many (with a failing item), update_many both forms, destroy_many', async () => {
    const cm = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'J1', email: 'j1@acme.test' }, { name: 'J2', external_id: 'j-2' }] });
    conforms('POST /api/v2/users/create_many', cm, 200);
    const created = await waitForJob(cm.body.job_status.id);
    expect(created.results.map((r: Json) => r.status)).toEqual(['Created', 'Created']);
    const ids = created.results.map((r: Json) => r.id as number);
    const coum = await h.call('POST', '/api/v2/users/create_or_update_many', { users: [{ name: 'J1b', email: 'j1@acme.test' }, { name: 'J3', email: 'bad@x' }] });
    conforms('POST /api/v2/users/create_or_update_many', coum, 200);
    const cou = await waitForJob(coum.body.job_status.id);
    expect(cou.results.map((r: Json) => r.status)).toEqual(['Updated', 'Failed']);
    const bulk = await h.call('PUT', `/api/v2/users/update_many?ids=${ids.join(',')}`, { user: { notes: 'bulk' } });
    conforms('PUT /api/v2/users/update_many', bulk, 200);
    await waitForJob(bulk.body.job_status.id);
    const batch = await h.call('PUT', '/api/v2/users/update_many', { users: [{ id: ids[0], notes: 'one' }, { external_id: 'j-2', notes: 'two' }] });
    conforms('PUT /api/v2/users/update_many', batch, 200);
    expect((await waitForJob(batch.body.job_status.id)).results.every((r: Json) => r.success === true)).toBe(true);
    const del = await h.call('DELETE', `/api/v2/users/destroy_many?ids=${ids.join(',')}`);
    conforms('DELETE /api/v2/users/destroy_many', del, 200);
    expect((await waitForJob(del.body.job_status.id)).results.map((r: Json) => r.status)).toEqual(['Deleted', 'Deleted']);
  });

  it('delete (200, active:false), deleted_users list/count/show, permanent delete', async () => {
    const del = await h.call('DELETE', `/api/v2/users/${bob.id}`);
    conforms('DELETE /api/v2/users/:id', del, 200);
    expect(del.body.user.active).toBe(false);
    conforms('GET /api/v2/deleted_users', await h.call('GET', '/api/v2/deleted_users'), 200);
    const cursor = await h.call('GET', '/api/v2/deleted_users?page[size]=1');
    conforms('GET /api/v2/deleted_users', cursor, 200);
    expect(cursor.body.meta.has_more).toBe(true);
    conforms('GET /api/v2/deleted_users/count', await h.call('GET', '/api/v2/deleted_users/count'), 200);
    conforms('GET /api/v2/deleted_users/:id', await h.call('GET', `/api/v2/deleted_users/${bob.id}`), 200);
    const gone = await h.call('DELETE', `/api/v2/deleted_users/${bob.id}`);
    conforms('DELETE /api/v2/deleted_users/:id', gone, 200);
    expect(gone.body.deleted_user).toMatchObject({ name: 'Permanently Deleted User', email: null, phone: null });
  });

  it('deleted_users still lists a permanently deleted user, scrubbed; show no longer finds it (OAS ListDeletedUsers / ShowDeletedUser)', async () => {
    const listed = await h.call('GET', '/api/v2/deleted_users');
    conforms('GET /api/v2/deleted_users', listed, 200);
    expect(listed.body.deleted_users.find((u: Json) => u.id === bob.id)).toMatchObject({ name: 'Permanently Deleted User', email: null, phone: null, active: false });
    expect((await h.call('GET', `/api/v2/deleted_users/${bob.id}`)).status).toBe(404);
  });

  it('incremental users cursor export, organizations and user fields', async () => {
    const first = await h.call('GET', `/api/v2/incremental/users/cursor?start_time=${Math.floor(Date.now() / 1000) - 3600}&per_page=3`);
    conforms('GET /api/v2/incremental/users/cursor', first, 200);
    expect(first.body.users.length).toBe(3);
    const rest = await h.call('GET', `/api/v2/incremental/users/cursor?cursor=${encodeURIComponent(first.body.after_cursor as string)}`);
    conforms('GET /api/v2/incremental/users/cursor', rest, 200);
    expect(rest.body.end_of_stream).toBe(true);
    const timed = await h.call('GET', `/api/v2/incremental/users?start_time=${Math.floor(Date.now() / 1000) - 3600}`);
    conforms('GET /api/v2/incremental/users', timed, 200);
    expect(timed.body).toMatchObject({ end_of_stream: true, count: timed.body.users.length, end_time: expect.any(Number) });
    conforms('GET /api/v2/organizations', await h.call('GET', '/api/v2/organizations'), 200);
    const fields = await h.call('GET', '/api/v2/user_fields');
    conforms('GET /api/v2/user_fields', fields, 200);
    conforms('GET /api/v2/user_fields/:id', await h.call('GET', `/api/v2/user_fields/${fields.body.user_fields[0].id}`), 200);
    const created = await h.call('POST', '/api/v2/user_fields', { user_field: { type: 'dropdown', key: 'tier', title: 'Tier', custom_field_options: [{ name: 'Gold', value: 'gold' }] } });
    conforms('POST /api/v2/user_fields', created, 201);
    const updated = await h.call('PUT', `/api/v2/user_fields/${created.body.user_field.id}`, { user_field: { title: 'Support tier', active: false } });
    conforms('PUT /api/v2/user_fields/:id', updated, 200);
    conforms('DELETE /api/v2/user_fields/:id', await h.call('DELETE', `/api/v2/user_fields/${created.body.user_field.id}`), 204);
  });

  it('search export of users (cursor, result_type)', async () => {
    const first = await h.call('GET', '/api/v2/search/export?query=type:user&filter[type]=user&page[size]=2');
    conforms('GET /api/v2/search/export', first, 200);
    expect(first.body.results[0].result_type).toBe('user');
    const next = new URL(first.body.links.next as string);
    conforms('GET /api/v2/search/export', await h.call('GET', `${next.pathname}${next.search}`), 200);
  });

  it('validated every route of its table', () => {
    expect(uncheckedRoutes(OPS)).toEqual([]);
  });
});
