/**
 * The values group provisioning plans with: directory groups as the target should hold them, what
 * the engine remembers it wrote (group links, membership links), and the actions of a group plan.
 * All plain JSON, so a group plan can be shown (dry run), kept and logged as it is.
 */
import type { Capabilities, RoleKind, TargetGroup } from '../../connectors/contract.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import type { PlanStep, PropertyChange } from '../diff/plan-types.ts';

/** A directory group the target should hold, with the users it covers (nesting expanded). */
export interface DesiredGroup {
  directoryId: string;
  name: string;
  description: string | null;
  /** Directory user ids covered by the group, through any depth of nesting. */
  memberIds: string[];
  /**
   * False when only some users were looked at (an incremental batch about a few users): members
   * missing from `memberIds` are then not removed, and hand-made memberships are not looked for.
   */
  complete: boolean;
}

/** A directory group in scope that is not pushed, and why (e.g. assigned with Default Access). */
export interface SkippedGroup {
  directoryId: string;
  name: string;
  code: string;
  reason: string;
}

/** What a group link remembers was written (`links.last_written` of object type `group`). */
export interface WrittenGroup {
  name: string;
  description: string | null;
}

export interface GroupLink {
  directoryId: string;
  targetId: string;
  lastWritten: WrittenGroup | null;
  /** `provisioned` (created by Roster) | `linked` (an existing target group matched by name) */
  state: string;
}

/** Directory membership (group, user) ↔ target membership (`membership_links`). */
export interface MembershipLink {
  groupId: string;
  userId: string;
  targetMembershipId: string;
}

/**
 * What the engine knows about one directory user met in a group: whether the user has an account
 * in the target (`linked`), is provisioned in this same run first (`pending`: in scope, no account
 * yet), or is not provisioned (`absent`, with the reason), and the kind of role the user is given.
 */
export interface GroupMember {
  userId: string;
  /** As the log shows the user: the directory email. */
  identity: string;
  state: 'linked' | 'pending' | 'absent';
  targetId: string | null;
  roleKey: string | null;
  roleKind: RoleKind | null;
  /** Why an `absent` user is not provisioned. */
  reason?: string;
}

export interface TargetMembership {
  membershipId: string;
  userId: string;
}

/** The target's groups and, for the groups read, their memberships (full cycles only). */
export interface GroupSnapshot {
  groups: TargetGroup[];
  /** Target group id → memberships; a group missing here was not read. */
  members: Record<string, TargetMembership[]>;
}

interface GroupActionBase {
  objectType: 'group';
  /** The directory group. */
  directoryId: string;
  /** The group's name, as the log shows it. */
  identity: string;
  steps: PlanStep[];
  changes: PropertyChange[];
}

interface MembershipActionBase {
  objectType: 'membership';
  /** The directory user (so the user's log lists their memberships); null for a target user Roster does not know. */
  directoryId: string | null;
  /** `<user email> in <group name>` */
  identity: string;
  /** The directory group. */
  groupId: string;
  groupName: string;
  steps: PlanStep[];
  changes: PropertyChange[];
}

export type GroupPlanAction =
  | (GroupActionBase & {
      kind: 'create';
      input: WrittenGroup;
      /** No snapshot: apply lists the target's groups first and links one of exactly this name instead of creating a duplicate. */
      probe: boolean;
    })
  /** An existing target group of exactly this name: linked, then brought to the desired description. */
  | (GroupActionBase & { kind: 'link'; targetId: string; patch: Partial<WrittenGroup>; written: WrittenGroup })
  | (GroupActionBase & { kind: 'update'; targetId: string; patch: Partial<WrittenGroup>; written: WrittenGroup })
  | (GroupActionBase & { kind: 'delete'; targetId: string })
  /** The link is dropped and the target group left alone (e.g. the account's default group, which the target never deletes). */
  | (GroupActionBase & { kind: 'unlink'; targetId: string; reason: string })
  | (MembershipActionBase & {
      kind: 'add_member';
      /** Null: the group is created (or linked) earlier in this run. */
      targetGroupId: string | null;
      /** Null: the user is provisioned earlier in this run; apply reads the user's link then. */
      targetUserId: string | null;
    })
  /** The user already is a member in the target: the membership is recorded, nothing is sent. */
  | (MembershipActionBase & { kind: 'link_member'; targetGroupId: string; targetUserId: string; membershipId: string })
  | (MembershipActionBase & {
      kind: 'remove_member';
      targetGroupId: string;
      targetUserId: string | null;
      membershipId: string;
      /** The membership is already gone from the target: only the membership link is dropped. */
      gone: boolean;
      /** Roster recorded this membership (false: made by hand in the target). */
      linked: boolean;
    })
  /** Drift seen but not repaired (`drift: report`). */
  | ((GroupActionBase | MembershipActionBase) & { kind: 'report'; code: string; reason: string })
  | ((GroupActionBase | MembershipActionBase) & { kind: 'skip'; code: string; reason: string });

export type GroupPlanActionKind = GroupPlanAction['kind'];

export interface GroupPlan {
  actions: GroupPlanAction[];
  /** Groups and memberships that already match. */
  unchanged: number;
}

/** What the pure group plan (plan-groups.ts) is computed from. */
export interface GroupPlanInput {
  groups: readonly DesiredGroup[];
  skipped?: readonly SkippedGroup[] | undefined;
  /** The group links of every group considered (incremental: of the given groups only). */
  links: readonly GroupLink[];
  /** The membership links of the groups considered (for a group of `complete: false`, of its listed users only). */
  memberships: readonly MembershipLink[];
  /** Every directory user met in `groups[].memberIds` or in `memberships`. */
  members: readonly GroupMember[];
  /** The target's groups and memberships, read at the start of a full cycle; absent for incremental plans. */
  snapshot?: GroupSnapshot | undefined;
  settings: Pick<ProvisioningSettings, 'provisionGroups' | 'groupSyncActions' | 'drift'>;
  capabilities: Pick<Capabilities, 'groups' | 'groupMemberRoleKinds'>;
}
