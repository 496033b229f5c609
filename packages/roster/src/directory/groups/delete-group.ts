/**
 * Soft-deletes a group. It leaves every group it was a member of and loses its application
 * assignments (each with an outbox row, so the engine removes what they granted); its own member
 * rows stay but are never read through a deleted group.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { assignments, groupMembers, groups } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { type Change, recordChanges } from '../outbox.ts';
import { type WriteOptions, advisoryLock, inTransaction } from '../write-helpers.ts';
import { checkVersion, findGroup } from './group-view.ts';
import { NESTING_LOCK } from './nesting.ts';

export async function deleteGroup(executor: Executor, principal: Principal, id: string, expectedVersion: number | undefined, opts: WriteOptions = {}): Promise<void> {
  await inTransaction(executor, async (tx) => {
    await advisoryLock(tx, NESTING_LOCK);
    await tx.execute(sql`select 1 from ${groups} where ${groups.id} = ${id} for update`);
    const group = await findGroup(tx, id);
    checkVersion(group, expectedVersion);
    await tx.update(groups).set({ deletedAt: new Date(), version: sql`${groups.version} + 1`, updatedAt: new Date() }).where(eq(groups.id, id));
    const parents = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.memberType, 'group'), eq(groupMembers.memberId, id)))
      .returning({ groupId: groupMembers.groupId });
    const removedAssignments = await tx
      .delete(assignments)
      .where(and(eq(assignments.principalType, 'group'), eq(assignments.principalId, id)))
      .returning({ id: assignments.id, applicationId: assignments.applicationId, role: assignments.role });
    const changes: Change[] = [
      ...parents.map((p): Change => ({ entityType: 'group_member', entityId: p.groupId, op: 'removed', data: { groupId: p.groupId, memberType: 'group', memberId: id } })),
      ...removedAssignments.map((a): Change => ({
        entityType: 'assignment',
        entityId: a.id,
        op: 'deleted',
        data: { applicationId: a.applicationId, principalType: 'group', principalId: id, role: a.role },
      })),
      { entityType: 'group', entityId: id, op: 'deleted', data: { name: group.name } },
    ];
    await recordChanges(tx, changes);
    await recordAudit(
      tx,
      principal,
      {
        action: 'group.delete',
        targetType: 'group',
        targetId: id,
        before: { name: group.name, description: group.description, memberOf: parents.map((p) => p.groupId), assignments: removedAssignments },
      },
      opts.requestId,
    );
  });
}
