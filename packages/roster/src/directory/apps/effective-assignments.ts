/**
 * The provisioning engine's view of an application's assignments: for each live user covered
 * (directly or through any depth of group nesting), the one role that applies and the assignment it
 * comes from. Inactive users are included (the engine suspends them); deleted users are not.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { assignments, users } from '../../db/schema.ts';
import { usersByGroup } from '../groups/expand-group-users.ts';
import { entryOf, findAppRow } from './app-view.ts';
import { type Candidate, pickAssignment } from './pick-role.ts';

export interface EffectiveAssignment {
  userId: string;
  role: string;
  roleLabel: string;
  /** The assignment the role comes from: the user's own, or one of a group that covers them. */
  via: { assignmentId: string; principalType: 'user' | 'group'; principalId: string };
}

export interface EffectiveOptions {
  /** Only these users (the incremental path after a directory change). */
  userIds?: readonly string[] | undefined;
}

/** Sorted by user id. A deleted or unknown application is a 404 naming `applicationId`. */
export async function effectiveAssignments(executor: Executor, applicationId: string, opts: EffectiveOptions = {}): Promise<EffectiveAssignment[]> {
  const app = await findAppRow(executor, applicationId, 'applicationId');
  const entry = entryOf(app.type);
  if (opts.userIds?.length === 0) return [];
  const groupRows = await executor
    .select()
    .from(assignments)
    .where(and(eq(assignments.applicationId, applicationId), eq(assignments.principalType, 'group')));
  const candidatesByUser = new Map<string, Candidate[]>();
  const add = (userId: string, c: Candidate) => {
    const list = candidatesByUser.get(userId);
    if (list) list.push(c);
    else candidatesByUser.set(userId, [c]);
  };
  const toCandidate = (a: typeof assignments.$inferSelect): Candidate => ({
    assignmentId: a.id,
    principalType: a.principalType as Candidate['principalType'],
    principalId: a.principalId,
    role: a.role,
    roleLabel: a.roleLabel,
    createdAt: a.createdAt,
  });

  // Joined in SQL rather than by id list: an application can have 100k direct assignments.
  const direct = await executor
    .select({ a: assignments })
    .from(assignments)
    .innerJoin(users, and(eq(users.id, assignments.principalId), isNull(users.deletedAt)))
    .where(
      and(
        eq(assignments.applicationId, applicationId),
        eq(assignments.principalType, 'user'),
        opts.userIds ? anyOf(assignments.principalId, opts.userIds) : undefined,
      ),
    );
  for (const { a } of direct) add(a.principalId, toCandidate(a));
  const covered = await usersByGroup(executor, groupRows.map((a) => a.principalId), opts.userIds);
  // One candidate per group assignment, shared by every member it covers (a group can cover 100,000 users).
  for (const a of groupRows) {
    const candidate = toCandidate(a);
    for (const userId of covered.get(a.principalId) ?? []) add(userId, candidate);
  }

  // Likewise one `via` per assignment (read-only, like the candidates).
  const vias = new Map<Candidate, EffectiveAssignment['via']>();
  const viaOf = (c: Candidate): EffectiveAssignment['via'] => {
    let via = vias.get(c);
    if (!via) vias.set(c, (via = Object.freeze({ assignmentId: c.assignmentId, principalType: c.principalType, principalId: c.principalId })));
    return via;
  };
  const result: EffectiveAssignment[] = [];
  for (const [userId, candidates] of candidatesByUser) {
    const best = pickAssignment(candidates, (role) => entry.roleRank(role))!;
    result.push({ userId, role: best.role, roleLabel: best.roleLabel, via: viaOf(best) });
  }
  return result.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
