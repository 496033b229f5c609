/**
 * Which assignment applies to a user covered by several: a direct user assignment always wins;
 * among group assignments the highest role by the gallery entry's rank wins (e.g.
 * admin > agent > custom > end-user > default-access); a tie goes to the older assignment.
 */

export interface Candidate {
  assignmentId: string;
  principalType: 'user' | 'group';
  principalId: string;
  role: string;
  roleLabel: string;
  createdAt: Date;
}

export function pickAssignment(candidates: readonly Candidate[], rank: (role: string) => number): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best || better(c, best, rank)) best = c;
  }
  return best;
}

function better(a: Candidate, b: Candidate, rank: (role: string) => number): boolean {
  if (a.principalType !== b.principalType) return a.principalType === 'user';
  const byRank = rank(a.role) - rank(b.role);
  if (byRank !== 0) return byRank > 0;
  const byAge = a.createdAt.getTime() - b.createdAt.getTime();
  if (byAge !== 0) return byAge < 0;
  return a.assignmentId < b.assignmentId;
}
