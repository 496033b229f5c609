/**
 * Adds direct members (users or groups) to a group, up to 1000 per call, all or nothing. Adding an
 * existing member changes nothing and writes no outbox row. A group may not contain itself, directly
 * or through nesting.
 */
import type { Principal } from '../../admins/permissions.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { groupMembers } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { AppError, type FieldIssue } from '../../errors/app-error.ts';
import { recordChanges } from '../outbox.ts';
import { type WriteOptions, advisoryLock, inTransaction } from '../write-helpers.ts';
import { MAX_MEMBERS_PER_CALL, type MemberRef } from './group-schemas.ts';
import { findGroup } from './group-view.ts';
import { liveRefs } from './live-refs.ts';
import { NESTING_LOCK, groupsThatWouldCycle } from './nesting.ts';

export interface AddMembersResult {
  added: MemberRef[];
  alreadyMembers: MemberRef[];
}

export interface AddMembersOptions extends WriteOptions {
  /** How the API names the member id of input `index` (default `body.members.<index>.memberId`). */
  pathOf?: (index: number) => string;
}

export async function addMembers(
  executor: Executor,
  principal: Principal,
  groupId: string,
  members: readonly MemberRef[],
  opts: AddMembersOptions = {},
): Promise<AddMembersResult> {
  const pathOf = opts.pathOf ?? ((i: number) => `body.members.${i}.memberId`);
  if (members.length > MAX_MEMBERS_PER_CALL) {
    throw new AppError('validation_failed', `At most ${MAX_MEMBERS_PER_CALL} members per call.`, { issues: [{ path: 'body.members', reason: `more than ${MAX_MEMBERS_PER_CALL}` }] });
  }
  return inTransaction(executor, async (tx) => {
    if (members.some((m) => m.memberType === 'group')) await advisoryLock(tx, NESTING_LOCK);
    await findGroup(tx, groupId);
    await assertMembersExist(tx, members, pathOf);
    const cycles = await groupsThatWouldCycle(tx, groupId, members.filter((m) => m.memberType === 'group').map((m) => m.memberId));
    if (cycles.size > 0) {
      const issues = members.flatMap((m, i): FieldIssue[] =>
        m.memberType === 'group' && cycles.has(m.memberId)
          ? [{ path: pathOf(i), reason: m.memberId === groupId ? 'a group cannot contain itself' : 'already contains this group (directly or through nesting), so adding it would make a cycle' }]
          : [],
      );
      throw new AppError('cycle', `Adding ${issues.length === 1 ? 'this group' : 'these groups'} would make group ${groupId} contain itself.`, { issues, details: { groupId } });
    }
    const unique = dedupe(members);
    const inserted = await tx
      .insert(groupMembers)
      .values(unique.map((m) => ({ groupId, memberType: m.memberType, memberId: m.memberId })))
      .onConflictDoNothing()
      .returning({ memberType: groupMembers.memberType, memberId: groupMembers.memberId });
    const added = inserted.map((r) => ({ memberType: r.memberType as MemberRef['memberType'], memberId: r.memberId }));
    const addedKeys = new Set(added.map(keyOf));
    const alreadyMembers = unique.filter((m) => !addedKeys.has(keyOf(m)));
    if (added.length > 0) {
      await recordChanges(
        tx,
        added.map((m) => ({ entityType: 'group_member' as const, entityId: groupId, op: 'added' as const, data: { groupId, memberType: m.memberType, memberId: m.memberId } })),
      );
      await recordAudit(tx, principal, { action: 'group.member.add', targetType: 'group', targetId: groupId, after: { members: added } }, opts.requestId);
    }
    return { added, alreadyMembers };
  });
}

async function assertMembersExist(tx: Tx, members: readonly MemberRef[], pathOf: (i: number) => string): Promise<void> {
  const found = await liveRefs(tx, members.map((m) => ({ type: m.memberType, id: m.memberId })));
  const issues = members.flatMap((m, i): FieldIssue[] => (found.has(keyOf(m)) ? [] : [{ path: pathOf(i), reason: `no such ${m.memberType}` }]));
  if (issues.length > 0) {
    throw new AppError('not_found', issues.length === 1 ? `No ${members.find((m) => !found.has(keyOf(m)))?.memberType} with that id.` : `${issues.length} members do not exist.`, { issues });
  }
}

const keyOf = (m: MemberRef): string => `${m.memberType}:${m.memberId}`;

const dedupe = (members: readonly MemberRef[]): MemberRef[] => [...new Map(members.map((m) => [keyOf(m), m])).values()];
