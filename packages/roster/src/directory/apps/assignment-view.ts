/** Reads assignments with their principal's name, and the checks every assignment write starts with. */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { AppError, type FieldIssue } from '../../errors/app-error.ts';
import { liveRefs, refKey } from '../groups/live-refs.ts';
import { isoTime, queryRows } from '../write-helpers.ts';
import type { Assignment, PrincipalType } from './assignment-schemas.ts';
import type { GalleryEntry } from './gallery.ts';
import type { AppRole } from '../../connectors/app-roles.ts';

export interface AssignmentRow {
  id: string;
  application_id: string;
  principal_type: PrincipalType;
  principal_id: string;
  principal_name: string;
  sort_name: string;
  principal_email: string | null;
  role: string;
  role_label: string;
  version: number;
  created_at: unknown;
  updated_at: unknown;
}

/**
 * Assignments with their principal's name; `where` filters on alias `a` (assignments). With
 * `liveOnly` false, assignments whose principal was deleted are included (named ''), so they can be removed.
 */
export const assignmentRowsSql = (where: SQL, liveOnly = true): SQL => sql`
  select a.id, a.application_id, a.principal_type, a.principal_id,
         coalesce(u.display_name, g.name, '') as principal_name, lower(coalesce(u.display_name, g.name, '')) as sort_name,
         u.email as principal_email, a.role, a.role_label, a.version, a.created_at, a.updated_at
  from assignments a
    left join users u on a.principal_type = 'user' and u.id = a.principal_id and u.deleted_at is null
    left join groups g on a.principal_type = 'group' and g.id = a.principal_id and g.deleted_at is null
  where ${liveOnly ? sql`(u.id is not null or g.id is not null)` : sql`true`} and ${where}`;

export const toAssignment = (r: AssignmentRow): Assignment => ({
  id: r.id,
  applicationId: r.application_id,
  principalType: r.principal_type,
  principalId: r.principal_id,
  principalName: r.principal_name,
  principalEmail: r.principal_email,
  role: r.role,
  roleLabel: r.role_label,
  version: Number(r.version),
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
});

/** The assignment `assignmentId` of application `applicationId`, or a 404 naming `params.assignmentId`. */
export async function findAssignment(executor: Executor, applicationId: string, assignmentId: string, liveOnly = true): Promise<Assignment> {
  const [row] = await queryRows<AssignmentRow>(executor, assignmentRowsSql(sql`a.id = ${assignmentId}::uuid and a.application_id = ${applicationId}::uuid`, liveOnly));
  if (!row) {
    throw new AppError('not_found', `Application ${applicationId} has no assignment ${assignmentId}.`, {
      issues: [{ path: 'params.assignmentId', reason: 'no such assignment of this application' }],
      details: { kind: 'assignment', id: assignmentId },
    });
  }
  return toAssignment(row);
}

/** Checks a role key with the gallery entry; a bad key is a 400 naming `path`. */
export function resolveRole(entry: GalleryEntry, key: string, label: string | undefined, path: string): AppRole {
  const check = entry.checkRole(key, undefined, label);
  if (!check.ok) throw new AppError('validation_failed', `${path}: ${check.reason}`, { issues: [{ path, reason: check.reason }] });
  return check.role;
}

/** Refuses principals that do not exist (or are deleted), naming each one's field. */
export async function assertPrincipalsExist(
  executor: Executor,
  refs: readonly { principalType: PrincipalType; principalId: string }[],
  pathOf: (index: number) => string,
): Promise<void> {
  const asRef = (r: (typeof refs)[number]) => ({ type: r.principalType, id: r.principalId });
  const found = await liveRefs(executor, refs.map(asRef));
  const issues = refs.flatMap((r, i): FieldIssue[] => (found.has(refKey(asRef(r))) ? [] : [{ path: pathOf(i), reason: `no such ${r.principalType}` }]));
  if (issues.length > 0) throw new AppError('not_found', issues.length === 1 ? `${issues[0]!.path}: ${issues[0]!.reason}` : `${issues.length} principals do not exist.`, { issues });
}
