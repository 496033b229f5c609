/**
 * Assigns up to 1000 users and groups at once, all or nothing. It upserts: a principal already
 * assigned gets the named role (or stays unchanged), so a caller can re-send a list safely.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { assignments } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { AppError, type FieldIssue } from '../../errors/app-error.ts';
import { type Change, recordChanges } from '../outbox.ts';
import { type WriteOptions, inTransaction, isUniqueViolation, queryRows } from '../write-helpers.ts';
import type { AppRole } from '../../connectors/app-roles.ts';
import { type BulkAssignResult, type CreateAssignmentInput, MAX_ASSIGNMENTS_PER_CALL } from './assignment-schemas.ts';
import { assertPrincipalsExist, resolveRole } from './assignment-view.ts';
import { entryOf, findAppRow } from './app-view.ts';

export async function bulkAssign(
  executor: Executor,
  principal: Principal,
  applicationId: string,
  inputs: readonly CreateAssignmentInput[],
  opts: WriteOptions = {},
): Promise<BulkAssignResult> {
  if (inputs.length > MAX_ASSIGNMENTS_PER_CALL) {
    throw new AppError('validation_failed', `At most ${MAX_ASSIGNMENTS_PER_CALL} assignments per call.`, { issues: [{ path: 'body.assignments', reason: `more than ${MAX_ASSIGNMENTS_PER_CALL}` }] });
  }
  assertNoRepeats(inputs);
  try {
    return await inTransaction(executor, async (tx) => {
      const app = await findAppRow(tx, applicationId);
      const entry = entryOf(app.type);
      const roles = inputs.map((a, i) => resolveRole(entry, a.role, a.roleLabel, `body.assignments.${i}.role`));
      await assertPrincipalsExist(tx, inputs, (i) => `body.assignments.${i}.principalId`);
      // The ids as one array parameter: a thousand bound parameters are slow to build and bind (PGlite).
      const ids = inputs.map((a) => a.principalId);
      const existing = await tx
        .select()
        .from(assignments)
        .where(and(eq(assignments.applicationId, applicationId), anyOf(assignments.principalId, ids)));
      const byPrincipal = new Map(existing.map((a) => [`${a.principalType}:${a.principalId}`, a]));

      const result: BulkAssignResult = { created: 0, updated: 0, unchanged: 0, items: [] };
      const changes: Change[] = [];
      const toInsert: { input: CreateAssignmentInput; role: AppRole }[] = [];
      const toUpdate: { id: string; role: AppRole }[] = [];
      for (const [i, input] of inputs.entries()) {
        const role = roles[i]!;
        const current = byPrincipal.get(`${input.principalType}:${input.principalId}`);
        if (!current) {
          toInsert.push({ input, role });
        } else if (current.role === role.key && current.roleLabel === role.label) {
          result.unchanged++;
          result.items.push({ id: current.id, principalType: input.principalType, principalId: input.principalId, role: role.key, result: 'unchanged' });
        } else {
          toUpdate.push({ id: current.id, role });
          result.updated++;
          result.items.push({ id: current.id, principalType: input.principalType, principalId: input.principalId, role: role.key, result: 'updated' });
          changes.push(change(current.id, 'updated', applicationId, input, role.key, current.role));
        }
      }
      if (toUpdate.length > 0) {
        // One statement for every role change: a thousand single updates take seconds on PGlite.
        const values = sql.join(toUpdate.map((u) => sql`(${u.id}::uuid, ${u.role.key}, ${u.role.label})`), sql`, `);
        await tx.execute(sql`
          update assignments a set role = v.role, role_label = v.label, version = a.version + 1, updated_at = now()
          from (values ${values}) as v(id, role, label) where a.id = v.id`);
      }
      if (toInsert.length > 0) {
        const records = JSON.stringify(toInsert.map(({ input, role }, ord) => ({ ord, principal_type: input.principalType, principal_id: input.principalId, role: role.key, role_label: role.label })));
        const rows = await queryRows<{ id: string; principalType: string; principalId: string; role: string }>(
          tx,
          sql`insert into assignments (application_id, principal_type, principal_id, role, role_label)
            select ${applicationId}::uuid, principal_type, principal_id, role, role_label
            from jsonb_to_recordset(${records}::jsonb) as x(ord int, principal_type text, principal_id uuid, role text, role_label text) order by ord
            returning id, principal_type as "principalType", principal_id as "principalId", role`,
        );
        for (const r of rows) {
          const input = { principalType: r.principalType as CreateAssignmentInput['principalType'], principalId: r.principalId };
          result.created++;
          result.items.push({ id: r.id, ...input, role: r.role, result: 'created' });
          changes.push(change(r.id, 'created', applicationId, input, r.role));
        }
      }
      await recordChanges(tx, changes, { origin: opts.origin });
      if (changes.length > 0) {
        await recordAudit(
          tx,
          principal,
          { action: 'assignment.bulk', targetType: 'application', targetId: applicationId, after: { created: result.created, updated: result.updated, items: result.items.filter((x) => x.result !== 'unchanged') } },
          opts.requestId,
        );
      }
      return result;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'assignments_principal_key')) {
      throw new AppError('conflict', 'Someone assigned some of these principals at the same moment; send the list again.', { issues: [{ path: 'body.assignments', reason: 'changed concurrently' }] });
    }
    throw e;
  }
}

function assertNoRepeats(inputs: readonly CreateAssignmentInput[]): void {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  for (const [i, a] of inputs.entries()) {
    const key = `${a.principalType}:${a.principalId}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push({ path: `body.assignments.${i}.principalId`, reason: `repeats body.assignments.${first}` });
    else seen.set(key, i);
  }
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((x) => `${x.path}: ${x.reason}`).join('; '), { issues });
}

const change = (
  id: string,
  op: 'created' | 'updated',
  applicationId: string,
  p: { principalType: string; principalId: string },
  role: string,
  previousRole?: string,
): Change => ({
  entityType: 'assignment',
  entityId: id,
  op,
  data: { applicationId, principalType: p.principalType, principalId: p.principalId, role, ...(previousRole ? { previousRole } : {}) },
});
