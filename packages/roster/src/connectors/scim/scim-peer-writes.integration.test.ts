/**
 * The SCIM peer's write record (scim-peer.test-support.ts `writes()`), which the SCIM chaos run's
 * write audit reads (test/chaos/write-audit.ts): each write to an account with its state before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeWrites } from '../../../test/chaos/write-audit.ts';
import { testDeps } from '../zendesk/sandbox-accounts.test-support.ts';
import { scimConfigSchema } from './config.ts';
import { connectScim } from './connector.ts';
import { PEER_TOKEN, startScimPeer, type ScimPeer } from './scim-peer.test-support.ts';

const ADA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

describe('the SCIM peer records every write to an account with the account as it was', () => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await startScimPeer({ bulk: true, empty: true });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('records updates, member adds and removes, and deletes (not creates), and the audit tells a write to the meant account from one to another', async () => {
    const c = connectScim(scimConfigSchema.parse({ method: 'bearer', baseUrl: peer.baseUrl, token: PEER_TOKEN }), testDeps());
    const ada = await c.users.create({ externalId: ADA, roleKey: 'user', attributes: { name: 'Ada', email: 'ada@example.com' } });
    if (!ada.ok) throw new Error(ada.error.message);
    const id = ada.value.id;
    expect((await c.users.update(id, { attributes: { title: 'Countess' } })).ok).toBe(true);
    const group = await c.groups!.create({ name: 'Analysts' });
    if (!group.ok) throw new Error(group.error.message);
    const member = await c.groups!.addMember(group.value.id, id);
    if (!member.ok) throw new Error(member.error.message);
    expect((await c.groups!.removeMember(member.value.membershipId)).ok).toBe(true);
    expect((await c.users.delete(id)).ok).toBe(true);

    const writes = peer.writes();
    expect(writes.map((w) => w.kind)).toEqual(['user.update', 'membership.create', 'membership.delete', 'user.delete']);
    expect(writes.every((w) => w.userId === id && w.before?.external_id === ADA && w.before.email === 'ada@example.com')).toBe(true);
    expect(writes[1]?.createdId).toBe(member.value.membershipId);
    expect(writes[2]?.body).toEqual({ id: member.value.membershipId });

    const at = new Date();
    const directory = [{ id: ADA, email: 'ada@example.com' }, { id: BOB, email: 'bob@example.com' }];
    const eventsFor = (who: string) => [
      { directory_id: who, target_id: id, object_type: 'user', at },
      { directory_id: who, target_id: member.value.membershipId, object_type: 'membership', at },
    ];
    expect(judgeWrites(writes, eventsFor(ADA), directory)).toMatchObject({ problems: [], checked: 4 });
    // Had Roster meant Bob, every one of these writes would have reached the wrong account.
    expect(judgeWrites(writes, eventsFor(BOB), directory).problems).toHaveLength(4);
  });
});
