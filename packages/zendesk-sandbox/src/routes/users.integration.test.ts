import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('users API', () => {
  it('creates a user with 201, Location and every field of the user table', async () => {
    const r = await h.call('POST', '/api/v2/users.json', { user: { name: 'Ann', email: 'ann@x.test', external_id: 'E-1' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${h.url}/api/v2/users/${r.body.user.id}.json`);
    expect(r.body.user).toMatchObject({ role: 'end-user', role_type: null, custom_role_id: null, active: true, suspended: false, ticket_restriction: 'requested', restricted_agent: true, two_factor_auth_enabled: null, locale: 'en-US', user_fields: expect.any(Object) });
    for (const field of ['url', 'iana_time_zone', 'shared_phone_number', 'photo', 'shared_agent', 'last_login_at', 'signature', 'default_group_id', 'report_csv', 'moderator', 'only_private_comments']) {
      expect(r.body.user).toHaveProperty(field);
    }
    // Recorded 2023–2024 users no longer carry chat_only.
    expect(r.body.user).not.toHaveProperty('chat_only');
  });

  it('serves paths with and without .json and under the account prefix', async () => {
    expect((await h.call('GET', '/api/v2/users/me')).body.user.email).toBe('admin@acme.test');
    const me = (await h.call('GET', '/acme/api/v2/users/me.json')).body.user;
    expect(me.role).toBe('admin');
    expect(me.last_login_at).toMatch(/Z$/);
  });

  it('refuses duplicate email and case-insensitive duplicate external_id with 422 details', async () => {
    const dupEmail = await h.call('POST', '/api/v2/users', { user: { name: 'B', email: 'ANN@x.test' } });
    expect(dupEmail.status).toBe(422);
    expect(dupEmail.body).toMatchObject({ error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ error: 'DuplicateValue' }] } });
    const dupExt = await h.call('POST', '/api/v2/users', { user: { name: 'B', external_id: 'e-1' } });
    expect(dupExt.status).toBe(422);
    expect(dupExt.body.details.external_id[0].error).toBe('DuplicateValue');
    const noName = await h.call('POST', '/api/v2/users', { user: { email: 'z@x.test' } });
    expect(noName.body.details.name[0].error).toBe('ValueTooShort');
    const badEmail = await h.call('POST', '/api/v2/users', { user: { name: 'Z', email: 'z@x' } });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.details.email[0].description).toContain('is not properly formatted');
  });

  it('create_or_update matches external_id case-insensitively, rewrites its case, 200 vs 201', async () => {
    const updated = await h.call('POST', '/api/v2/users/create_or_update', { user: { name: 'Ann B', external_id: 'e-1' } });
    expect(updated.status).toBe(200);
    expect(updated.body.user).toMatchObject({ name: 'Ann B', external_id: 'e-1', email: 'ann@x.test' });
    const created = await h.call('POST', '/api/v2/users/create_or_update', { user: { name: 'New', email: 'new@x.test' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toContain(`/users/${created.body.user.id}.json`);
  });

  it('maps roles: agent with custom_role_id gets its role_type; end-user + custom_role_id becomes agent; admin is 4', async () => {
    const roles = (await h.call('GET', '/api/v2/custom_roles')).body?.custom_roles as Array<{ id: number; name: string }> | undefined;
    const snapshot = await h.control('GET', '/__sandbox/accounts/acme/snapshot');
    const light = (roles ?? snapshot.body.custom_roles).find((r: { name: string }) => r.name === 'Light agent');
    const a = await h.call('POST', '/api/v2/users', { user: { name: 'L', email: 'l@x.test', role: 'end-user', custom_role_id: light.id } });
    expect(a.body.user).toMatchObject({ role: 'agent', role_type: 1, custom_role_id: light.id, restricted_agent: true });
    const admin = await h.call('POST', '/api/v2/users', { user: { name: 'Ad', email: 'ad@x.test', role: 'admin' } });
    expect(admin.body.user).toMatchObject({ role: 'admin', role_type: 4, restricted_agent: false });
    const me = (await h.call('GET', '/api/v2/users/me')).body.user;
    const demoteOwner = await h.call('PUT', `/api/v2/users/${me.id}`, { user: { role: 'agent' } });
    expect(demoteOwner.status).toBe(422);
    expect((await h.call('DELETE', `/api/v2/users/${me.id}`)).status).toBe(403);
    const bad = await h.call('POST', '/api/v2/users', { user: { name: 'R', role: 'owner' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.role[0].error).toBe('InvalidValue');
  });

  it('suspends and unsuspends without touching active; DELETE answers 200 with active:false', async () => {
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'S', email: 's@x.test' } })).body.user;
    const s = await h.call('PUT', `/api/v2/users/${u.id}`, { user: { suspended: true } });
    expect(s.body.user).toMatchObject({ suspended: true, active: true });
    const back = await h.call('PUT', `/api/v2/users/${u.id}.json`, { user: { suspended: false } });
    expect(back.body.user.suspended).toBe(false);
    const del = await h.call('DELETE', `/api/v2/users/${u.id}`);
    expect(del.status).toBe(200);
    expect(del.body.user.active).toBe(false);
    expect((await h.call('DELETE', `/api/v2/users/${u.id}`)).status).toBe(404);
    expect((await h.call('GET', '/api/v2/users/999')).body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
  });

  it('sideloads identities, roles, groups and organizations with include=', async () => {
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'Side', email: 'side@x.test', role: 'agent', organization: { name: 'Org A' } } })).body.user;
    const r = await h.call('GET', `/api/v2/users/${u.id}?include=identities,groups,organizations,roles`);
    expect(r.body.identities).toEqual([expect.objectContaining({ user_id: u.id, type: 'email', value: 'side@x.test', primary: true })]);
    expect(r.body.groups.map((g: Json) => g.name)).toEqual(['Support']);
    expect(r.body.organizations).toEqual([expect.objectContaining({ id: u.organization_id, name: 'Org A' })]);
    expect(r.body.roles).toEqual([]);
    const list = await h.call('GET', '/api/v2/users?page[size]=100&include=identities');
    expect(list.body.identities.length).toBeGreaterThanOrEqual(list.body.users.filter((x: Json) => x.email).length);
  });

  it('adds a secondary identity when email changes on update', async () => {
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'I', email: 'i1@x.test' } })).body.user;
    const r = await h.call('PUT', `/api/v2/users/${u.id}`, { user: { email: 'i2@x.test' } });
    expect(r.body.user.email).toBe('i1@x.test');
    const dup = await h.call('POST', '/api/v2/users', { user: { name: 'J', email: 'i2@x.test' } });
    expect(dup.status).toBe(422);
  });

  it('searches by query and by external_id, shows many, counts', async () => {
    const byExt = await h.call('GET', '/api/v2/users/search?external_id=E-1');
    expect(byExt.body.users).toHaveLength(1);
    const byEmail = await h.call('GET', `/api/v2/users/search.json?query=${encodeURIComponent('email:ann@x.test')}`);
    expect(byEmail.body.users[0].external_id).toBe('e-1');
    expect(byEmail.body).toHaveProperty('next_page', null);
    const ids = byEmail.body.users[0].id;
    const many = await h.call('GET', `/api/v2/users/show_many?ids=${ids},1`);
    expect(many.body.users.map((u: { id: number }) => u.id)).toEqual([ids]);
    // show_many also takes external_ids (https://developer.zendesk.com/api-reference/ticketing/users/users/#show-many-users), case-insensitively, unknown ones left out, 100 at most.
    const byExternalIds = await h.call('GET', `/api/v2/users/show_many?external_ids=E-1,nobody-here`);
    expect(byExternalIds.body.users.map((u: { id: number }) => u.id)).toEqual([ids]);
    const tooManyExt = await h.call('GET', `/api/v2/users/show_many?external_ids=${Array.from({ length: 101 }, (_, i) => `x-${i}`).join(',')}`);
    expect(tooManyExt.status).toBe(400);
    const tooMany = await h.call('GET', `/api/v2/users/show_many?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toBe('TooManyValues');
    const count = await h.call('GET', '/api/v2/users/count');
    expect(count.body.count.value).toBeGreaterThan(3);
  });
});

describe('paging', () => {
  let p: Harness;
  beforeAll(async () => {
    p = await startHarness();
    await p.control('POST', '/__sandbox/accounts/acme/seed', { count: 249 });
  });
  afterAll(() => p.close());

  it('walks cursor pages; the last page keeps links.next with has_more:false', async () => {
    let next: string | null = `/api/v2/users.json?page[size]=100`;
    const seen: number[] = [];
    let last: Json;
    while (next) {
      last = (await p.call('GET', next)).body;
      seen.push(...last.users.map((u: { id: number }) => u.id));
      next = last.meta.has_more ? last.links.next.replace(p.url, '') : null;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(last.meta.has_more).toBe(false);
    expect(last.links.next).toMatch(/page%5Bafter%5D=/);
    const back = (await p.call('GET', last.links.prev.replace(p.url, ''))).body;
    expect(back.users).toHaveLength(100);
    expect(back.users[99].id).toBeLessThan(last.users[0].id);
  });

  it('pages by offset with next_page, count, and refuses past 10,000 records', async () => {
    const first = (await p.call('GET', '/api/v2/users?per_page=100')).body;
    expect(first.count).toBe(250);
    expect(first.next_page).toBe(`${p.url}/api/v2/users.json?per_page=100&page=2`);
    const third = (await p.call('GET', '/api/v2/users?page=3&per_page=100')).body;
    expect(third.users).toHaveLength(50);
    expect(third.next_page).toBeNull();
    const deep = await p.call('GET', '/api/v2/users?page=101&per_page=100');
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].code).toBe('InvalidPaginationDepth');
    expect((await p.call('GET', '/api/v2/users?page=100&per_page=100')).status).toBe(200);
  });

  it('filters by role', async () => {
    const admins = (await p.call('GET', '/api/v2/users?role=admin')).body;
    expect(admins.users.every((u: { role: string }) => u.role === 'admin')).toBe(true);
    expect(admins.count).toBe(1);
  });
});
