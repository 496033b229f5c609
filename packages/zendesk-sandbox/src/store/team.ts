import type { Account } from './account.ts';
import type { MembershipRecord } from './memberships.ts';
import { isTeamMember, type Role, type UserRecord } from './user-record.ts';

/** Adds a membership; the user's first one becomes the default (API-NOTES §4). */
export function addMembership(account: Account, userId: number, groupId: number, now: string): MembershipRecord {
  const first = account.memberships.forUser(userId).length === 0;
  const m: MembershipRecord = { id: account.ids.take(), userId, groupId, default: first, createdAt: now, updatedAt: now };
  account.memberships.insert(m);
  return m;
}

/** Every agent has a default membership; new team members join the account's default group. */
export function ensureDefaultMembership(account: Account, user: UserRecord, now: string): void {
  if (!isTeamMember(user) || account.memberships.forUser(user.id).length > 0) return;
  const group = account.groups.defaultGroup() ?? account.groups.live()[0];
  if (group) addMembership(account, user.id, group.id, now);
}

/**
 * Sets role and custom role with their knock-on effects: admins point at the system Admin role on
 * custom-role plans (as recorded), demotion to end user drops group memberships.
 */
export function applyRole(account: Account, user: UserRecord, role: Role, customRoleId: number | null, now: string): void {
  const wasTeam = isTeamMember(user);
  user.role = role;
  if (role === 'admin') {
    user.customRoleId = account.plan.customRoles ? (account.roles.systemOfType(4)?.id ?? null) : null;
    user.ticketRestriction = null;
  } else if (role === 'agent') {
    user.customRoleId = customRoleId;
    user.ticketRestriction = customRoleId === null ? null : 'groups';
  } else {
    user.customRoleId = null;
    user.ticketRestriction = 'requested';
    user.signature = null;
  }
  if (wasTeam && role === 'end-user') account.memberships.removeUser(user.id);
  ensureDefaultMembership(account, user, now);
}
