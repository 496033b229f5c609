/**
 * Membership writes meet the identity check again just before they are sent: the plan verified the
 * member's account when it read the target, but a run can take minutes, and an account can change
 * identity meanwhile (a reset target hands its ids to other people). The member accounts named by
 * the plan are read once more (one request per 100) against their links; a membership whose account
 * no longer proves to be its user's is not written (the user's own next run drops the link).
 */
import type { Connection, ConnectorError } from '../../connectors/contract.ts';
import type { Executor } from '../../db/database.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import { checkIdentity, claimOf } from '../links/identity-check.ts';
import { readUserLinks } from '../links/user-links.ts';

export interface MemberAccount {
  directoryId: string;
  targetUserId: string;
}

/** The `directoryId:targetUserId` pairs among `members` whose account no longer proves to be the user's. */
export async function unprovenMembers(
  deps: { db: Executor; applicationId: string; connection: Connection; sleep(ms: number): Promise<void> },
  members: readonly MemberAccount[],
): Promise<Result<Set<string>, ConnectorError>> {
  if (members.length === 0) return { ok: true, value: new Set() };
  const links = new Map((await readUserLinks(deps.db, deps.applicationId, [...new Set(members.map((m) => m.directoryId))])).map((l) => [l.directoryId, l]));
  const read = await callWithRetry(() => deps.connection.users.getMany([...new Set(members.map((m) => m.targetUserId))]), { sleep: deps.sleep });
  if (!read.ok) return read;
  const accounts = new Map(read.value.map((t) => [t.id, t]));
  const out = new Set<string>();
  for (const m of members) {
    const link = links.get(m.directoryId);
    // The evidence is an external id the link wrote (or the directory id): a member's account always got one when it was linked.
    // With no link left (this run deleted the user's account), only an account that is gone is safe to touch.
    const account = accounts.get(m.targetUserId);
    const proven = link === undefined ? !account?.active : link.targetId === m.targetUserId && checkIdentity(claimOf(link, undefined, []), account).ok;
    if (!proven) out.add(memberKey(m));
  }
  return { ok: true, value: out };
}

export const memberKey = (m: MemberAccount): string => `${m.directoryId}:${m.targetUserId}`;

export const UNPROVEN_REASON = "not changed: the member's account no longer proves to be theirs (link_mismatch); nothing is written to it";
