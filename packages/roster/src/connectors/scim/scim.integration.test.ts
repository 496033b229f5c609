import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPacer } from '../../provisioning/apply/pacer.ts';
import type { ConnectorDeps } from '../contract.ts';
import { defineConnectorConformance } from '../conformance/suite.ts';
import { testDeps } from '../zendesk/sandbox-accounts.test-support.ts';
import { scimConfigSchema, type ScimConfigInput } from './config.ts';
import { connectScim } from './connector.ts';
import { ACME_EXTENSION, PEER_BASIC, PEER_CLIENT, PEER_TOKEN, startScimPeer, type ScimPeer } from './scim-peer.test-support.ts';

const connect = (config: ScimConfigInput, deps: Partial<ConnectorDeps> = {}) => connectScim(scimConfigSchema.parse(config), testDeps(deps.pacer, deps));
const bearer = (peer: ScimPeer, extra: Partial<ScimConfigInput> = {}): ScimConfigInput => ({ method: 'bearer', baseUrl: peer.baseUrl, token: PEER_TOKEN, roleValues: ['agent'], ...extra }) as ScimConfigInput;
/** For a test that changes what the peer advertises: a connection that reads discovery itself, not the process's shared read (discovery-cache.ts). */
const unshared = { discoveryCacheMs: 0 };

defineConnectorConformance('scim (SCIMMY peer, bearer token, bulk on)', async () => {
  const peer = await startScimPeer({ bulk: true, maxResults: 40 });
  return {
    connect: (options) => connect(bearer(peer, options?.timeoutMs ? { requestTimeoutMs: options.timeoutMs } : {})),
    connectWithBadCredentials: () => connect(bearer(peer, { token: 'wrong-token' } as Partial<ScimConfigInput>)),
    slowDown: async () => peer.faults({ latencyMs: 600 }),
    recover: async () => peer.faults({}),
    slowTimeoutMs: 250,
    endUserRoleKey: 'user',
    agentRoleKey: 'role:agent',
    close: () => peer.close(),
  };
});

describe('scim connector against the SCIMMY peer', () => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await startScimPeer({ bulk: true, maxResults: 40 });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('reports what the app supports as named steps, and derives the capabilities from it', async () => {
    const report = await connect(bearer(peer)).check();
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.map((s) => s.name)).toEqual(['reach', 'authenticate', 'resource types', 'schemas', 'patch', 'bulk', 'filter', 'etag', 'sort', 'change password']);
    const step = (name: string) => report.steps.find((s) => s.name === name)?.message ?? '';
    expect(step('bulk')).toContain('1000 operations');
    expect(step('filter')).toContain('40 results');
    expect(step('etag')).toContain('No ETags');
    expect(report.capabilities).toMatchObject({ bulk: true, bulkMaxItems: 1000, groups: true, suspend: true, customRoles: true, groupMemberRoleKinds: 'all' });
  });

  it('offers the enterprise and the app\'s own extension attributes as mapping targets, and writes and reads them', async () => {
    const c = connect(bearer(peer));
    const fields = await c.fields();
    const keys = fields.ok ? fields.value.map((f) => f.key) : [];
    expect(keys).toEqual(expect.arrayContaining(['userName', 'name.givenName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', `${ACME_EXTENSION}:costCenter`, `${ACME_EXTENSION}:contractor`]));
    const contractor = fields.ok ? fields.value.find((f) => f.key === `${ACME_EXTENSION}:contractor`) : undefined;
    expect(contractor).toMatchObject({ type: 'boolean', custom: true });
    const boss = await c.users.create({ externalId: 'ext-boss', roleKey: 'user', attributes: { name: 'The Boss', email: 'boss@example.com' } });
    if (!boss.ok) throw new Error(boss.error.message);
    const u = await c.users.create({
      externalId: 'ext-attrs',
      roleKey: 'role:agent',
      attributes: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        'name.givenName': 'Ada',
        'name.familyName': 'Lovelace',
        phone: '+44 20 7946 0000',
        title: 'Analyst',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Engines',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager': 'ext-boss',
        [`${ACME_EXTENSION}:costCenter`]: 'CC-7',
      },
    });
    if (!u.ok) throw new Error(u.error.message);
    const stored = peer.users().find((x) => x['externalId'] === 'ext-attrs') ?? {};
    expect(stored).toMatchObject({
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      roles: [{ value: 'agent', primary: true }],
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engines', manager: { value: boss.value.id } },
      [ACME_EXTENSION]: { costCenter: 'CC-7' },
    });
    // The manager is written as a reference to the SCIM id and read back as the externalId the mapping gave.
    expect(u.value.attributes).toMatchObject({ 'name.givenName': 'Ada', phone: '+44 20 7946 0000', [`${ACME_EXTENSION}:costCenter`]: 'CC-7', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager': 'ext-boss' });
    const listed = [];
    for await (const page of connect(bearer(peer)).users.list()) if (page.ok) listed.push(...page.value);
    expect(listed.find((x) => x.id === u.value.id)?.attributes['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager']).toBe('ext-boss');
    // PATCH replaces what changed and removes what was emptied, leaving the rest.
    const changed = await c.users.update(u.value.id, { roleKey: 'user', attributes: { title: null, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Looms', email: 'ada.l@example.com' } });
    if (!changed.ok) throw new Error(changed.error.message);
    const after: Record<string, unknown> = peer.users().find((x) => x['externalId'] === 'ext-attrs') ?? {};
    expect(after['title']).toBeUndefined();
    expect(after['roles']).toBeUndefined();
    expect(after).toMatchObject({ displayName: 'Ada Lovelace', emails: [{ value: 'ada.l@example.com' }], 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Looms' } });
    expect(changed.value).toMatchObject({ roleKey: 'user', email: 'ada.l@example.com' });
    const patches = peer.requests.filter((r) => r.method === 'PATCH' && r.path.includes(u.value.id));
    expect(patches).toHaveLength(1);
  });

  it('finds by userName and by email case-insensitively, or-joined and chunked under maxResults', async () => {
    const c = connect(bearer(peer));
    const made = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await c.users.create({ externalId: `ext-find-${i}`, roleKey: 'user', attributes: { name: `Find ${i}`, email: `find-${i}@example.com` } });
      if (!r.ok) throw new Error(r.error.message);
      made.push(r.value.id);
    }
    const byUserName = await c.users.findBy('userName', 'FIND-3@example.com');
    expect(byUserName.ok && byUserName.value.map((u) => u.id)).toEqual([made[3]]);
    const before = peer.requests.length;
    const many = await c.users.findByMany('email', [...Array.from({ length: 120 }, (_, i) => `nobody-${i}@example.com`), 'find-1@example.com', 'Find-4@Example.com']);
    expect(many.ok && many.value.map((u) => u.id).sort()).toEqual([made[1], made[4]].sort());
    // 122 values, 50 per request.
    expect(peer.requests.length - before).toBe(3);
    for (const emailFilter of ['emails.value', 'userName'] as const) {
      const other = connect(bearer(peer, { emailFilter }));
      const found = await other.users.findBy('email', 'FIND-2@example.com');
      expect(found.ok && found.value.map((u) => u.id)).toEqual([made[2]]);
    }
  });

  it('lists with startIndex paging no larger than maxResults', async () => {
    peer.configure({ maxResults: 3 });
    try {
      const c = connect(bearer(peer, unshared));
      const ids: string[] = [];
      for await (const page of c.users.list({ pageSize: 10 })) {
        if (!page.ok) throw new Error(page.error.message);
        expect(page.value.length).toBeLessThanOrEqual(3);
        ids.push(...page.value.map((u) => u.id));
      }
      expect(ids.length).toBe(peer.users().length);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      peer.configure({ maxResults: 40 });
    }
  });

  it('adds and removes one member by PATCH, leaving other members alone', async () => {
    const c = connect(bearer(peer));
    const groups = c.groups;
    if (!groups) throw new Error('no groups');
    const a = await c.users.create({ externalId: 'ext-mem-a', roleKey: 'user', attributes: { name: 'Mem A', email: 'mem-a@example.com' } });
    const b = await c.users.create({ externalId: 'ext-mem-b', roleKey: 'user', attributes: { name: 'Mem B', email: 'mem-b@example.com' } });
    if (!a.ok || !b.ok) throw new Error('create failed');
    const g = await groups.create({ name: 'Engineers' });
    if (!g.ok) throw new Error(g.error.message);
    await groups.addMember(g.value.id, a.value.id);
    const mb = await groups.addMember(g.value.id, b.value.id);
    expect(mb.ok && mb.value.membershipId).toBe(`${g.value.id}:${b.value.id}`);
    const removed = await groups.removeMember(mb.ok ? mb.value.membershipId : '');
    expect(removed.ok).toBe(true);
    expect(peer.groups().find((x) => x.id === g.value.id)?.['members']).toEqual([{ value: a.value.id }]);
    const groupWrites = peer.requests.filter((r) => r.path.endsWith(g.value.id) && r.method !== 'GET').map((r) => r.method);
    expect(groupWrites).toEqual(['PATCH', 'PATCH', 'PATCH']);
    const missing = await groups.addMember(g.value.id, 'no-such-user');
    expect(missing.ok ? null : missing.error).toMatchObject({ code: 'scim.invalid_value', class: 'object' });
  });

  it('waits out 429 with Retry-After through the shared pacer, and retries 5xx and dropped connections on reads', async () => {
    const slept: number[] = [];
    const pacer = createMemoryPacer({ limitPerMinute: 10_000, sleep: async (ms) => { slept.push(ms); await new Promise((r) => setTimeout(r, ms)); } });
    const c = connect(bearer(peer), { pacer });
    const warm = await c.capabilities();
    expect(warm.ok).toBe(true);
    peer.faults({ rateLimit: { count: 2, retryAfterSeconds: 1 } });
    const started = Date.now();
    const r = await c.users.findBy('userName', 'boss@example.com');
    expect(r.ok && r.value.length).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(slept.filter((ms) => ms > 500).length).toBe(2);
    peer.faults({ serverError: { count: 1, status: 503 }, drop: { count: 1 } });
    const again = await connect(bearer(peer), { sleep: async () => {} }).users.findBy('userName', 'boss@example.com');
    expect(again.ok && again.value.length).toBe(1);
  });

  it("learns the app's budget from its rate-limit headers into the shared pacer, and pauses everyone when it is spent", async () => {
    const limited = await startScimPeer({ bulk: true, requestsPerMinute: 120 });
    try {
      let clock = Date.now();
      const pacer = createMemoryPacer({ limitPerMinute: 300, now: () => clock, sleep: async () => {} });
      const c = connect(bearer(limited), { pacer });
      expect((await c.capabilities()).ok).toBe(true);
      // `RateLimit-Policy: 120;w=60` states the window: 120 per minute, from the app, final.
      expect(pacer.state()).toMatchObject({ limitPerMinute: 120, source: 'target', blockedUntilMs: null });
      // The window nearly spent (a lower limit, as when another integration spends the budget): the answer says 1 remaining and when it resets.
      limited.limit(2);
      clock = Date.now();
      expect((await c.users.get('nobody')).ok).toBe(true);
      expect(pacer.state().limitPerMinute).toBe(2);
      expect(pacer.state().blockedUntilMs).toBeGreaterThan(clock + 50_000);
    } finally {
      await limited.close();
    }
  });

  it('tells the pacer of a burst of 429s to requests in flight together once, and waits each out', async () => {
    const seen: { retryAfterSeconds?: number }[] = [];
    // Pauses every request until a reported Retry-After has passed, as the shared pacer does: a
    // retry sent at once (a pacer that never waits) could reach the peer before the burst's last
    // request and be refused anew, a second report that production never sees.
    let blockedUntil = 0;
    const pacer = {
      acquire: async () => {
        const wait = blockedUntil - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      },
      observe: (info: { retryAfterSeconds?: number }) => {
        seen.push(info);
        if (info.retryAfterSeconds !== undefined) blockedUntil = Date.now() + info.retryAfterSeconds * 1000;
      },
    };
    const c = connect(bearer(peer, { maxConcurrency: 4 } as Partial<ScimConfigInput>), { pacer, sleep: async (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) });
    expect((await c.capabilities()).ok).toBe(true);
    peer.faults({ rateLimit: { count: 4, retryAfterSeconds: 1 } });
    const all = await Promise.all([0, 1, 2, 3].map(() => c.users.get('nobody')));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(seen.filter((i) => i.retryAfterSeconds !== undefined)).toHaveLength(1);
  });

  it('classifies an HTML error page, a lasting 5xx, and a 429 beyond the retries', async () => {
    const c = connect(bearer(peer), { sleep: async () => {} });
    expect((await c.capabilities()).ok).toBe(true);
    peer.faults({ html: { count: 1, status: 200 } });
    const html = await c.users.get('anything');
    expect(html.ok ? null : html.error).toMatchObject({ code: 'scim.not_scim', class: 'configuration' });
    peer.faults({ serverError: { count: 10, status: 502 } });
    const down = await c.users.get('anything');
    expect(down.ok ? null : down.error).toMatchObject({ code: 'scim.unavailable', class: 'transient' });
    peer.faults({ rateLimit: { count: 20, retryAfterSeconds: 600 } });
    const limited = await c.users.get('anything');
    expect(limited.ok ? null : limited.error).toMatchObject({ code: 'scim.rate_limited', class: 'rate_limited', retryAfterSeconds: 600 });
    peer.faults({});
  });

  it('creates once when the answer to the create is lost to a timeout', async () => {
    const c = connect(bearer(peer), { sleep: async () => {} });
    expect((await c.capabilities()).ok).toBe(true);
    peer.faults({ latencyMs: 300 });
    const slow = connect(bearer(peer, { requestTimeoutMs: 150 }), { sleep: async () => {} });
    const first = await slow.users.create({ externalId: 'ext-lost', roleKey: 'user', attributes: { name: 'Lost', email: 'lost@example.com' } });
    peer.faults({});
    expect(first.ok ? null : first.error.class).toBe('transient');
    const retried = await c.users.create({ externalId: 'ext-lost', roleKey: 'user', attributes: { name: 'Lost', email: 'lost@example.com' } });
    expect(retried.ok).toBe(true);
    expect(peer.users().filter((u) => u['externalId'] === 'ext-lost')).toHaveLength(1);
  });

  it('authenticates with HTTP Basic and with OAuth client credentials (token cached, fetched again after a 401)', async () => {
    const basic = connect({ method: 'basic', baseUrl: peer.baseUrl, username: PEER_BASIC.username, password: PEER_BASIC.password });
    expect((await basic.check()).ok).toBe(true);
    const cc = connect({ method: 'oauth_client_credentials', baseUrl: peer.baseUrl, tokenUrl: peer.tokenUrl, clientId: PEER_CLIENT.clientId, clientSecret: PEER_CLIENT.clientSecret });
    const before = peer.tokensIssued();
    expect((await cc.check()).ok).toBe(true);
    expect((await cc.users.findBy('userName', 'boss@example.com')).ok).toBe(true);
    expect(peer.tokensIssued() - before).toBe(1);
    await fetch(peer.tokenUrl.replace('/token', '/revoke-all'), { method: 'POST' });
    const after = await cc.users.findBy('userName', 'boss@example.com');
    expect(after.ok && after.value.length).toBe(1);
    expect(peer.tokensIssued() - before).toBe(2);
    const wrong = connect({ method: 'oauth_client_credentials', baseUrl: peer.baseUrl, tokenUrl: peer.tokenUrl, clientId: PEER_CLIENT.clientId, clientSecret: 'nope' });
    const report = await wrong.check();
    expect(report.ok).toBe(false);
    expect(report.steps.at(-1)?.message).toContain('refused the client credentials');
  });

  it('maps bulk results back by bulkId, splitting by maxOperations and maxPayloadSize', async () => {
    peer.configure({ bulk: { maxOperations: 2, maxPayloadSize: 1048576 } });
    try {
      const c = connect(bearer(peer, unshared));
      const before = peer.requests.filter((r) => r.path.endsWith('/Bulk')).length;
      const inputs = Array.from({ length: 5 }, (_, i) => ({ externalId: `ext-bulk-${i}`, roleKey: 'user', attributes: { name: `Bulk ${i}`, email: i === 3 ? 'boss@example.com' : `bulk-${i}@example.com` } }));
      const r = await c.users.createMany?.(inputs);
      if (!r?.ok) throw new Error('bulk failed');
      expect(r.value.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
      expect(r.value.map((x) => (x.ok ? 'ok' : x.error.code))).toEqual(['ok', 'ok', 'ok', 'scim.uniqueness', 'ok']);
      for (const [i, x] of r.value.entries()) if (x.ok) expect(peer.users().find((u) => u.id === x.id)?.['externalId']).toBe(`ext-bulk-${i}`);
      expect(peer.requests.filter((q) => q.path.endsWith('/Bulk')).length - before).toBe(3);
      // Retried after it ran: every create is adopted, none duplicated.
      const again = await c.users.createMany?.(inputs);
      expect(again?.ok && again.value.map((x) => (x.ok ? x.id : x.error.code))).toEqual(r.value.map((x) => (x.ok ? x.id : x.error.code)));
      expect(peer.users().filter((u) => String(u['externalId']).startsWith('ext-bulk-'))).toHaveLength(4);
    } finally {
      peer.configure({ bulk: true });
    }
  });

  it('sends bulk creates lost with their connection once more in bulk after the look-up finds none, never as single POSTs', async () => {
    const c = connect(bearer(peer), { sleep: async () => {} });
    expect((await c.capabilities()).ok).toBe(true);
    const mark = peer.requests.length;
    peer.faults({ drop: { count: 1 } });
    const inputs = [0, 1, 2].map((i) => ({ externalId: `ext-lost-bulk-${i}`, roleKey: 'user', attributes: { name: `Lost ${i}`, email: `lost-bulk-${i}@example.com` } }));
    const r = await c.users.createMany!(inputs);
    expect(r.ok && r.value.map((x) => x.ok)).toEqual([true, true, true]);
    const sent = peer.requests.slice(mark);
    expect(sent.filter((q) => q.path.endsWith('/Bulk')).map((q) => q.status)).toEqual([0, 200]);
    expect(sent.filter((q) => q.method === 'POST' && q.path.endsWith('/Users'))).toHaveLength(0);
    for (const i of [0, 1, 2]) expect(peer.users().filter((u) => u['externalId'] === `ext-lost-bulk-${i}`)).toHaveLength(1);
  });

  it('sends bulk group creates lost with their connection once more in bulk after the look-up by name finds none', async () => {
    const c = connect(bearer(peer), { sleep: async () => {} });
    expect((await c.capabilities()).ok).toBe(true);
    const mark = peer.requests.length;
    peer.faults({ drop: { count: 1 } });
    const r = await c.groups!.createMany!([{ name: 'Lost groups A' }, { name: 'Lost groups B' }]);
    expect(r.ok && r.value.map((x) => x.ok)).toEqual([true, true]);
    const sent = peer.requests.slice(mark).map((q) => `${q.method} ${q.path.replace(/^.*\/scim\/v2/, '')} ${q.status}`);
    expect(sent).toEqual(['POST /Bulk 0', 'GET /Groups 200', 'POST /Bulk 200']);
    for (const name of ['Lost groups A', 'Lost groups B']) expect(peer.groups().filter((g) => g['displayName'] === name)).toHaveLength(1);
  });

  it('sends a /Bulk of member PATCHes lost with its connection once more (PATCHes are safe to repeat), and nothing is doubled', async () => {
    const c = connect(bearer(peer), { sleep: async () => {} });
    const groups = c.groups!;
    const made = await groups.createMany!([{ name: 'Lost bulk A' }, { name: 'Lost bulk B' }]);
    const [ga, gb] = made.ok ? made.value.map((g) => (g.ok ? g.value.id : '')) : [];
    const users = await c.users.createMany!([0, 1].map((i) => ({ externalId: `ext-lost-patch-${i}`, roleKey: 'user', attributes: { name: `Patch ${i}`, email: `lost-patch-${i}@example.com` } })));
    const [u0, u1] = users.ok ? users.value.map((u) => (u.ok ? u.id : '')) : [];
    const mark = peer.requests.length;
    peer.faults({ drop: { count: 1 } });
    const r = await groups.addMembers!([
      { groupId: ga!, userId: u0! },
      { groupId: gb!, userId: u1! },
    ]);
    expect(r.ok && r.value.map((x) => x.ok)).toEqual([true, true]);
    const sent = peer.requests.slice(mark);
    expect(sent.map((q) => `${q.method} ${q.path.replace(/^.*\/scim\/v2/, '')} ${q.status}`)).toEqual(['POST /Bulk 0', 'POST /Bulk 200']);
    const membersOf = (id: string) => (peer.groups().find((g) => g.id === id)?.['members'] as { value: string }[]).map((m) => m.value);
    expect(membersOf(ga!)).toEqual([u0]);
    expect(membersOf(gb!)).toEqual([u1]);
  });

  it('keeps every /Bulk request under the advertised maxPayloadSize, which SCIMMY enforces', async () => {
    peer.configure({ bulk: { maxOperations: 1000, maxPayloadSize: 1500 } });
    try {
      const c = connect(bearer(peer, unshared));
      const before = peer.requests.filter((r) => r.path.endsWith('/Bulk'));
      const inputs = Array.from({ length: 12 }, (_, i) => ({ externalId: `ext-size-${i}`, roleKey: 'user', attributes: { name: `Size ${i}`, email: `size-${i}@example.com`, title: 'Engineer' } }));
      const r = await c.users.createMany?.(inputs);
      expect(r?.ok && r.value.every((x) => x.ok)).toBe(true);
      const sent = peer.requests.filter((q) => q.path.endsWith('/Bulk')).slice(before.length);
      expect(sent.length).toBeGreaterThan(2);
      expect(sent.every((q) => q.status === 200)).toBe(true);
      expect(peer.users().filter((u) => String(u['externalId']).startsWith('ext-size-'))).toHaveLength(12);
    } finally {
      peer.configure({ bulk: true });
    }
  });

  it('falls back to single calls when ServiceProviderConfig advertises bulk but /Bulk is refused', async () => {
    peer.configure({ bulk: false });
    try {
      const c = connect(bearer(peer, unshared));
      // A lying config: the connection read "bulk supported" before the app turned it off.
      const caps = await c.capabilities();
      expect(caps.ok && caps.value.bulk).toBe(false);
      const liar = connect(bearer(peer, unshared));
      peer.configure({ bulk: true });
      expect((await liar.capabilities()).ok).toBe(true);
      peer.configure({ bulk: false });
      const r = await liar.users.createMany?.([{ externalId: 'ext-liar', roleKey: 'user', attributes: { name: 'Liar', email: 'liar@example.com' } }]);
      expect(r?.ok && r.value[0]?.ok).toBe(true);
      const after = await liar.capabilities();
      expect(after.ok && after.value.bulk).toBe(false);
    } finally {
      peer.configure({ bulk: true });
    }
  });
});
