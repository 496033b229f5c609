/** Removes one direct member from a group. */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { groupMembers } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { AppError } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, advisoryLock, inTransaction } from '../write-helpers.ts';
import type { MemberRef } from './group-schemas.ts';
import { findGroup } from './group-view.ts';
import { NESTING_LOCK } from './nesting.ts';

/** Removes `member` from `groupId`; a member that is not a direct member is a 404 naming `params.memberId`. */
export async function removeMember(executor: Executor, principal: Principal, groupId: string, member: MemberRef, opts: WriteOptions = {}): Promise<void> {
  await inTransaction(executor, async (tx) => {
    if (member.memberType === 'group') await advisoryLock(tx, NESTING_LOCK);
    await findGroup(tx, groupId);
    const removed = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberType, member.memberType), eq(groupMembers.memberId, member.memberId)))
      .returning({ memberId: groupMembers.memberId });
    if (removed.length === 0) {
      throw new AppError('not_found', `The ${member.memberType} ${member.memberId} is not a direct member of group ${groupId}.`, {
        issues: [{ path: 'params.memberId', reason: 'not a direct member of this group' }],
      });
    }
    await recordChange(tx, { entityType: 'group_member', entityId: groupId, op: 'removed', data: { groupId, memberType: member.memberType, memberId: member.memberId } });
    await recordAudit(tx, principal, { action: 'group.member.remove', targetType: 'group', targetId: groupId, before: { member } }, opts.requestId);
  });
}
