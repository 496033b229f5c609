/**
 * The conformance suite against an app that advertises neither PATCH nor bulk, over HTTP Basic:
 * every update is a read and a PUT of the whole resource, batches are single calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConnectorConformance } from '../conformance/suite.ts';
import { testDeps } from '../zendesk/sandbox-accounts.test-support.ts';
import { scimConfigSchema, type ScimConfigInput } from './config.ts';
import { connectScim } from './connector.ts';
import { PEER_BASIC, startScimPeer, type ScimPeer } from './scim-peer.test-support.ts';

const basic = (peer: ScimPeer, extra: Partial<ScimConfigInput> = {}) =>
  connectScim(scimConfigSchema.parse({ method: 'basic', baseUrl: peer.baseUrl, ...PEER_BASIC, roleValues: ['agent'], ...extra }), testDeps());

defineConnectorConformance('scim (SCIMMY peer, HTTP Basic, no PATCH, no bulk)', async () => {
  const peer = await startScimPeer({ bulk: false, patch: false, maxResults: 25 });
  return {
    connect: (options) => basic(peer, options?.timeoutMs ? { requestTimeoutMs: options.timeoutMs } : {}),
    connectWithBadCredentials: () => basic(peer, { password: 'wrong' } as Partial<ScimConfigInput>),
    slowDown: async () => peer.faults({ latencyMs: 600 }),
    recover: async () => peer.faults({}),
    slowTimeoutMs: 250,
    endUserRoleKey: 'user',
    agentRoleKey: 'role:agent',
    close: () => peer.close(),
  };
});

describe('scim connector without PATCH', () => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await startScimPeer({ bulk: false, patch: false, maxResults: 25 });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('updates by reading the account and writing it back whole, keeping what Roster does not map', async () => {
    const c = basic(peer);
    const caps = await c.capabilities();
    expect(caps.ok && caps.value.bulk).toBe(false);
    const u = await c.users.create({ externalId: 'ext-put', roleKey: 'user', attributes: { name: 'Put Me', email: 'put@example.com' } });
    if (!u.ok) throw new Error(u.error.message);
    // Something the app (or another admin) set that Roster does not map.
    const rec = peer.users().find((x) => x.id === u.value.id);
    if (rec) rec['nickName'] = 'Puddy';
    const r = await c.users.update(u.value.id, { attributes: { name: 'Put Again' }, suspended: true });
    expect(r.ok && r.value).toMatchObject({ name: 'Put Again', suspended: true });
    expect(peer.users().find((x) => x.id === u.value.id)).toMatchObject({ displayName: 'Put Again', active: false, nickName: 'Puddy', userName: 'put@example.com' });
    const writes = peer.requests.filter((q) => q.path.endsWith(u.value.id) && q.method !== 'GET').map((q) => q.method);
    expect(writes).toEqual(['PUT']);
  });

  it('adds and removes a member by writing the group back without the others changing', async () => {
    const c = basic(peer);
    const groups = c.groups;
    if (!groups) throw new Error('no groups');
    const a = await c.users.create({ externalId: 'ext-pa', roleKey: 'user', attributes: { name: 'PA', email: 'pa@example.com' } });
    const b = await c.users.create({ externalId: 'ext-pb', roleKey: 'user', attributes: { name: 'PB', email: 'pb@example.com' } });
    const g = await groups.create({ name: 'Put group' });
    if (!a.ok || !b.ok || !g.ok) throw new Error('setup failed');
    await groups.addMember(g.value.id, a.value.id);
    const m = await groups.addMember(g.value.id, b.value.id);
    await groups.removeMember(m.ok ? m.value.membershipId : '');
    expect(peer.groups().find((x) => x.id === g.value.id)?.['members']).toEqual([{ value: a.value.id }]);
    expect(peer.requests.filter((q) => q.path.endsWith(g.value.id) && q.method === 'PATCH')).toEqual([]);
  });
});
