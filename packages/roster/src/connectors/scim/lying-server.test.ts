/**
 * Servers that bend SCIM, played by an in-process fetch: ETags and If-Match, a 2xx create without
 * an id, 409 without scimType, non-SCIM answers, a list that ignores startIndex, a
 * ServiceProviderConfig that is not one, and client-credentials tokens. None may crash or loop.
 */
import { describe, expect, it } from 'vitest';
import type { ScimConfigInput } from './config.ts';
import { FAKE_SPC, fakeApp, listOf, type FakeHandler } from './fake-app.test-support.ts';

let spc: Record<string, unknown> | null = null;
const SPC = FAKE_SPC;
const list = listOf;
const fake = (handler: FakeHandler, config: Partial<ScimConfigInput> = {}) => fakeApp(handler, config, () => spc);

const user = (id: string, extra: Record<string, unknown> = {}) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName: `${id}@x.com`, externalId: `ext-${id}`, ...extra });

describe('scim connector against servers that bend the protocol', () => {
  it('sends If-Match with the version it read, and on 412 reads again and retries once with the new one', async () => {
    let version = 1;
    const { c, seen } = fake(({ method, headers }) => {
      if (method === 'GET') return { status: 200, body: user('u1', { meta: { version: `W/"${version}"` } }), headers: { etag: `W/"${version}"` } };
      if (method === 'PATCH') {
        if (headers.get('if-match') !== `W/"${version}"`) return { status: 412, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412', detail: 'stale' } };
        version += 1;
        return { status: 200, body: user('u1', { displayName: 'New' }), headers: { etag: `W/"${version}"` } };
      }
      return { status: 500 };
    });
    expect((await c.users.get('u1')).ok).toBe(true);
    version = 5; // changed in the app meanwhile
    const r = await c.users.update('u1', { attributes: { name: 'New' } });
    expect(r.ok && r.value.name).toBe('New');
    expect(seen.filter((s) => s.method === 'PATCH').map((s) => s.ifMatch)).toEqual(['W/"1"', 'W/"5"']);
  });

  it('gives up after a second 412 as a transient version mismatch', async () => {
    const { c } = fake(({ method }) => (method === 'GET' ? { status: 200, body: user('u1', { meta: { version: 'W/"1"' } }) } : { status: 412, body: { detail: 'stale' } }));
    await c.users.get('u1');
    const r = await c.users.update('u1', { attributes: { name: 'x' } });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.version_mismatch', class: 'transient' });
  });

  it('adopts the account after a create answered 201 without an id, and reports it when there is none', async () => {
    let stored = false;
    const { c } = fake(({ method, query }) => {
      if (method === 'POST') {
        stored = true;
        return { status: 201, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a@x.com' } };
      }
      if (method === 'GET' && query.get('filter')) return { status: 200, body: list(stored ? [user('u9', { externalId: 'ext-a' })] : []) };
      return { status: 404 };
    });
    const r = await c.users.create({ externalId: 'ext-a', roleKey: 'user', attributes: { name: 'A', email: 'a@x.com' } });
    expect(r.ok && r.value.id).toBe('u9');
    const { c: c2, seen } = fake(({ method }) => (method === 'POST' ? { status: 200, body: { ok: true } } : { status: 200, body: list([]) }));
    const r2 = await c2.users.create({ externalId: 'ext-b', roleKey: 'user', attributes: { name: 'B' } });
    expect(r2.ok ? null : r2.error).toMatchObject({ code: 'scim.unexpected_response', class: 'transient', advice: expect.stringContaining('without an id') });
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('names the fields of a 409 without scimType by the values the app quoted', async () => {
    const { c } = fake(({ method }) => (method === 'POST' ? { status: 409, body: { message: 'User with email taken@x.com exists' } } : { status: 200, body: list([]) }));
    const r = await c.users.create({ externalId: 'ext-t', roleKey: 'user', attributes: { name: 'T', email: 'taken@x.com', userName: 'tee' } });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.uniqueness', class: 'object', fields: { email: ['User with email taken@x.com exists'] } });
    expect(Object.keys((r.ok ? {} : r.error.fields) ?? {})).toEqual(['email']);
  });

  it('stops a listing that ignores startIndex instead of looping', async () => {
    const { c, seen } = fake(() => ({ status: 200, body: list([user('a'), user('b')], 100) }));
    const pages = [];
    for await (const page of c.users.list()) pages.push(page);
    expect(pages.map((p) => (p.ok ? p.value.length : p.error.code))).toEqual([2, 'scim.paging_broken']);
    expect(seen.filter((s) => s.path === '/Users')).toHaveLength(2);
  });

  it('reports a list whose resources have no id, and non-SCIM JSON, as unexpected answers', async () => {
    const { c } = fake(() => ({ status: 200, body: list([{ userName: 'no-id' }]) }));
    const r = await c.users.findBy('userName', 'no-id');
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.unexpected_response', class: 'transient' });
    const { c: c2 } = fake(() => ({ status: 200, body: { users: [] } }));
    const r2 = await c2.users.findBy('userName', 'x');
    expect(r2.ok ? null : r2.error).toMatchObject({ code: 'scim.unexpected_response' });
  });

  it('fails Test connection at "reach" when the base URL answers something other than SCIM', async () => {
    const { c } = fake(() => ({ status: 200, body: '<html><title>Acme login</title></html>' }), { baseUrl: 'https://app.test/login' });
    const report = await c.check();
    expect(report.ok).toBe(false);
    expect(report.steps.at(-1)).toMatchObject({ name: 'reach', ok: false, message: expect.stringContaining('HTML page') });
    const caps = await c.capabilities();
    expect(caps.ok ? null : caps.error).toMatchObject({ class: 'configuration' });
  });

  it('fetches a client-credentials token once, shares it, and fetches again after a 401', async () => {
    let tokens = 0;
    let valid = '';
    const { c, seen } = fake(
      ({ path, method, headers }) => {
        if (path === '/token' && method === 'POST') {
          tokens += 1;
          valid = `tok-${tokens}`;
          return { status: 200, body: { access_token: valid, token_type: 'Bearer', expires_in: 3600 } };
        }
        if (headers.get('authorization') !== `Bearer ${valid}`) return { status: 401, body: { detail: 'expired' } };
        return { status: 200, body: list([]) };
      },
      { method: 'oauth_client_credentials', tokenUrl: 'https://app.test/token', clientId: 'id', clientSecret: 's' } as Partial<ScimConfigInput>,
    );
    await Promise.all([c.users.findBy('userName', 'a'), c.users.findBy('userName', 'b')]);
    expect(tokens).toBe(1);
    valid = 'revoked';
    const r = await c.users.findBy('userName', 'c');
    expect(r.ok).toBe(true);
    expect(tokens).toBe(2);
    expect(seen.find((s) => s.path === '/token')?.auth).toBe(`Basic ${Buffer.from('id:s').toString('base64')}`);
  });

  it('retries a read after a dropped connection but never repeats a POST; the create is looked up instead', async () => {
    let drops = 0;
    const { c, seen } = fake(({ method }) => {
      if (method === 'POST') return 'drop';
      if (drops > 0) {
        drops -= 1;
        return 'drop';
      }
      return { status: 200, body: list([]) };
    });
    expect((await c.capabilities()).ok).toBe(true);
    drops = 1;
    const r = await c.users.create({ externalId: 'ext-d', roleKey: 'user', attributes: { name: 'D' } });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.unreachable', class: 'transient' });
    // Three attempts, each followed by a look-up by externalId and one by userName (the first retried after its drop).
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(3);
    expect(seen.filter((s) => s.method === 'GET' && s.path === '/Users')).toHaveLength(7);
  });
});

describe('scim bulk against an app whose real limits are lower than advertised', () => {
  it('halves a chunk the app refuses as too large until it fits, and maps every result back', async () => {
    spc = { ...SPC, etag: { supported: false }, bulk: { supported: true, maxOperations: 100, maxPayloadSize: 1_000_000 } };
    try {
      let n = 0;
      const sizes: number[] = [];
      const { c } = fake(({ path, body }) => {
        if (path !== '/Bulk') return { status: 200, body: list([]) };
        const ops = (body as { Operations: { bulkId: string }[] }).Operations;
        sizes.push(ops.length);
        if (ops.length > 2) return { status: 413, body: { detail: 'Payload too large' } };
        return { status: 200, body: { Operations: ops.map((o) => ({ method: 'POST', bulkId: o.bulkId, status: '201', location: `/scim/Users/id-${(n += 1)}` })) } };
      });
      const r = await c.users.createMany?.(Array.from({ length: 5 }, (_, i) => ({ externalId: `e${i}`, roleKey: 'user', attributes: { name: `N${i}` } })));
      expect(r?.ok && r.value.map((x) => x.ok)).toEqual([true, true, true, true, true]);
      expect(sizes).toEqual([5, 3, 2, 1, 2]);
      expect(new Set(r?.ok ? r.value.map((x) => (x.ok ? x.id : '')) : []).size).toBe(5);
    } finally {
      spc = null;
    }
  });
});

describe('scim creates against an app that keeps no externalId', () => {
  it("adopts its own account by userName after a lost answer, but never an older account with that userName", async () => {
    const store: Record<string, unknown>[] = [];
    let drop = true;
    const { c, seen } = fake(({ method, body, query }) => {
      if (method === 'POST') {
        const rec: Record<string, unknown> = { ...(body as Record<string, unknown>), id: `n${store.length}`, meta: { created: new Date().toISOString() } };
        delete rec['externalId'];
        if (store.some((u) => u['userName'] === rec['userName'])) return { status: 409, body: { detail: 'userName taken' } };
        store.push(rec);
        if (drop) return 'drop';
        return { status: 201, body: rec };
      }
      const f = query.get('filter') ?? '';
      return { status: 200, body: list(store.filter((u) => f.includes(`"${String(u['userName'])}"`) && f.startsWith('userName'))) };
    });
    const r = await c.users.create({ externalId: 'ext-1', roleKey: 'user', attributes: { name: 'One', email: 'one@x.com' } });
    expect(r.ok && r.value.id).toBe('n0');
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    // An account made long ago with the same userName is someone else's: refused, not adopted.
    drop = false;
    store.push({ id: 'old', userName: 'two@x.com', meta: { created: '2020-01-01T00:00:00Z' } });
    const r2 = await c.users.create({ externalId: 'ext-2', roleKey: 'user', attributes: { name: 'Two', email: 'two@x.com' } });
    expect(r2.ok ? null : r2.error).toMatchObject({ code: 'scim.uniqueness', class: 'object' });
  });
});

describe('scim writes against an app that advertises PATCH but refuses it', () => {
  it('switches the connection to GET + PUT after a 501, for users and groups', async () => {
    const seenBodies: unknown[] = [];
    const { c, seen } = fake(({ method, path, body }) => {
      if (method === 'PATCH') return { status: 501, body: { detail: 'Not Implemented' } };
      if (method === 'PUT') {
        seenBodies.push(body);
        return { status: 200, body };
      }
      if (path.startsWith('/Groups/')) return { status: 200, body: { id: 'g1', displayName: 'G', members: [{ value: 'u0' }] } };
      return { status: 200, body: user('u1', { displayName: 'Old', nickName: 'keep', meta: { version: 'W/"1"' } }) };
    });
    const r = await c.users.update('u1', { attributes: { name: 'New' } });
    expect(r.ok && r.value.name).toBe('New');
    expect(seenBodies[0]).toMatchObject({ id: 'u1', displayName: 'New', nickName: 'keep' });
    const m = await c.groups?.addMember('g1', 'u1');
    expect(m?.ok).toBe(true);
    expect(seenBodies[1]).toMatchObject({ id: 'g1', members: [{ value: 'u0' }, { value: 'u1' }] });
    // One refused PATCH, then PUT only.
    expect(seen.filter((s) => s.method === 'PATCH')).toHaveLength(1);
    expect(seen.filter((s) => s.method === 'PUT').map((s) => s.ifMatch)).toEqual(['W/"1"', null]);
  });
});

describe('scim Test connection', () => {
  it('fails at "authenticate" when ServiceProviderConfig is public but the credentials may not list users', async () => {
    const { c } = fake(() => ({ status: 401, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'Invalid token' } }));
    const report = await c.check();
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.name, s.ok])).toEqual([['reach', true], ['authenticate', false]]);
    expect(report.steps.at(-1)?.message).toContain('Invalid token');
  });

  it('names the missing discovery endpoints as warnings and still succeeds', async () => {
    const { c } = fake(({ path }) => (path === '/Users' ? { status: 200, body: list([], 7) } : { status: 404, body: { detail: 'Endpoint Not Found' } }));
    const report = await c.check();
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.name === 'authenticate')?.message).toContain('7 in the app');
    expect(report.warnings.join(' ')).toContain('/ResourceTypes');
    expect(report.warnings.join(' ')).toContain('/Schemas');
    expect(report.actingAs).toEqual({ id: 'a bearer token', email: null, role: 'SCIM client' });
  });
});
