import { problems, type ApiProblem } from '../http/errors.ts';
import type { Account } from './account.ts';
import { isoNow } from './ids.ts';
import type { MembershipRecord } from './memberships.ts';
import { addMembership } from './team.ts';
import { isTeamMember } from './user-record.ts';

export type MembershipResult = { ok: true; membership: MembershipRecord } | { ok: false; problem: ApiProblem };

/**
 * Adds a user to a group. Only agents and admins may be members (end users → 422 with
 * `details.user_id`; exact Zendesk wording UNVERIFIED); duplicates → 422 DuplicateValue.
 */
export function createMembership(account: Account, userId: number, groupId: number): MembershipResult {
  const user = account.users.get(userId);
  const group = account.groups.get(groupId);
  const details: Record<string, Array<{ description: string; error: string }>> = {};
  if (!user || !user.active) details.user_id = [{ description: 'User: cannot be blank', error: 'BlankValue' }];
  else if (!isTeamMember(user)) details.user_id = [{ description: 'User: is an end user; only agents can be added to groups', error: 'InvalidValue' }];
  if (!group) details.group_id = [{ description: 'Group: cannot be blank', error: 'BlankValue' }];
  if (user && group && account.memberships.find(user.id, group.id)) {
    details.user_id = [{ description: 'User has already been taken', error: 'DuplicateValue' }];
  }
  if (Object.keys(details).length > 0) return { ok: false, problem: problems.recordInvalid(details) };
  return { ok: true, membership: addMembership(account, userId, groupId, isoNow()) };
}

/** Removes a membership; an agent's last one cannot go (every agent belongs to a group). */
export function deleteMembership(account: Account, m: MembershipRecord): ApiProblem | null {
  const user = account.users.get(m.userId);
  if (user && user.active && isTeamMember(user) && account.memberships.forUser(m.userId).length <= 1) {
    return problems.recordInvalid({ base: [{ description: 'An agent must belong to at least one group', error: 'InvalidValue' }] });
  }
  account.memberships.remove(m);
  return null;
}
