/**
 * Multi-row writes for imports: one statement inserts or updates a whole batch of users through
 * `jsonb_to_recordset`, so a 500-row batch costs a handful of round trips, not 1,500.
 */
import { type SQL, sql } from 'drizzle-orm';
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

/**
 * `expr = any(<values>)` with the values as one JSON parameter: thousands of `$n` parameters are
 * slow to build and bind, and `any(array(…))` lets the planner use the index (an `in (select …)` does not).
 */
export const inJsonList = (expr: SQL, values: readonly string[], elementType: 'text' | 'uuid' = 'text'): SQL =>
  sql`${expr} = any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)::${sql.raw(elementType)}))`;

export interface AuditRow {
  actorId: string | null;
  actorEmail: string | null;
  via: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Audit entries for a whole batch in one statement (the values hold no secrets: user fields only). */
export async function insertAuditRows(executor: Executor, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({ actor_id: r.actorId, actor_email: r.actorEmail, via: r.via, action: r.action, target_type: r.targetType, target_id: r.targetId, before: r.before, after: r.after, request_id: r.requestId }));
  await executor.execute(sql`insert into audit_log (actor_id, actor_email, via, action, target_type, target_id, before, after, request_id)
    select actor_id, actor_email, via, action, target_type, target_id, before, after, request_id
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(actor_id uuid, actor_email text, via text, action text, target_type text, target_id text, before jsonb, after jsonb, request_id text)`);
}

/** Outbox rows for a whole batch in one statement, in the order given (ids follow it). */
export async function insertOutboxRows(executor: Executor, rows: readonly { entityType: string; entityId: string; op: string; data: Record<string, unknown> }[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r, ord) => ({ ord, entity_type: r.entityType, entity_id: r.entityId, op: r.op, data: r.data }));
  await executor.execute(sql`insert into outbox (entity_type, entity_id, op, data)
    select entity_type, entity_id, op, data from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(ord int, entity_type text, entity_id text, op text, data jsonb) order by ord`);
}
