/**
 * Multi-row writes for imports: one statement inserts or updates a whole batch of users through
 * `jsonb_to_recordset`, so a 500-row batch costs a handful of round trips, not 1,500.
 */
import { type SQL, sql } from 'drizzle-orm';
import { anyOf } from '../db/any-of.ts';
import type { Executor } from '../db/database.ts';
import type { UserRow } from '../directory/users/user-fields.ts';

const columns = `id uuid, email text, given_name text, family_name text, display_name text, phone text, mobile text, job_title text,
  department text, employee_id text, manager_id uuid, locale text, time_zone text, organization text, location text, custom jsonb,
  status text, version int`;
const names = 'id, email, given_name, family_name, display_name, phone, mobile, job_title, department, employee_id, manager_id, locale, time_zone, organization, location, custom, status';

const toRecord = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  given_name: u.givenName,
  family_name: u.familyName,
  display_name: u.displayName,
  phone: u.phone,
  mobile: u.mobile,
  job_title: u.jobTitle,
  department: u.department,
  employee_id: u.employeeId,
  manager_id: u.managerId,
  locale: u.locale,
  time_zone: u.timeZone,
  organization: u.organization,
  location: u.location,
  custom: u.custom,
  status: u.status,
  version: u.version,
});

/** Thrown when a row changed between the batch's read and its write; the caller retries row by row. */
export class BatchRaceError extends Error {
  constructor() {
    super('A user in this batch changed while the batch was being applied.');
  }
}

export async function insertUsers(executor: Executor, rows: readonly UserRow[]): Promise<void> {
  if (rows.length === 0) return;
  await executor.execute(
    sql`insert into users (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as x(${sql.raw(columns)})`,
  );
}

/** Updates each row whose stored version is still `version - 1`; any other outcome is a race. */
export async function updateUsers(executor: Executor, rows: readonly UserRow[]): Promise<void> {
  if (rows.length === 0) return;
  const set = names
    .split(', ')
    .filter((n) => n !== 'id')
    .map((n) => `${n} = x.${n}`)
    .join(', ');
  const result = (await executor.execute(
    sql`update users u set ${sql.raw(set)}, version = x.version, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as x(${sql.raw(columns)})
        where u.id = x.id and u.version = x.version - 1 and u.deleted_at is null`,
  )) as unknown as { rowCount?: number | null; affectedRows?: number };
  const changed = result.rowCount ?? result.affectedRows;
  if (changed !== rows.length) throw new BatchRaceError();
}

/** `expr = any(<values>)` with the values as one array parameter (db/any-of.ts): thousands of `$n` parameters are slow to bind, and past 65,535 fail. */
export const inJsonList = (expr: SQL, values: readonly string[], elementType: 'text' | 'uuid' = 'text'): SQL => anyOf(expr, values, elementType);

/** Audit and outbox rows for a whole batch: the directory's writers take one JSON parameter for big batches. */
export { type AuditRow, insertAuditRows } from '../audit/audit.ts';
export { recordChanges as insertOutboxRows } from '../directory/outbox.ts';
