/** An application's assignments, a page at a time, sorted by the principal's name. */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { queryRows } from '../write-helpers.ts';
import type { Assignment, PrincipalType } from './assignment-schemas.ts';
import { type AssignmentRow, assignmentRowsSql, toAssignment } from './assignment-view.ts';
import { findAppRow } from './app-view.ts';

export interface ListAssignmentsQuery {
  limit: number;
  /** Sort key of the last item of the previous page: `[lower(principal name), id]`. */
  after?: readonly [string, string] | undefined;
  principalType?: PrincipalType | undefined;
}

export async function listAssignments(executor: Executor, applicationId: string, query: ListAssignmentsQuery): Promise<{ items: Assignment[]; next: [string, string] | null }> {
  await findAppRow(executor, applicationId);
  const where = sql.join(
    [
      sql`a.application_id = ${applicationId}::uuid`,
      ...(query.principalType ? [sql`a.principal_type = ${query.principalType}`] : []),
    ],
    sql` and `,
  );
  const after = query.after ? sql`where (x.sort_name, x.id) > (${query.after[0]}, ${query.after[1]}::uuid)` : sql``;
  const rows = await queryRows<AssignmentRow>(executor, sql`select * from (${assignmentRowsSql(where)}) x ${after} order by x.sort_name, x.id limit ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toAssignment), next: rows.length > query.limit && last ? [last.sort_name, last.id] : null };
}
