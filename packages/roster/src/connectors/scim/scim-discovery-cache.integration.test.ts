/**
 * The discovery shared by a process's connections (discovery-cache.ts) against the SCIMMY peer:
 * counted at the peer's proxy. Its own file: the cache is module state and SCIMMY's config too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeps } from '../zendesk/sandbox-accounts.test-support.ts';
import { scimConfigSchema, type ScimConfigInput } from './config.ts';
import { connectScim } from './connector.ts';
import { createDiscoveryCache } from './discovery-cache.ts';
import { PEER_TOKEN, startScimPeer, type ScimPeer } from './scim-peer.test-support.ts';

const DISCOVERY = ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas'];

describe('scim discovery shared by the connections of one process', () => {
  let peer: ScimPeer;
  let clock = Date.parse('2026-12-07T12:00:00Z');
  const connect = (extra: Partial<ScimConfigInput> = {}) =>
    connectScim(scimConfigSchema.parse({ method: 'bearer', baseUrl: peer.baseUrl, token: PEER_TOKEN, ...extra }), testDeps(undefined, { now: () => clock }));
  const discoveryReads = (from: number) => peer.requests.slice(from).filter((q) => DISCOVERY.some((p) => q.path.endsWith(p))).length;
  const addOne = async (c: ReturnType<typeof connect>, n: number) => {
    const r = await c.users.create({ externalId: `ext-cache-${n}`, roleKey: 'user', attributes: { name: `Cache ${n}`, email: `cache-${n}@example.com` } });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  beforeAll(async () => {
    peer = await startScimPeer({ bulk: true, maxResults: 40, empty: true });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('reads discovery once for every connection of the same config; a one-user write then costs only its own requests', async () => {
    const mark = peer.requests.length;
    const first = connect();
    const u = await addOne(first, 1);
    expect(discoveryReads(mark)).toBe(3);
    const second = peer.requests.length;
    // A new connection, as each incremental job opens: no discovery read, just the identity check and the write.
    const next = connect();
    expect((await next.capabilities()).ok).toBe(true);
    const found = await next.users.get(u.id);
    expect(found.ok && found.value?.externalId).toBe('ext-cache-1');
    const r = await next.users.update(u.id, { attributes: { title: 'Cached' } });
    expect(r.ok).toBe(true);
    expect(peer.requests.slice(second).map((q) => `${q.method} ${q.path.replace(/^.*\/scim\/v2/, '').replace(u.id, '{id}')}`)).toEqual(['GET /Users/{id}', 'PATCH /Users/{id}']);
  });

  it('reads again after 10 minutes, after any change of the connection, and on Test connection', async () => {
    let mark = peer.requests.length;
    expect((await connect().capabilities()).ok).toBe(true);
    expect(discoveryReads(mark)).toBe(0);
    clock += 10 * 60_000;
    expect((await connect().capabilities()).ok).toBe(true);
    expect(discoveryReads(mark)).toBe(3);
    mark = peer.requests.length;
    // Another stored connection (a new token, another timeout): another key.
    expect((await connect({ requestTimeoutMs: 20_000 }).capabilities()).ok).toBe(true);
    expect(discoveryReads(mark)).toBe(3);
    mark = peer.requests.length;
    const report = await connect().check();
    expect(report.ok).toBe(true);
    expect(discoveryReads(mark)).toBe(4); // check's own /ServiceProviderConfig probe, then the fresh discovery
  });

  it('drops the shared entry when the app contradicts it (bulk advertised, /Bulk refused): the next connection reads again and sees the change', async () => {
    const before = connect();
    expect((await before.capabilities()).ok).toBe(true);
    peer.configure({ bulk: false });
    try {
      const liar = connect();
      const caps = await liar.capabilities();
      expect(caps.ok && caps.value.bulk).toBe(true); // still the shared read from before the app changed
      const mark = peer.requests.length;
      const r = await liar.users.createMany!([2, 3].map((n) => ({ externalId: `ext-cache-${n}`, roleKey: 'user', attributes: { name: `Cache ${n}`, email: `cache-${n}@example.com` } })));
      expect(r.ok && r.value.every((x) => x.ok)).toBe(true);
      const after = connect();
      const fresh = await after.capabilities();
      expect(fresh.ok && fresh.value.bulk).toBe(false);
      expect(discoveryReads(mark)).toBe(3);
    } finally {
      peer.configure({ bulk: true });
    }
  });

  it('keeps no failed read, shares one read between connections asking at once, and holds a bounded number of entries', async () => {
    const cache = createDiscoveryCache(2);
    let loads = 0;
    const fail = async () => {
      loads += 1;
      return { ok: false as const, error: { code: 'scim.unreachable', class: 'transient' as const, message: 'down', advice: '' } };
    };
    const good = async () => {
      loads += 1;
      return { ok: true as const, value: {} as never };
    };
    expect((await cache.read('a', 0, 60_000, fail)).ok).toBe(false);
    expect((await cache.read('a', 1, 60_000, good)).ok).toBe(true);
    expect(loads).toBe(2);
    await Promise.all([cache.read('b', 2, 60_000, good), cache.read('b', 2, 60_000, good)]);
    expect(loads).toBe(3);
    await cache.read('c', 3, 60_000, good);
    expect(cache.size()).toBe(2);
    await cache.read('a', 4, 60_000, good); // 'a' was the oldest: evicted, read again
    expect(loads).toBe(5);
    await cache.read('z', 5, 0, good); // no sharing
    expect(cache.size()).toBe(2);
  });
});
