/**
 * What the connector sends, checked against RFC 7644: media types (§3.1, §8.1), filters and their
 * quoting in the URL (§3.4.2.2, RFC 3986), paging parameters (§3.4.2.4), POST and PATCH bodies with
 * their `schemas` (§3.3, §3.5.2; RFC 7643 §3, §4.3), `/Bulk` bodies (§3.7), member operations
 * (§3.5.2.1–2), `excludedAttributes` (§3.4.2.5) and `If-Match` (§3.14; RFC 9110 §8.8.3).
 */
import { describe, expect, it } from 'vitest';
import { FAKE_SPC, fakeApp, listOf, type FakeRequest } from './fake-app.test-support.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const noEtagBulk = { ...FAKE_SPC, etag: { supported: false }, bulk: { supported: true, maxOperations: 100, maxPayloadSize: 1_000_000 } };
const user = (id: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE_USER], id, userName: `${id}@x.com`, externalId: `ext-${id}`, ...extra });
const filterOf = (r: FakeRequest) => r.query.get('filter');

describe('requests the SCIM connector sends', () => {
  it('asks for application/scim+json, and labels every body it sends with it (none on GET and DELETE)', async () => {
    const { c, seen } = fakeApp(({ method }) => {
      if (method === 'POST') return { status: 201, body: user('u1') };
      if (method === 'PATCH') return { status: 200, body: user('u1', { title: 'T' }) };
      if (method === 'DELETE') return { status: 204 };
      return { status: 200, body: listOf([]) };
    });
    expect((await c.users.create({ externalId: 'ext-u1', roleKey: 'user', attributes: { name: 'U', email: 'u1@x.com' } })).ok).toBe(true);
    expect((await c.users.update('u1', { attributes: { title: 'T' } })).ok).toBe(true);
    expect((await c.users.delete('u1')).ok).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const r of seen) {
      expect(r.headers.get('accept')?.split(',')[0]?.trim()).toBe('application/scim+json');
      if (r.method === 'GET' || r.method === 'DELETE') expect(r.headers.get('content-type')).toBeNull();
      else expect(r.headers.get('content-type')).toBe('application/scim+json');
    }
  });

  it('writes filters as JSON strings in the URL percent-encoded by RFC 3986 (%20, never +), with startIndex and count within maxResults', async () => {
    const { c, seen } = fakeApp(() => ({ status: 200, body: listOf([]) }));
    expect((await c.users.findBy('email', 'O"Brien+list\\x@X.com')).ok).toBe(true);
    const search = seen.find((r) => r.path === '/Users' && filterOf(r) !== null)!;
    expect(search.rawQuery).not.toContain('+');
    expect(search.rawQuery).toContain('emails%5Bvalue%20eq%20%22O%5C%22Brien%2Blist%5C%5Cx%40X.com%22%5D');
    expect(filterOf(search)).toBe('emails[value eq "O\\"Brien+list\\\\x@X.com"] or emails[value eq "o\\"brien+list\\\\x@x.com"]');
    expect(search.query.get('startIndex')).toBe('1');
    expect(search.query.get('count')).toBe('10');
    expect((await c.users.findBy('external_id', 'a b')).ok).toBe(true);
    expect(seen.at(-1)?.rawQuery).toMatch(/^filter=externalId%20eq%20%22a%20b%22&startIndex=1&count=10$/);
  });

  it('POSTs a whole User: core and enterprise schemas listed, active, externalId, userName, no id; a role as roles', async () => {
    const { c, seen } = fakeApp(({ method, body }) => (method === 'POST' ? { status: 201, body: { ...(body as object), id: 'new-1' } } : { status: 200, body: listOf([]) }));
    const r = await c.users.create({ externalId: 'ext-9', roleKey: 'role:agent', attributes: { name: 'Nine', email: 'nine@x.com', [`${ENTERPRISE}:department`]: 'Ops' } });
    expect(r.ok).toBe(true);
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.path).toBe('/Users');
    expect(post.body).toEqual({
      schemas: [CORE_USER, ENTERPRISE],
      userName: 'nine@x.com',
      displayName: 'Nine',
      emails: [{ value: 'nine@x.com', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Ops' },
      externalId: 'ext-9',
      roles: [{ value: 'agent', primary: true }],
      active: true,
    });
    // Without an extension attribute the extension is not listed.
    await c.users.create({ externalId: 'ext-10', roleKey: 'user', attributes: { name: 'Ten', email: 'ten@x.com' } });
    expect((seen.filter((s) => s.method === 'POST').at(-1)?.body as { schemas: string[] }).schemas).toEqual([CORE_USER]);
  });

  it('PATCHes with the PatchOp schema and lower-case ops: replace what changed, remove what was emptied, active for suspension', async () => {
    const { c, seen } = fakeApp(({ method }) => (method === 'PATCH' ? { status: 200, body: user('u1') } : { status: 200, body: listOf([]) }), {}, () => ({ ...FAKE_SPC, etag: { supported: false } }));
    expect((await c.users.update('u1', { attributes: { name: 'New', title: null, [`${ENTERPRISE}:department`]: 'Ops' }, suspended: true })).ok).toBe(true);
    const patch = seen.find((s) => s.method === 'PATCH')!;
    expect(patch.path).toBe('/Users/u1');
    expect(patch.ifMatch).toBeNull();
    expect(patch.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'New' },
        { op: 'remove', path: 'title' },
        { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Ops' },
        { op: 'replace', path: 'active', value: false },
      ],
    });
  });

  it('sends /Bulk with the BulkRequest schema, a bulkId per operation, paths relative to the base URL, and data', async () => {
    const { c, seen } = fakeApp(
      ({ path, body }) => {
        if (path !== '/Bulk') return { status: 200, body: listOf([]) };
        const ops = (body as { Operations: { method: string; bulkId: string; path: string }[] }).Operations;
        return { status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'], Operations: ops.map((o, i) => ({ method: o.method, bulkId: o.bulkId, status: o.method === 'POST' ? '201' : '200', location: `https://app.test/scim/Users/${o.method === 'POST' ? `b${i}` : o.path.split('/').at(-1)}` })) } };
      },
      {},
      () => noEtagBulk,
    );
    const made = await c.users.createMany!([0, 1].map((i) => ({ externalId: `ext-${i}`, roleKey: 'user', attributes: { name: `N${i}` } })));
    expect(made.ok && made.value.map((x) => (x.ok ? x.id : null))).toEqual(['b0', 'b1']);
    const changed = await c.users.updateMany!([{ id: 'u 1', patch: { attributes: { title: 'T' } } }, { id: 'u2', patch: { suspended: true } }]);
    expect(changed.ok && changed.value.every((x) => x.ok)).toBe(true);
    const [creates, updates] = seen.filter((s) => s.path === '/Bulk').map((s) => s.body as { schemas: string[]; Operations: Record<string, unknown>[] });
    expect(creates?.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']);
    expect(creates?.Operations.map((o) => [o['method'], o['path'], o['bulkId'], (o['data'] as { schemas: string[]; externalId: string }).externalId])).toEqual([
      ['POST', '/Users', 'c0', 'ext-0'],
      ['POST', '/Users', 'c1', 'ext-1'],
    ]);
    expect(updates?.Operations).toEqual([
      { method: 'PATCH', path: '/Users/u%201', bulkId: 'u0', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'T' }] } },
      { method: 'PATCH', path: '/Users/u2', bulkId: 'u1', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } },
    ]);
  });

  it('adds members as an add of members, removes each by a value filter (quoted as JSON), and lists groups without their members', async () => {
    const { c, seen } = fakeApp(({ method, path }) => {
      if (method === 'PATCH') return { status: 204 };
      if (path === '/Groups') return { status: 200, body: listOf([{ id: 'g1', displayName: 'G' }]) };
      return { status: 404 };
    });
    const groups = c.groups!;
    expect((await groups.addMember('g1', 'u1')).ok).toBe(true);
    expect((await groups.removeMember('g1:a%22b')).ok).toBe(true);
    const patches = seen.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => [p.path, p.body])).toEqual([
      ['/Groups/g1', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }] }],
      ['/Groups/g1', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members[value eq "a\\"b"]' }] }],
    ]);
    for await (const page of groups.list()) expect(page.ok && page.value.map((g) => g.id)).toEqual(['g1']);
    const listed = seen.find((s) => s.method === 'GET' && s.path === '/Groups')!;
    expect(listed.rawQuery).toBe('excludedAttributes=members&startIndex=1&count=10');
  });

  it('PUTs (an app without PATCH) the resource read back without its readOnly meta and groups', async () => {
    const { c, seen } = fakeApp(({ method, body }) => (method === 'GET' ? { status: 200, body: user('u1', { groups: [{ value: 'g1', display: 'G' }], meta: { resourceType: 'User' }, nickName: 'keep' }) } : { status: 200, body: body as object }), {}, () => ({ ...FAKE_SPC, patch: { supported: false }, etag: { supported: false } }));
    expect((await c.users.update('u1', { attributes: { title: 'T' } })).ok).toBe(true);
    expect(seen.find((s) => s.method === 'PUT')?.body).toEqual({ schemas: [CORE_USER], id: 'u1', userName: 'u1@x.com', externalId: 'ext-u1', nickName: 'keep', title: 'T' });
  });

  it('sends If-Match as an entity tag, quoting a meta.version the app wrote bare', async () => {
    const { c, seen } = fakeApp(({ method }) => (method === 'GET' ? { status: 200, body: user('u1', { meta: { version: 'v42' } }) } : { status: 200, body: user('u1') }));
    expect((await c.users.get('u1')).ok).toBe(true);
    expect((await c.users.update('u1', { attributes: { title: 'T' } })).ok).toBe(true);
    expect(seen.find((s) => s.method === 'PATCH')?.ifMatch).toBe('"v42"');
  });
});
