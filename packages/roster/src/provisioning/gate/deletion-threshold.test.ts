import { describe, expect, it } from 'vitest';
import type { CyclePlan } from './cycle-plan.ts';
import type { PlanAction } from '../diff/plan-types.ts';
import type { GroupPlanAction } from '../groups/group-plan-types.ts';
import { checkDeletionThreshold, planCounts, splitRemovals } from './deletion-threshold.ts';

const on = { enabled: true, count: 10, percent: null };

describe('checkDeletionThreshold', () => {
  it('lets removals at or under the count through and holds those above it', () => {
    expect(checkDeletionThreshold(on, { removing: 10, planned: 10, deprovisions: 10, provisioned: 100 })).toBeNull();
    expect(checkDeletionThreshold(on, { removing: 11, planned: 11, deprovisions: 11, provisioned: 100 })).toMatchObject({ code: 'deletion_threshold', limit: 'count', removing: 11, count: 10 });
  });

  it('says what it holds with the counts the staged plan shows, and why the burst window counted', () => {
    const held = checkDeletionThreshold(on, { removing: 12, planned: 2, deprovisions: 2, provisioned: 100, burstMinutes: 10, counts: { delete: 2 } });
    expect(held).toMatchObject({ planned: 2, recent: 10, burstMinutes: 10, counts: { delete: 2 } });
    expect(held?.message).toMatch(/^2 removals held back \(Delete user: 2\): with the 10 removals applied in the last 10 minutes they make 12, more than the threshold of 10\./);
    expect(checkDeletionThreshold(on, { removing: 11, planned: 11, deprovisions: 11, provisioned: 100, counts: { delete: 11 } })?.message).toBe('11 removals held back (Delete user: 11): 11 at once are more than the threshold of 10.');
  });

  it('counts the burst window with the plan, but holds nothing when the plan removes nobody', () => {
    expect(checkDeletionThreshold(on, { removing: 12, planned: 2, deprovisions: 2, provisioned: 100 })).toMatchObject({ limit: 'count', planned: 2, removing: 12 });
    expect(checkDeletionThreshold(on, { removing: 50, planned: 0, deprovisions: 0, provisioned: 100 })).toBeNull();
  });

  it('holds removals above the share of provisioned users', () => {
    const pct = { enabled: true, count: null, percent: 20 };
    expect(checkDeletionThreshold(pct, { removing: 20, planned: 20, deprovisions: 20, provisioned: 100 })).toBeNull();
    const held = checkDeletionThreshold(pct, { removing: 21, planned: 21, deprovisions: 21, provisioned: 100 });
    expect(held).toMatchObject({ limit: 'percent', percent: 20 });
    expect(held?.message).toContain('21%');
  });

  it('holds a plan that removes every provisioned user even with the threshold off', () => {
    const off = { enabled: false, count: 10, percent: null };
    expect(checkDeletionThreshold(off, { removing: 3, planned: 3, deprovisions: 3, provisioned: 3 })).toMatchObject({ limit: 'everyone' });
    expect(checkDeletionThreshold(off, { removing: 500, planned: 2, deprovisions: 2, provisioned: 3 })).toBeNull();
    // Deactivating the last user in the directory is a suspend, not a deprovision: the count decides, not "everyone".
    expect(checkDeletionThreshold(off, { removing: 1, planned: 1, deprovisions: 0, provisioned: 1 })).toBeNull();
  });
});

describe('splitRemovals', () => {
  it('stages deletes and suspends and keeps every other action', () => {
    const base = { identity: 'x', steps: [], changes: [] };
    const actions = [
      { ...base, kind: 'delete', directoryId: 'a', targetId: '1' },
      { ...base, kind: 'skip', directoryId: 'b', code: 'c', reason: 'r', failed: false },
      { ...base, kind: 'deprovision-suspend', directoryId: 'c', targetId: '3', patch: { suspended: true }, written: null },
    ] as PlanAction[];
    const plan: CyclePlan = { users: { actions, unchanged: 4 } };
    const { rest, staged } = splitRemovals(plan);
    expect(staged.map((a) => a.directoryId)).toEqual(['a', 'c']);
    expect(rest.users).toEqual({ actions: [actions[1]], unchanged: 4 });
  });
});

describe('group actions', () => {
  it('stages group deletes with the user removals, keeps membership changes, and counts them under prefixed keys', () => {
    const g = { objectType: 'group' as const, identity: 'Support', steps: [], changes: [] };
    const groupActions = [
      { ...g, kind: 'delete', directoryId: 'g1', targetId: '10' },
      { ...g, kind: 'update', directoryId: 'g2', targetId: '11', patch: { name: 'x' }, written: { name: 'y', description: null } },
      { objectType: 'membership', kind: 'remove_member', directoryId: 'u1', identity: 'u1 in Support', groupId: 'g2', groupName: 'Support', steps: [], changes: [], targetGroupId: '11', targetUserId: '5', membershipId: 'm', gone: false, linked: true },
    ] as GroupPlanAction[];
    const plan: CyclePlan = { users: { actions: [{ kind: 'delete', directoryId: 'a', identity: 'a', targetId: '1', steps: [], changes: [] }], unchanged: 2 }, groups: { actions: groupActions, unchanged: 3 } };
    const { rest, staged } = splitRemovals(plan);
    expect(staged.map((a) => `${'objectType' in a ? a.objectType : 'user'}:${a.directoryId}`)).toEqual(['user:a', 'group:g1']);
    expect(rest.users.actions).toEqual([]);
    expect(rest.groups?.actions.map((a) => a.kind)).toEqual(['update', 'remove_member']);
    expect(planCounts(plan)).toEqual({ delete: 1, 'group:delete': 1, 'group:update': 1, 'membership:remove_member': 1, unchanged: 2, 'group:unchanged': 3 });
  });
});
