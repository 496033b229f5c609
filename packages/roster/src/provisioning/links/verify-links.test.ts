import { describe, expect, it } from 'vitest';
import type { TargetUser } from '../../connectors/contract.ts';
import type { GroupPlan } from '../groups/group-plan-types.ts';
import type { UserLink } from '../diff/plan-types.ts';
import { guardMemberships, membersTouched, mismatchedLinks } from './verify-links.ts';

const base = { objectType: 'membership' as const, groupId: 'g1', groupName: 'Support', steps: [], changes: [] };
const plan: GroupPlan = {
  unchanged: 0,
  actions: [
    { ...base, kind: 'add_member', directoryId: 'ada', identity: 'ada in Support', targetGroupId: '10', targetUserId: '900' },
    { ...base, kind: 'add_member', directoryId: 'bob', identity: 'bob in Support', targetGroupId: '10', targetUserId: '901' },
    { ...base, kind: 'remove_member', directoryId: 'cyd', identity: 'cyd in Support', targetGroupId: '10', targetUserId: '902', membershipId: 'm3', gone: false, linked: true },
    { ...base, kind: 'add_member', directoryId: 'dee', identity: 'dee in Support', targetGroupId: '10', targetUserId: null },
  ],
};

describe('membership guard', () => {
  it('names the users whose accounts a group plan writes to by their link', () => {
    expect(membersTouched(plan)).toEqual(['ada', 'bob', 'cyd']);
  });

  it('a member matched again in this run is added by the new link; any other mismatched member is skipped with link_mismatch; the rest is untouched', () => {
    const guarded = guardMemberships(plan, new Set(['ada', 'cyd']), new Set(['ada']));
    expect(guarded.actions.map((a) => [a.directoryId, a.kind, 'targetUserId' in a ? a.targetUserId : undefined, 'code' in a ? a.code : undefined])).toEqual([
      ['ada', 'add_member', null, undefined],
      ['bob', 'add_member', '901', undefined],
      ['cyd', 'skip', undefined, 'link_mismatch'],
      ['dee', 'add_member', null, undefined],
    ]);
  });
});

describe('mismatchedLinks', () => {
  const link = (directoryId: string, targetId: string): UserLink => ({ directoryId, targetId, lastHash: null, state: 'provisioned', lastWritten: { externalId: directoryId, roleKey: 'agent', suspended: false, attributes: { email: `${directoryId}@example.com` } } });
  const account = (id: string, externalId: string | null): TargetUser => ({ id, externalId, email: null, name: '', roleKey: 'agent', suspended: false, active: true, attributes: {} });

  it('checks each link against the accounts read back: another external id and an account left out are mismatches', () => {
    const found = mismatchedLinks([link('ada', '900'), link('bob', '901'), link('cyd', '902')], [account('900', 'ada'), account('901', 'someone-else')], ['external_id', 'email']);
    expect([...found.entries()].map(([id, m]) => [id, m.reason])).toEqual([
      ['bob', 'external_id'],
      ['cyd', 'missing'],
    ]);
  });
});
