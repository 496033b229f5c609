/**
 * Assigns one user or group to an application with an app role. Assigning a principal that already
 * has an assignment is a 409 `duplicate` carrying the existing assignment's id and version (change
 * its role with PATCH); the bulk call upserts instead (see bulk-assign.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { assignments } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { AppError } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, inTransaction, isUniqueViolation } from '../write-helpers.ts';
import type { Assignment, CreateAssignmentInput } from './assignment-schemas.ts';
import { assertPrincipalsExist, findAssignment, resolveRole } from './assignment-view.ts';
import { entryOf, findAppRow } from './app-view.ts';

export async function createAssignment(
  executor: Executor,
  principal: Principal,
  applicationId: string,
  input: CreateAssignmentInput,
  opts: WriteOptions = {},
): Promise<Assignment> {
  try {
    return await inTransaction(executor, async (tx) => {
      const app = await findAppRow(tx, applicationId);
      const role = resolveRole(entryOf(app.type), input.role, input.roleLabel, 'body.role');
      await assertPrincipalsExist(tx, [input], () => 'body.principalId');
      const [existing] = await tx
        .select({ id: assignments.id, version: assignments.version })
        .from(assignments)
        .where(and(eq(assignments.applicationId, applicationId), eq(assignments.principalType, input.principalType), eq(assignments.principalId, input.principalId)));
      if (existing) throw duplicateAssignment(input.principalType, existing);
      const [row] = await tx
        .insert(assignments)
        .values({ applicationId, principalType: input.principalType, principalId: input.principalId, role: role.key, roleLabel: role.label })
        .returning({ id: assignments.id });
      const created = await findAssignment(tx, applicationId, row!.id);
      await recordAudit(tx, principal, { action: 'assignment.create', targetType: 'assignment', targetId: created.id, after: created }, opts.requestId);
      await recordChange(tx, {
        entityType: 'assignment',
        entityId: created.id,
        op: 'created',
        data: { applicationId, principalType: created.principalType, principalId: created.principalId, role: created.role },
      });
      return created;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'assignments_principal_key')) throw duplicateAssignment(input.principalType);
    throw e;
  }
}

const duplicateAssignment = (type: string, existing?: { id: string; version: number }): AppError =>
  new AppError('duplicate', `This ${type} is already assigned to the application${existing ? ` (assignment ${existing.id}); change its role instead` : ''}.`, {
    issues: [{ path: 'body.principalId', reason: 'already assigned to this application' }],
    ...(existing ? { details: { assignmentId: existing.id, currentVersion: existing.version } } : {}),
  });
