/**
 * The assignments and links of a run's users, read once per run (issue 15, item 2) and handed to
 * every part of the plan that needs them: the desired state, the users' plan and the group state
 * (whose members are mostly the same users). Reads only what a part needs beyond them.
 */
import type { Executor } from '../../db/database.ts';
import { type EffectiveAssignment, effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { readUserLinks } from '../links/user-links.ts';
import type { UserLink } from '../diff/plan-types.ts';

export interface UserReads {
  /** The users read (undefined: every user of the application, a full cycle). */
  userIds: readonly string[] | undefined;
  assignments: EffectiveAssignment[];
  links: UserLink[];
}

/** One read of the assignments and one of the links of `userIds` (every user when undefined). */
export async function readUsersOnce(executor: Executor, applicationId: string, userIds: readonly string[] | undefined): Promise<UserReads> {
  const assignments = await effectiveAssignments(executor, applicationId, { userIds });
  const links = await readUserLinks(executor, applicationId, userIds);
  return { userIds, assignments, links };
}

/** Roles and links by user, for the users `reads` covers; `missing` lists those of `userIds` it does not. */
export function splitByReads(reads: UserReads | undefined, userIds: readonly string[]): { roles: Map<string, string>; links: Map<string, UserLink>; missing: string[] } {
  if (!reads) return { roles: new Map(), links: new Map(), missing: [...userIds] };
  const covered = reads.userIds === undefined ? null : new Set(reads.userIds);
  return {
    roles: new Map(reads.assignments.map((a) => [a.userId, a.role])),
    links: new Map(reads.links.map((l) => [l.directoryId, l])),
    missing: covered === null ? [] : userIds.filter((id) => !covered.has(id)),
  };
}
