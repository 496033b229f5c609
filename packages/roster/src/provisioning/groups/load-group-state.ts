/**
 * What the group plan needs from the database: the directory groups the application should hold
 * (assigned to it, or every group with scope `all`), the users each covers through nesting, the
 * group and membership links, and for every user met whether and how the user is provisioned.
 * Full cycles load everything; incremental batches load the given groups whole and, for the given
 * users, only their memberships of the groups the application holds.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { TargetRole } from '../../connectors/contract.ts';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { links } from '../../db/provisioning-schema.ts';
import { assignments, groups, users } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { usersByGroup } from '../../directory/groups/expand-group-users.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import { DEFAULT_ACCESS_ROLE } from '../desired/render-desired.ts';
import { readUserLinks } from '../links/user-links.ts';
import { type UserReads, splitByReads } from '../desired/user-reads.ts';
import type { DesiredGroup, GroupLink, GroupMember, MembershipLink, SkippedGroup } from './group-plan-types.ts';
import { readGroupLinks, readMembershipLinks } from './group-links.ts';

export interface GroupState {
  groups: DesiredGroup[];
  skipped: SkippedGroup[];
  links: GroupLink[];
  memberships: MembershipLink[];
  members: GroupMember[];
}

/** Scope `all` gives users without an assignment this role (as load-desired.ts does). */
const UNASSIGNED_ROLE = 'end-user';

export interface GroupStateOptions {
  /** Only these groups, each with all its members (an incremental batch after group changes). */
  groupIds?: readonly string[] | undefined;
  /** These users' memberships of the groups the application holds (an incremental batch after user changes). */
  userIds?: readonly string[] | undefined;
  /** The run's read of its users' assignments and links (desired/user-reads.ts): members it covers are not read again. */
  reads?: UserReads | undefined;
}

export async function loadGroupState(
  executor: Executor,
  applicationId: string,
  settings: Pick<ProvisioningSettings, 'scope'>,
  roles: readonly TargetRole[],
  opts: GroupStateOptions = {},
): Promise<GroupState> {
  const incremental = opts.groupIds !== undefined || opts.userIds !== undefined;
  const assigned = await assignedGroups(executor, applicationId);
  // The common incremental batch (user changes, no group assigned): nothing to look at.
  if (incremental && !opts.groupIds?.length && settings.scope !== 'all' && assigned.size === 0) return { groups: [], skipped: [], links: [], memberships: [], members: [] };
  const inScope = async (ids: readonly string[] | undefined) => {
    const rows = await liveGroups(executor, settings.scope === 'all' ? ids : (ids ?? [...assigned.keys()]).filter((id) => assigned.has(id)));
    return rows;
  };

  const whole = incremental ? await inScope(opts.groupIds ?? []) : await inScope(undefined);
  const wholeIds = new Set(whole.map((g) => g.id));
  let partial: typeof whole = [];
  if (opts.userIds?.length) {
    const containing = await groupsContaining(executor, opts.userIds);
    const linkedOfUsers = (await readMembershipLinks(executor, applicationId, { userIds: opts.userIds })).map((l) => l.groupId);
    partial = (await inScope([...new Set([...containing, ...linkedOfUsers])])).filter((g) => !wholeIds.has(g.id));
  }

  const state: GroupState = { groups: [], skipped: [], links: [], memberships: [], members: [] };
  const push = (rows: typeof whole, byGroup: Map<string, string[]>, complete: boolean) => {
    for (const g of rows) {
      const role = assigned.get(g.id);
      if (role === DEFAULT_ACCESS_ROLE) state.skipped.push({ directoryId: g.id, name: g.name, code: 'default_access', reason: 'assigned with Default Access, which is never provisioned' });
      else state.groups.push({ directoryId: g.id, name: g.name, description: g.description, memberIds: byGroup.get(g.id) ?? [], complete });
    }
  };
  push(whole, await usersByGroup(executor, whole.map((g) => g.id)), true);
  if (partial.length) push(partial, await usersByGroup(executor, partial.map((g) => g.id), opts.userIds), false);

  // Links: all of them on a full cycle (unlinked ones are absent groups); else those of the groups looked at.
  const lookedAt = [...(opts.groupIds ?? []), ...partial.map((g) => g.id)];
  state.links = incremental ? await readGroupLinks(executor, applicationId, lookedAt) : await readGroupLinks(executor, applicationId);
  if (!incremental) state.memberships = await readMembershipLinks(executor, applicationId);
  else {
    state.memberships = await readMembershipLinks(executor, applicationId, { groupIds: opts.groupIds ?? [] });
    if (partial.length && opts.userIds) state.memberships.push(...(await readMembershipLinks(executor, applicationId, { groupIds: partial.map((g) => g.id), userIds: opts.userIds })));
  }

  const userIds = [...new Set([...state.groups.flatMap((g) => g.memberIds), ...state.memberships.map((m) => m.userId)])];
  state.members = await describeMembers(executor, applicationId, settings, roles, userIds, opts.reads);
  return state;
}

/** Group id → role of the application's group assignments. */
async function assignedGroups(executor: Executor, applicationId: string): Promise<Map<string, string>> {
  const rows = await executor
    .select({ id: assignments.principalId, role: assignments.role })
    .from(assignments)
    .where(and(eq(assignments.applicationId, applicationId), eq(assignments.principalType, 'group')));
  return new Map(rows.map((r) => [r.id, r.role]));
}

/** Live groups among `ids` (every live group when undefined), by name. */
async function liveGroups(executor: Executor, ids: readonly string[] | undefined) {
  if (ids?.length === 0) return [];
  return executor
    .select({ id: groups.id, name: groups.name, description: groups.description })
    .from(groups)
    .where(and(isNull(groups.deletedAt), ids ? anyOf(groups.id, ids) : undefined))
    .orderBy(groups.name, groups.id);
}

/** Live groups that contain any of `userIds`, directly or through nesting (deleted groups cover nobody). */
async function groupsContaining(executor: Executor, userIds: readonly string[]): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`with recursive up(id) as (
      select gm.group_id from group_members gm join groups g on g.id = gm.group_id and g.deleted_at is null
        where gm.member_type = 'user' and ${anyOf(sql`gm.member_id`, userIds)}
      union
      select gm.group_id from group_members gm join up on gm.member_type = 'group' and gm.member_id = up.id
        join groups g on g.id = gm.group_id and g.deleted_at is null
    ) select id from up`,
  );
  return rows.map((r) => r.id);
}

/** For each user: provisioned (`linked`), in scope but not yet provisioned (`pending`), or not provisioned (`absent`). */
async function describeMembers(executor: Executor, applicationId: string, settings: Pick<ProvisioningSettings, 'scope'>, roles: readonly TargetRole[], userIds: string[], reads: UserReads | undefined): Promise<GroupMember[]> {
  if (userIds.length === 0) return [];
  const kinds = new Map(roles.map((r) => [r.key, r.kind]));
  // Members the run already read (its own users, or everyone on a full cycle) are not read again.
  const { roles: effective, links: userLinks, missing } = splitByReads(reads, userIds);
  if (missing.length) {
    for (const e of await effectiveAssignments(executor, applicationId, { userIds: missing })) effective.set(e.userId, e.role);
    for (const l of await readUserLinks(executor, applicationId, missing)) userLinks.set(l.directoryId, l);
  }
  const rows = new Map<string, { email: string; deleted: boolean }>();
  for (let i = 0; i < userIds.length; i += 5_000) {
    const part = await executor.select({ id: users.id, email: users.email, deletedAt: users.deletedAt }).from(users).where(anyOf(users.id, userIds.slice(i, i + 5_000)));
    for (const r of part) rows.set(r.id, { email: r.email, deleted: r.deletedAt !== null });
  }
  return userIds.map((userId): GroupMember => {
    const row = rows.get(userId);
    const identity = row?.email ?? userId;
    const role = effective.get(userId) ?? (settings.scope === 'all' ? UNASSIGNED_ROLE : undefined);
    const link = userLinks.get(userId);
    const absent = (reason: string): GroupMember => ({ userId, identity, state: 'absent', targetId: link?.targetId ?? null, roleKey: role ?? null, roleKind: null, reason });
    if (!row || row.deleted) return absent('the user was deleted');
    if (role === undefined) return absent('the user is not assigned to the application');
    if (role === DEFAULT_ACCESS_ROLE) return absent('the user is assigned with Default Access, which is never provisioned');
    const roleKind = kinds.get(role) ?? null;
    return { userId, identity, state: link ? 'linked' : 'pending', targetId: link?.targetId ?? null, roleKey: role, roleKind };
  });
}

/**
 * Names the target users Roster provisioned among `targetIds` (members found in a target group
 * that the directory group does not cover), so the log shows who was added by hand.
 */
export async function describeTargetUsers(executor: Executor, applicationId: string, targetIds: readonly string[]): Promise<GroupMember[]> {
  if (targetIds.length === 0) return [];
  const rows = await executor
    .select({ userId: links.directoryId, targetId: links.targetId, email: users.email })
    .from(links)
    .innerJoin(users, eq(users.id, links.directoryId))
    .where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), anyOf(links.targetId, targetIds, 'text')));
  return rows.map((r) => ({ userId: r.userId, identity: r.email, state: 'absent', targetId: r.targetId, roleKey: null, roleKind: null, reason: 'not covered by the directory group' }));
}
