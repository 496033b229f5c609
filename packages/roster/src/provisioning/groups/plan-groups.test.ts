import { describe, expect, it } from 'vitest';
import type { TargetGroup } from '../../connectors/contract.ts';
import { defaultSettings } from '../config/settings-schema.ts';
import type { DesiredGroup, GroupLink, GroupMember, GroupPlanAction, MembershipLink } from './group-plan-types.ts';
import { type GroupPlanInput, planGroups } from './plan-groups.ts';

const G = '00000000-0000-4000-8000-0000000000a1';
const ADA = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const EVE = '00000000-0000-4000-8000-000000000003';

const group = (over: Partial<DesiredGroup> = {}): DesiredGroup => ({ directoryId: G, name: 'Tier 2', description: null, memberIds: [], complete: true, ...over });
const link = (over: Partial<GroupLink> = {}): GroupLink => ({ directoryId: G, targetId: '500', lastWritten: { name: 'Tier 2', description: null }, state: 'provisioned', ...over });
const target = (over: Partial<TargetGroup> = {}): TargetGroup => ({ id: '500', name: 'Tier 2', description: '', isDefault: false, ...over });
const agent = (userId: string, targetId: string | null, over: Partial<GroupMember> = {}): GroupMember => ({
  userId,
  identity: `${userId.slice(-1)}@example.com`,
  state: targetId ? 'linked' : 'pending',
  targetId,
  roleKey: 'agent',
  roleKind: 'agent',
  ...over,
});
const mlink = (userId: string, targetMembershipId: string): MembershipLink => ({ groupId: G, userId, targetMembershipId });

type Settings = GroupPlanInput['settings'];
const settings = (over: Partial<Settings> = {}, sync: Partial<Settings['groupSyncActions']> = {}): Settings => {
  const d = defaultSettings();
  return { provisionGroups: d.provisionGroups, drift: d.drift, ...over, groupSyncActions: { ...d.groupSyncActions, ...sync } };
};
const input = (over: Partial<GroupPlanInput>): GroupPlanInput => ({
  groups: [],
  links: [],
  memberships: [],
  members: [],
  settings: settings(),
  capabilities: { groups: true, groupMemberRoleKinds: ['agent', 'admin', 'custom'] },
  ...over,
});

/** A compact view of an action for the tables. */
function view(a: GroupPlanAction): Record<string, unknown> {
  const out: Record<string, unknown> = { on: a.objectType, kind: a.kind };
  if ('targetId' in a) out['targetId'] = a.targetId;
  if ('patch' in a && Object.keys(a.patch).length) out['patch'] = a.patch;
  if ('probe' in a && a.probe) out['probe'] = true;
  if (a.kind === 'skip' || a.kind === 'report') out['code'] = a.code;
  if (a.objectType === 'membership') out['user'] = a.directoryId;
  if ('targetUserId' in a) out['targetUserId'] = a.targetUserId;
  if ('targetGroupId' in a) out['targetGroupId'] = a.targetGroupId;
  if ('membershipId' in a) out['membershipId'] = a.membershipId;
  if (a.kind === 'remove_member' && a.gone) out['gone'] = true;
  return out;
}

interface Case {
  name: string;
  input: GroupPlanInput;
  actions: Record<string, unknown>[];
  unchanged?: number;
}

const cases: Case[] = [
  {
    name: 'a new group is created with its agents; without a snapshot apply probes by name first',
    input: input({ groups: [group({ memberIds: [ADA] })], members: [agent(ADA, '900')] }),
    actions: [
      { on: 'group', kind: 'create', probe: true },
      { on: 'membership', kind: 'add_member', user: ADA, targetUserId: '900', targetGroupId: null },
    ],
  },
  {
    name: 'a full cycle links a target group of exactly the same name instead of creating one',
    input: input({ groups: [group({ description: 'Escalations' })], snapshot: { groups: [target({ id: '77', name: 'tier 2' }), target({ id: '78' })], members: { '78': [] } } }),
    actions: [{ on: 'group', kind: 'link', targetId: '78', patch: { description: 'Escalations' } }],
  },
  {
    name: 'two target groups of that name: skipped, never linked to either',
    input: input({ groups: [group()], snapshot: { groups: [target({ id: '78' }), target({ id: '79' })], members: {} } }),
    actions: [{ on: 'group', kind: 'skip', code: 'ambiguous_match' }],
  },
  {
    name: 'create switched off: skipped with the reason, no memberships',
    input: input({ groups: [group({ memberIds: [ADA] })], members: [agent(ADA, '900')], settings: settings({}, { create: false }) }),
    actions: [{ on: 'group', kind: 'skip', code: 'create_disabled' }],
  },
  {
    name: 'renamed in the directory: renamed in the target',
    input: input({ groups: [group({ name: 'Tier 3' })], links: [link()] }),
    actions: [{ on: 'group', kind: 'update', targetId: '500', patch: { name: 'Tier 3' } }],
  },
  {
    name: 'renamed with update switched off: nothing sent',
    input: input({ groups: [group({ name: 'Tier 3' })], links: [link()], settings: settings({}, { update: false }) }),
    actions: [],
  },
  {
    name: 'renamed by hand in the target: repaired',
    input: input({ groups: [group()], links: [link()], snapshot: { groups: [target({ name: 'Tier Two' })], members: { '500': [] } } }),
    actions: [{ on: 'group', kind: 'update', targetId: '500', patch: { name: 'Tier 2' } }],
  },
  {
    name: 'renamed by hand in the target with drift: report: reported only',
    input: input({ groups: [group()], links: [link()], settings: settings({ drift: 'report' }), snapshot: { groups: [target({ name: 'Tier Two' })], members: { '500': [] } } }),
    actions: [{ on: 'group', kind: 'report', code: 'drift' }],
  },
  {
    name: 'unassigned: deleted; the default group is unlinked instead',
    input: input({ links: [link(), link({ directoryId: BOB, targetId: '1', lastWritten: { name: 'Support', description: null } })], snapshot: { groups: [target(), target({ id: '1', name: 'Support', isDefault: true })], members: {} } }),
    actions: [
      { on: 'group', kind: 'delete', targetId: '500' },
      { on: 'group', kind: 'unlink', targetId: '1' },
    ],
  },
  {
    name: 'unassigned with delete switched off: left alone',
    input: input({ links: [link()], settings: settings({}, { delete: false }) }),
    actions: [],
  },
  {
    name: 'deleted by hand in the target: re-created',
    input: input({ groups: [group()], links: [link()], snapshot: { groups: [], members: {} } }),
    actions: [{ on: 'group', kind: 'create' }],
  },
  {
    name: 'an end user in the group is skipped with the reason; a user not provisioned is skipped; a pending user waits for this run',
    input: input({
      groups: [group({ memberIds: [ADA, BOB, EVE] })],
      links: [link()],
      members: [agent(ADA, '900', { roleKey: 'end-user', roleKind: 'end-user' }), agent(BOB, null, { state: 'absent', reason: 'assigned with Default Access' }), agent(EVE, null)],
    }),
    actions: [
      { on: 'membership', kind: 'skip', code: 'member_role_not_allowed', user: ADA },
      { on: 'membership', kind: 'skip', code: 'member_not_provisioned', user: BOB },
      { on: 'membership', kind: 'add_member', user: EVE, targetUserId: null, targetGroupId: '500' },
    ],
  },
  {
    name: 'a member demoted to end user: the membership link goes (the target dropped the membership)',
    input: input({ groups: [group({ memberIds: [ADA] })], links: [link()], memberships: [mlink(ADA, '41')], members: [agent(ADA, '900', { roleKey: 'end-user', roleKind: 'end-user' })], snapshot: { groups: [target()], members: { '500': [] } } }),
    actions: [{ on: 'membership', kind: 'remove_member', user: ADA, targetUserId: '900', targetGroupId: '500', membershipId: '41', gone: true }],
  },
  {
    name: 'a member removed in the directory: removed in the target',
    input: input({ groups: [group({ memberIds: [ADA] })], links: [link()], memberships: [mlink(ADA, '41'), mlink(BOB, '42')], members: [agent(ADA, '900'), agent(BOB, '901')] }),
    actions: [{ on: 'membership', kind: 'remove_member', user: BOB, targetUserId: '901', targetGroupId: '500', membershipId: '42' }],
    unchanged: 2,
  },
  {
    name: 'memberships changed by hand: a removed member is restored, a managed user added by hand removed; one already there is adopted',
    input: input({
      groups: [group({ memberIds: [ADA, BOB] })],
      links: [link()],
      memberships: [mlink(ADA, '41')],
      members: [agent(ADA, '900'), agent(BOB, '901'), agent(EVE, '902', { state: 'absent', reason: 'not covered by the directory group' })],
      snapshot: { groups: [target()], members: { '500': [{ membershipId: '52', userId: '901' }, { membershipId: '54', userId: '902' }] } },
    }),
    actions: [
      { on: 'membership', kind: 'add_member', user: ADA, targetUserId: '900', targetGroupId: '500' },
      { on: 'membership', kind: 'link_member', user: BOB, targetUserId: '901', targetGroupId: '500', membershipId: '52' },
      { on: 'membership', kind: 'remove_member', user: EVE, targetUserId: '902', targetGroupId: '500', membershipId: '54' },
    ],
    unchanged: 1,
  },
  {
    name: 'drift: repair leaves alone a member added by hand whom Roster does not manage',
    input: input({
      groups: [group({ memberIds: [ADA] })],
      links: [link()],
      memberships: [mlink(ADA, '41')],
      members: [agent(ADA, '900')],
      settings: settings({ drift: 'repair' }),
      snapshot: { groups: [target()], members: { '500': [{ membershipId: '41', userId: '900' }, { membershipId: '53', userId: '777' }] } },
    }),
    actions: [],
    unchanged: 2,
  },
  {
    name: 'memberships changed by hand with drift: report: both reported, nothing sent',
    input: input({
      groups: [group({ memberIds: [ADA] })],
      links: [link()],
      memberships: [mlink(ADA, '41')],
      members: [agent(ADA, '900'), agent(EVE, '902', { state: 'absent', reason: 'not covered by the directory group' })],
      settings: settings({ drift: 'report' }),
      snapshot: { groups: [target()], members: { '500': [{ membershipId: '54', userId: '902' }, { membershipId: '53', userId: '777' }] } },
    }),
    actions: [
      { on: 'membership', kind: 'report', code: 'drift', user: ADA },
      { on: 'membership', kind: 'report', code: 'drift', user: EVE },
    ],
    unchanged: 1,
  },
  {
    name: 'an incomplete group (a batch about some users) never removes members it did not look at',
    input: input({ groups: [group({ memberIds: [ADA], complete: false })], links: [link()], members: [agent(ADA, '900')], snapshot: { groups: [target()], members: { '500': [{ membershipId: '53', userId: '777' }] } } }),
    actions: [{ on: 'membership', kind: 'add_member', user: ADA, targetUserId: '900', targetGroupId: '500' }],
    unchanged: 1,
  },
  {
    name: 'provisionGroups off: nothing at all',
    input: input({ groups: [group({ memberIds: [ADA] })], links: [link()], members: [agent(ADA, '900')], settings: settings({ provisionGroups: false }) }),
    actions: [],
    unchanged: 0,
  },
  {
    name: 'a target without groups: nothing at all',
    input: input({ groups: [group()], capabilities: { groups: false, groupMemberRoleKinds: [] } }),
    actions: [],
    unchanged: 0,
  },
];

describe('planGroups', () => {
  it.each(cases)('$name', (c) => {
    const plan = planGroups(c.input);
    expect(plan.actions.map(view)).toEqual(c.actions);
    if (c.unchanged !== undefined) expect(plan.unchanged).toBe(c.unchanged);
  });

  it('every action carries steps ending in the action, and the log wording of old → new', () => {
    const plan = planGroups(input({ groups: [group({ name: 'Tier 3', memberIds: [ADA] })], links: [link()], members: [agent(ADA, '900')] }));
    const [rename, add] = plan.actions;
    expect(rename).toMatchObject({ identity: 'Tier 3', changes: [{ property: 'name', old: 'Tier 2', new: 'Tier 3' }] });
    expect(add).toMatchObject({ identity: '1@example.com in Tier 3', changes: [{ property: 'group', old: null, new: 'Tier 3' }] });
    for (const a of plan.actions) expect(a.steps.at(-1)?.name).toBe('action');
  });

  it('an end user skip says why (targets allow groups for agents only)', () => {
    const plan = planGroups(input({ groups: [group({ memberIds: [ADA] })], links: [link()], members: [agent(ADA, '900', { roleKey: 'end-user', roleKind: 'end-user' })] }));
    expect(plan.actions[0]).toMatchObject({ kind: 'skip', reason: expect.stringContaining('agents and admins only') });
  });
});
