import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.control('PATCH', '/__sandbox/accounts/acme', { exportLagMs: 0 });
});
afterAll(() => h.close());

describe('fidelity round 2', () => {
  it('create_many: "id": "" is accepted, "id": null is a 400 naming users.0.id', async () => {
    const ok = await h.call('POST', '/api/v2/users/create_many', { users: [{ id: '', name: 'Empty id' }] });
    expect(ok.status).toBe(200);
    const bad = await h.call('POST', '/api/v2/users/create_many', { users: [{ id: null, name: 'Null id' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('users.0.id must be an integer');
  });

  it('DELETE /users/{unknown} is 404 with the RecordNotFound body', async () => {
    const r = await h.call('DELETE', '/api/v2/users/123456789');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
  });

  it('GET /groups is ordered by name (case-insensitively), then id, in both paging modes', async () => {
    for (const name of ['beta', 'Alpha', 'gamma', 'alpha']) await h.call('POST', '/api/v2/groups', { group: { name } });
    const names = (await h.call('GET', '/api/v2/groups')).body.groups.map((g: Json) => g.name);
    expect(names).toEqual(['Alpha', 'alpha', 'beta', 'gamma', 'Support']);
    const seen: string[] = [];
    let path: string | null = '/api/v2/groups?page[size]=2';
    while (path) {
      const r = await h.call('GET', path);
      seen.push(...r.body.groups.map((g: Json) => g.name));
      const next = r.body.meta.has_more ? new URL(r.body.links.next as string) : null;
      path = next ? `${next.pathname}${next.search}` : null;
    }
    expect(seen).toEqual(names);
  });

  it('incremental export: after_url and next_page keep per_page', async () => {
    const start = Math.floor(Date.now() / 1000) - 3600;
    const cursor = await h.call('GET', `/api/v2/incremental/users/cursor?start_time=${start}&per_page=2`);
    expect(cursor.body.after_url).toContain('per_page=2');
    const timed = await h.call('GET', `/api/v2/incremental/users?start_time=${start}&per_page=2`);
    expect(timed.body.next_page).toContain('per_page=2');
  });

  it('custom roles carry the 36 configuration keys of Zendesk', async () => {
    const roles = (await h.call('GET', '/api/v2/custom_roles')).body.custom_roles;
    const admin = roles.find((r: Json) => r.role_type === 4);
    expect(Object.keys(admin.configuration)).toHaveLength(36);
    expect(admin.configuration).toMatchObject({ ticket_access: 'all', manage_user_fields: true, light_agent: false });
    expect(roles.find((r: Json) => r.role_type === 1).configuration.light_agent).toBe(true);
  });

  it('user fields: create (201), duplicate key (422), update, delete drops the values from users', async () => {
    const created = await h.call('POST', '/api/v2/user_fields', { user_field: { type: 'text', key: 'cost_center', title: 'Cost center' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toContain(`/api/v2/user_fields/${created.body.user_field.id}.json`);
    const dup = await h.call('POST', '/api/v2/user_fields', { user_field: { type: 'text', key: 'COST_CENTER', title: 'Again' } });
    expect(dup.status).toBe(422);
    expect(dup.body.details.key[0].error).toBe('DuplicateValue');
    const user = (await h.call('POST', '/api/v2/users', { user: { name: 'Field user', user_fields: { cost_center: 'CC-1' } } })).body.user;
    expect(user.user_fields.cost_center).toBe('CC-1');
    const put = await h.call('PUT', `/api/v2/user_fields/${created.body.user_field.id}`, { user_field: { title: 'Cost centre', type: 'integer' } });
    expect(put.status).toBe(422);
    expect((await h.call('PUT', `/api/v2/user_fields/${created.body.user_field.id}`, { user_field: { title: 'Cost centre' } })).body.user_field.title).toBe('Cost centre');
    expect((await h.call('DELETE', `/api/v2/user_fields/${created.body.user_field.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/v2/users/${user.id}`)).body.user.user_fields).not.toHaveProperty('cost_center');
    expect((await h.call('GET', `/api/v2/user_fields/${created.body.user_field.id}`)).status).toBe(404);
  });

  it('search export pages every matching user once, newest first, without a next link at the end', async () => {
    for (const n of [1, 2, 3]) await h.call('POST', '/api/v2/users', { user: { name: `exported ${n}`, email: `exported-${n}@acme.test` } });
    const ids: number[] = [];
    let path: string | null = '/api/v2/search/export?query=exported&filter[type]=user&page[size]=2';
    while (path) {
      const r = await h.call('GET', path);
      expect(r.status).toBe(200);
      ids.push(...r.body.results.map((u: Json) => u.id));
      const next = r.body.links.next ? new URL(r.body.links.next as string) : null;
      path = next ? `${next.pathname}${next.search}` : null;
    }
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect((await h.call('GET', '/api/v2/search/export?query=x')).status).toBe(400);
  });
});
