/** Changes an assignment's role (optimistic concurrency), or removes the assignment. */
import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { assignments } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { versionConflict } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, inTransaction } from '../write-helpers.ts';
import type { Assignment } from './assignment-schemas.ts';
import { findAssignment, resolveRole } from './assignment-view.ts';
import { entryOf, findAppRow } from './app-view.ts';

export async function updateAssignment(
  executor: Executor,
  principal: Principal,
  applicationId: string,
  assignmentId: string,
  change: { role: string; roleLabel?: string | undefined },
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<Assignment> {
  return inTransaction(executor, async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const role = resolveRole(entryOf(app.type), change.role, change.roleLabel, 'body.role');
    await tx.execute(sql`select 1 from ${assignments} where ${assignments.id} = ${assignmentId} for update`);
    const before = await findAssignment(tx, applicationId, assignmentId);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('assignment', assignmentId, before.version);
    if (before.role === role.key && before.roleLabel === role.label) return before;
    await tx
      .update(assignments)
      .set({ role: role.key, roleLabel: role.label, version: sql`${assignments.version} + 1`, updatedAt: new Date() })
      .where(eq(assignments.id, assignmentId));
    const after = await findAssignment(tx, applicationId, assignmentId);
    await recordAudit(tx, principal, { action: 'assignment.update', targetType: 'assignment', targetId: assignmentId, before: { role: before.role, roleLabel: before.roleLabel }, after: { role: after.role, roleLabel: after.roleLabel } }, opts.requestId);
    await recordChange(tx, {
      entityType: 'assignment',
      entityId: assignmentId,
      op: 'updated',
      data: { applicationId, principalType: after.principalType, principalId: after.principalId, role: after.role, previousRole: before.role },
    });
    return after;
  });
}

export async function deleteAssignment(
  executor: Executor,
  principal: Principal,
  applicationId: string,
  assignmentId: string,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<void> {
  await inTransaction(executor, async (tx) => {
    await findAppRow(tx, applicationId);
    await tx.execute(sql`select 1 from ${assignments} where ${assignments.id} = ${assignmentId} for update`);
    const before = await findAssignment(tx, applicationId, assignmentId, false);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('assignment', assignmentId, before.version);
    await tx.delete(assignments).where(eq(assignments.id, assignmentId));
    await recordAudit(tx, principal, { action: 'assignment.delete', targetType: 'assignment', targetId: assignmentId, before }, opts.requestId);
    await recordChange(tx, {
      entityType: 'assignment',
      entityId: assignmentId,
      op: 'deleted',
      data: { applicationId, principalType: before.principalType, principalId: before.principalId, role: before.role },
    });
  });
}
