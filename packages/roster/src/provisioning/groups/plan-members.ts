/**
 * The membership half of the group plan, for one desired group: add the users it covers, remove
 * those it no longer covers, adopt memberships the target already has, and (full cycles) restore
 * or report memberships changed by hand in the target (a hand-made membership is removed only when
 * its user is one Roster manages, the group does not cover them and drift is `repair`; members
 * Roster does not manage are left alone). Only roles the target allows in groups
 * (`capabilities.groupMemberRoleKinds`, e.g. agents and admins) are members.
 */
import type { RoleKind } from '../../connectors/contract.ts';
import type { PlanStep } from '../diff/plan-types.ts';
import type { DesiredGroup, GroupMember, GroupPlan, GroupPlanAction, GroupPlanInput, MembershipLink, TargetMembership } from './group-plan-types.ts';

type MembershipAction = Extract<GroupPlanAction, { objectType: 'membership' }>;

const mayBeMember = (kind: RoleKind | null, allowed: readonly RoleKind[] | 'all'): boolean => allowed === 'all' || (kind !== null && allowed.includes(kind));

/** The plan input indexed once (a cycle plans every group against the same members and links). */
export interface MemberIndex {
  members: Map<string, GroupMember>;
  byTarget: Map<string, GroupMember>;
  linksByGroup: Map<string, Map<string, MembershipLink>>;
}

export function indexMembers(input: Pick<GroupPlanInput, 'members' | 'memberships'>): MemberIndex {
  const linksByGroup = new Map<string, Map<string, MembershipLink>>();
  for (const l of input.memberships) {
    const of = linksByGroup.get(l.groupId) ?? linksByGroup.set(l.groupId, new Map()).get(l.groupId)!;
    of.set(l.userId, l);
  }
  return {
    members: new Map(input.members.map((m) => [m.userId, m])),
    byTarget: new Map(input.members.filter((m) => m.targetId !== null).map((m) => [m.targetId!, m])),
    linksByGroup,
  };
}

/**
 * Appends the membership actions of `g` to `plan`. `targetGroupId` null: the group is created in
 * this run. `current` undefined: the target's memberships were not read (incremental plans).
 */
export function planMembers(plan: GroupPlan, g: DesiredGroup, targetGroupId: string | null, current: readonly TargetMembership[] | undefined, input: GroupPlanInput, index: MemberIndex): void {
  const members = index.members;
  const linksByUser = index.linksByGroup.get(g.directoryId) ?? new Map<string, MembershipLink>();
  const currentByUser = current ? new Map(current.map((m) => [m.userId, m])) : undefined;
  const currentIds = current ? new Set(current.map((m) => m.membershipId)) : undefined;
  const allowed = input.capabilities.groupMemberRoleKinds;
  const repair = input.settings.drift === 'repair';
  /** Target users who should be (or stay) members. */
  const keep = new Set<string>();
  const eligible = new Set<string>();
  const base = (m: GroupMember) => ({ objectType: 'membership' as const, directoryId: m.userId, identity: `${m.identity} in ${g.name}`, groupId: g.directoryId, groupName: g.name });
  const scope: PlanStep = { name: 'scope', outcome: 'member', detail: `of directory group ${g.name}` };
  const skip = (m: GroupMember, code: string, reason: string): MembershipAction => ({ ...base(m), kind: 'skip', code, reason, steps: [scope, { name: 'action', outcome: 'skipped', detail: reason }], changes: [] });

  const covered = new Set(g.memberIds);
  for (const userId of covered) {
    const m = members.get(userId) ?? { userId, identity: userId, state: 'absent' as const, targetId: null, roleKey: null, roleKind: null, reason: 'the user is not in the application’s scope' };
    if (m.state === 'absent') {
      if (!linksByUser.has(userId)) plan.actions.push(skip(m, 'member_not_provisioned', `not added: ${m.reason ?? 'the user is not provisioned to this application'}`));
      continue;
    }
    if (!mayBeMember(m.roleKind, allowed)) {
      if (!linksByUser.has(userId)) plan.actions.push(skip(m, 'member_role_not_allowed', `not added: the target allows only ${allowed === 'all' ? 'some roles' : allowed.join(', ')} roles in groups, and the user's role is ${m.roleKey ?? 'unknown'}${forWhom(allowed)}`));
      continue;
    }
    eligible.add(userId);
    const added = { property: 'group', old: null, new: g.name };
    const link = linksByUser.get(userId);
    if (m.state === 'pending' || targetGroupId === null || m.targetId === null) {
      const waiting = [m.state === 'pending' || m.targetId === null ? 'the user is provisioned earlier in this run' : null, targetGroupId === null ? 'the group is created earlier in this run' : null].filter((x) => x !== null).join('; ');
      plan.actions.push({ ...base(m), kind: 'add_member', targetGroupId, targetUserId: m.targetId, steps: [scope, { name: 'action', outcome: 'add_member', detail: waiting }], changes: [added] });
      continue;
    }
    keep.add(m.targetId);
    const inTarget = currentByUser?.get(m.targetId);
    if (!currentByUser) {
      if (link) plan.unchanged++;
      else plan.actions.push({ ...base(m), kind: 'add_member', targetGroupId, targetUserId: m.targetId, steps: [scope, { name: 'action', outcome: 'add_member' }], changes: [added] });
      continue;
    }
    if (inTarget) {
      if (link?.targetMembershipId === inTarget.membershipId) plan.unchanged++;
      else plan.actions.push({ ...base(m), kind: 'link_member', targetGroupId, targetUserId: m.targetId, membershipId: inTarget.membershipId, steps: [scope, { name: 'match', outcome: 'matched', detail: `already a member (membership ${inTarget.membershipId})` }, { name: 'action', outcome: 'link_member' }], changes: [] });
      continue;
    }
    if (link && !repair) {
      const reason = 'removed from the group by hand in the target; not restored (drift: report)';
      plan.actions.push({ ...base(m), kind: 'report', code: 'drift', reason, steps: [scope, { name: 'action', outcome: 'reported', detail: reason }], changes: [{ property: 'group', old: null, new: g.name }] });
      continue;
    }
    const detail = link ? 'drift repaired: removed from the group by hand in the target' : undefined;
    plan.actions.push({ ...base(m), kind: 'add_member', targetGroupId, targetUserId: m.targetId, steps: [scope, { name: 'action', outcome: 'add_member', ...(detail ? { detail } : {}) }], changes: [added] });
  }

  if (targetGroupId === null) return;
  for (const link of linksByUser.values()) {
    if (eligible.has(link.userId)) continue;
    plan.actions.push(planRemoval(g, targetGroupId, link, members.get(link.userId), currentIds, allowed, covered.has(link.userId)));
  }

  if (!current || !g.complete) return;
  // Memberships Roster did not make, of users the group does not cover: added by hand in the target.
  // Only a user Roster manages (linked) is the directory's to judge; anyone else's membership stays.
  const linkedIds = new Set([...linksByUser.values()].map((l) => l.targetMembershipId));
  const byTarget = index.byTarget;
  for (const tm of current) {
    if (keep.has(tm.userId) || linkedIds.has(tm.membershipId)) continue;
    const known = byTarget.get(tm.userId);
    if (!known) continue;
    const who = known.identity;
    const common = { objectType: 'membership' as const, directoryId: known.userId, identity: `${who} in ${g.name}`, groupId: g.directoryId, groupName: g.name };
    const changes = [{ property: 'group', old: g.name, new: null }];
    if (!repair) {
      const reason = 'added to the group by hand in the target; not removed (drift: report)';
      plan.actions.push({ ...common, kind: 'report', code: 'drift', reason, steps: [scope, { name: 'action', outcome: 'reported', detail: reason }], changes });
      continue;
    }
    plan.actions.push({ ...common, kind: 'remove_member', targetGroupId, targetUserId: tm.userId, membershipId: tm.membershipId, gone: false, linked: false, steps: [{ name: 'scope', outcome: 'not a member', detail: `the directory group ${g.name} does not cover this user` }, { name: 'action', outcome: 'remove_member', detail: 'drift repaired: added to the group by hand in the target' }], changes });
  }
}

/** A membership Roster made whose user the group no longer covers (or whose role may no longer be in groups). */
function planRemoval(g: DesiredGroup, targetGroupId: string, link: MembershipLink, m: GroupMember | undefined, currentIds: ReadonlySet<string> | undefined, allowed: readonly RoleKind[] | 'all', covered: boolean): MembershipAction {
  const gone = currentIds !== undefined && !currentIds.has(link.targetMembershipId);
  const why = !covered
    ? 'no longer a member of the directory group'
    : m?.state === 'absent'
      ? `no longer provisioned: ${m.reason ?? 'out of the application’s scope'}`
      : `the role ${m?.roleKey ?? 'unknown'} may not be in groups${allowed === 'all' ? '' : ' (the target drops the memberships of end users itself)'}`;
  const steps: PlanStep[] = [{ name: 'scope', outcome: 'not a member', detail: why }, { name: 'action', outcome: gone ? 'unlink_member' : 'remove_member', ...(gone ? { detail: 'already gone from the target' } : {}) }];
  return {
    objectType: 'membership',
    kind: 'remove_member',
    directoryId: link.userId,
    identity: `${m?.identity ?? link.userId} in ${g.name}`,
    groupId: g.directoryId,
    groupName: g.name,
    targetGroupId,
    targetUserId: m?.targetId ?? null,
    membershipId: link.targetMembershipId,
    gone,
    linked: true,
    steps,
    changes: [{ property: 'group', old: g.name, new: null }],
  };
}

const KIND_NOUNS: Readonly<Record<string, string>> = { 'end-user': 'end users', agent: 'agents', admin: 'admins' };

/** ` (groups are for agents and admins only, custom roles included)`, from the allowed role kinds. */
function forWhom(allowed: readonly string[] | 'all'): string {
  if (allowed === 'all') return '';
  const named = allowed.filter((k) => k !== 'custom').map((k) => KIND_NOUNS[k] ?? k);
  if (named.length === 0) return '';
  return ` (groups are for ${named.join(' and ')} only${allowed.includes('custom') ? ', custom roles included' : ''})`;
}
