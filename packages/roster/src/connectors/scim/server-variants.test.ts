/**
 * Answers that differ from SCIMMY's but stay within RFC 7643/7644 (or bend it the way apps in the
 * wild do): attribute names in another case (RFC 7643 §2.1), a ListResponse without `Resources`
 * when nothing matched, without `itemsPerPage` or `totalResults`, ids that are not UUIDs, bulk
 * results without `location`, member types in lower case.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_SPC, fakeApp, listOf } from './fake-app.test-support.ts';

describe('scim connector reading answers that differ from SCIMMY', () => {
  it('reads attribute names, message fields and schema URNs in any case', async () => {
    const spc = { Schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'], Patch: { Supported: true }, BULK: { supported: 'true', MaxOperations: 5, maxpayloadsize: 100_000 }, Filter: { SUPPORTED: true, MaxResults: 7 }, ETag: { Supported: false } };
    const ada = {
      SCHEMAS: ['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER', 'urn:ietf:params:scim:schemas:extension:Enterprise:2.0:User'],
      ID: 'a1',
      UserName: 'ada@x.com',
      ExternalID: 'ext-ada',
      DisplayName: 'Ada',
      Emails: [{ Value: 'ada@x.com', Type: 'Work', Primary: true }],
      Active: false,
      'urn:ietf:params:scim:schemas:extension:Enterprise:2.0:User': { Department: 'Engines' },
      Meta: { LastModified: '2026-01-01T00:00:00Z' },
    };
    const { c, seen } = fakeApp(
      ({ path, query }) => {
        if (path === '/ResourceTypes') return { status: 200, body: { RESOURCES: [{ Name: 'User', Endpoint: '/Users', Schema: 'urn:ietf:params:scim:schemas:core:2.0:user', SchemaExtensions: [{ Schema: 'urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User' }] }, { name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' }] } };
        if (path === '/Schemas') return { status: 404 };
        if (path === '/Users' && query.get('filter')) return { status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], TotalResults: 1, RESOURCES: [ada] } };
        if (path === '/Users/a1') return { status: 200, body: ada };
        return { status: 404, body: { Schemas: ['URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:ERROR'], Status: '404', Detail: 'no such user' } };
      },
      {},
      () => spc,
    );
    const caps = await c.capabilities();
    expect(caps.ok && [caps.value.bulk, caps.value.bulkMaxItems]).toEqual([true, 5]);
    const found = await c.users.findBy('external_id', 'ext-ada');
    expect(found.ok && found.value.map((u) => [u.id, u.externalId, u.email, u.name, u.suspended])).toEqual([['a1', 'ext-ada', 'ada@x.com', 'Ada', true]]);
    expect(found.ok && found.value[0]?.attributes['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department']).toBe('Engines');
    expect(found.ok && found.value[0]?.updatedAt).toBe('2026-01-01T00:00:00Z');
    expect(seen.find((s) => s.query.get('filter'))?.query.get('count')).toBe('7');
    const missing = await c.users.update('zz', { attributes: { title: 'x' } });
    expect(missing.ok ? null : missing.error).toMatchObject({ code: 'scim.not_found', message: expect.stringContaining('zz') });
  });

  it('reads a ListResponse without Resources (nothing matched), without itemsPerPage, and one without totalResults up to an empty page', async () => {
    const { c } = fakeApp(() => ({ status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0 } }));
    const none = await c.users.findByMany('email', ['a@x.com', 'b@x.com']);
    expect(none.ok && none.value).toEqual([]);
    const pages: number[] = [];
    for await (const p of c.users.list()) pages.push(p.ok ? p.value.length : -1);
    expect(pages).toEqual([0]);

    const all = Array.from({ length: 13 }, (_, i) => ({ id: String(1000 + i), userName: `u${i}@x.com` }));
    const { c: c2, seen } = fakeApp(({ query }) => {
      const start = Number(query.get('startIndex'));
      const page = all.slice(start - 1, start - 1 + Number(query.get('count')));
      return { status: 200, body: page.length ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], Resources: page } : { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], Resources: [] } };
    });
    const ids: string[] = [];
    for await (const p of c2.users.list()) if (p.ok) ids.push(...p.value.map((u) => u.id));
    expect(ids).toEqual(all.map((u) => u.id));
    expect(seen.filter((s) => s.path === '/Users').map((s) => s.query.get('startIndex'))).toEqual(['1', '11', '14']);
    // A body that is neither (no totalResults, no Resources) is not taken for an empty app.
    const { c: c3 } = fakeApp(() => ({ status: 200, body: { users: [] } }));
    const r = await c3.users.findBy('userName', 'x');
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.unexpected_response', message: expect.stringContaining('not a ListResponse') });
  });

  it('takes ids that are not UUIDs (numbers, slashes, spaces, colons) into paths, filters and membership ids', async () => {
    const { c, seen } = fakeApp(({ method, path, query }) => {
      if (path === '/Users' && query.get('filter')) return { status: 200, body: listOf([{ id: 42, userName: 'n@x.com', externalId: 'ext-n' }]) };
      if (method === 'GET' && path === '/Users/team%2F7%20b') return { status: 200, body: { id: 'team/7 b', userName: 't@x.com' } };
      if (method === 'GET' && path === '/Groups/g%3A1') return { status: 200, body: { id: 'g:1', displayName: 'G', members: [{ value: 'u:2', type: 'user' }, { value: 'g:0', type: 'Group' }] } };
      if (method === 'PATCH') return { status: 204 };
      return { status: 404 };
    });
    const n = await c.users.findBy('external_id', 'ext-n');
    expect(n.ok && n.value[0]?.id).toBe('42');
    const t = await c.users.get('team/7 b');
    expect(t.ok && t.value?.id).toBe('team/7 b');
    const members = [];
    for await (const p of c.groups!.listMembers('g:1')) if (p.ok) members.push(...p.value);
    // A lower-case member type is still a user; a nested group is not.
    expect(members).toEqual([{ membershipId: 'g%3A1:u%3A2', userId: 'u:2' }]);
    expect((await c.groups!.removeMember(members[0]!.membershipId)).ok).toBe(true);
    const patch = seen.find((s) => s.method === 'PATCH')!;
    expect([patch.path, (patch.body as { Operations: unknown[] }).Operations]).toEqual(['/Groups/g%3A1', [{ op: 'remove', path: 'members[value eq "u:2"]' }]]);
  });

  it('maps bulk results without location by bulkId and the answered id, and looks up a create confirmed with neither', async () => {
    const { c, seen } = fakeApp(
      ({ path, body, query }) => {
        if (path === '/Bulk') {
          const ops = (body as { Operations: { bulkId: string }[] }).Operations;
          return { status: 200, body: { Operations: ops.map((o, i) => (i === 0 ? { method: 'POST', bulkId: o.bulkId, status: 201, response: { id: 'x0' } } : { method: 'POST', bulkId: o.bulkId, status: { code: '201' } })) } };
        }
        if (path === '/Users' && query.get('filter')?.includes('ext-1')) return { status: 200, body: listOf([{ id: 'x1', externalId: 'ext-1', userName: 'one' }]) };
        return { status: 200, body: listOf([]) };
      },
      {},
      () => ({ ...FAKE_SPC, bulk: { supported: true, maxOperations: 10, maxPayloadSize: 100_000 } }),
    );
    const r = await c.users.createMany!([0, 1].map((i) => ({ externalId: `ext-${i}`, roleKey: 'user', attributes: { name: `N${i}` } })));
    expect(r.ok && r.value.map((x) => (x.ok ? x.id : x.error.code))).toEqual(['x0', 'x1']);
    expect(seen.filter((s) => s.path === '/Bulk')).toHaveLength(1);
  });
});
