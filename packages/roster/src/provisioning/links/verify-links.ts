/**
 * The evidence for the identity check (identity-check.ts) when a run has no full read of the
 * target: the linked accounts read back, one request per 100 (`users.getMany`). And the guard that
 * keeps membership writes off accounts whose link failed the check.
 */
import type { Connection, ConnectorError, TargetUser } from '../../connectors/contract.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import type { GroupPlan, GroupPlanAction } from '../groups/group-plan-types.ts';
import type { Executor } from '../../db/database.ts';
import type { Plan, UserLink } from '../diff/plan-types.ts';
import { unlinkOnly } from '../diff/plan.ts';
import { checkIdentity, claimOf, type LinkMismatch } from './identity-check.ts';
import { readUserLinks } from './user-links.ts';

/** The accounts the links name, as the target holds them now. */
export async function readLinkedAccounts(connection: Connection, links: readonly UserLink[], sleep: (ms: number) => Promise<void>): Promise<Result<TargetUser[], ConnectorError>> {
  const ids = [...new Set(links.map((l) => l.targetId))];
  if (ids.length === 0) return { ok: true, value: [] };
  return callWithRetry(() => connection.users.getMany(ids), { sleep });
}

/** The links among `links` whose accounts fail the identity check, by directory user. */
export function mismatchedLinks(links: readonly UserLink[], accounts: readonly TargetUser[], matching: readonly string[]): Map<string, LinkMismatch> {
  const byId = new Map(accounts.map((t) => [t.id, t]));
  const out = new Map<string, LinkMismatch>();
  for (const l of links) {
    const v = checkIdentity(claimOf(l, undefined, matching), byId.get(l.targetId));
    if (!v.ok) out.set(l.directoryId, { reason: v.reason, expected: v.expected, held: v.held });
  }
  return out;
}

/** Membership actions that would write to (or adopt) a target user account. */
const touchesAccount = (a: GroupPlanAction): boolean =>
  a.objectType === 'membership' && a.directoryId !== null && ((a.kind === 'add_member' && a.targetUserId !== null) || a.kind === 'link_member' || (a.kind === 'remove_member' && a.targetUserId !== null));

/** Directory users whose accounts the group plan would write to by their link. */
export function membersTouched(plan: GroupPlan): string[] {
  return [...new Set(plan.actions.filter(touchesAccount).map((a) => a.directoryId!))];
}

/**
 * Keeps membership changes off accounts whose link failed the check. A member re-matched earlier in
 * this run (`rematched`) is added by the link that run writes; any other is skipped with the code.
 */
export function guardMemberships(plan: GroupPlan, mismatched: ReadonlySet<string>, rematched: ReadonlySet<string>): GroupPlan {
  if (mismatched.size === 0) return plan;
  const actions = plan.actions.map((a): GroupPlanAction => {
    if (!touchesAccount(a) || !mismatched.has(a.directoryId!) || a.objectType !== 'membership') return a;
    if (a.kind === 'add_member' && rematched.has(a.directoryId!)) return { ...a, targetUserId: null, steps: [...a.steps, { name: 'action', outcome: 'add_member', detail: 'the user is matched again earlier in this run (link mismatch)' }] };
    const reason = `not changed: the user's link failed the identity check (link_mismatch); nothing is written to that account`;
    return { objectType: 'membership', directoryId: a.directoryId, identity: a.identity, groupId: a.groupId, groupName: a.groupName, kind: 'skip', code: 'link_mismatch', reason, steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'skipped', detail: reason }], changes: [] };
  });
  return { ...plan, actions };
}

/**
 * No membership change reaches an account whose link failed the identity check. A full cycle's user
 * plan checked every link; otherwise the members outside this batch (`verified`) are read back and
 * checked here, and a mismatched one has its link dropped and logged like any other (an `unlink`
 * action added to `users`).
 */
export async function guardGroupPlan(
  db: Executor,
  connection: Connection,
  applicationId: string,
  matching: readonly string[],
  users: Plan,
  groups: GroupPlan,
  verified: ReadonlySet<string> | null,
  sleep: (ms: number) => Promise<void>,
): Promise<Result<GroupPlan, ConnectorError>> {
  const mismatched = new Set(users.actions.filter((a) => a.mismatch !== undefined).map((a) => a.directoryId));
  const rematched = new Set(users.actions.filter((a) => a.mismatch !== undefined && a.kind !== 'unlink').map((a) => a.directoryId));
  const unverified = verified === null ? [] : membersTouched(groups).filter((id) => !verified.has(id));
  if (unverified.length > 0) {
    const memberLinks = await readUserLinks(db, applicationId, unverified);
    const accounts = await readLinkedAccounts(connection, memberLinks, sleep);
    if (!accounts.ok) return accounts;
    for (const [directoryId, mismatch] of mismatchedLinks(memberLinks, accounts.value, matching)) {
      mismatched.add(directoryId);
      users.actions.push(unlinkOnly(memberLinks.find((l) => l.directoryId === directoryId)!, mismatch, undefined));
    }
  }
  return { ok: true, value: guardMemberships(groups, mismatched, rematched) };
}
