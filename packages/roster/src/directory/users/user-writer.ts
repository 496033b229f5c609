/**
 * The one writer of directory users. Every insert, update, status change and delete of a user —
 * from the API (one at a time), the CSV import and the import from a target (batches) — goes
 * through here, which writes the rows, their audit entries and their outbox rows in the caller's
 * transaction. Callers decide *what* changes (validation, matching, conflicts); this decides how a
 * change is stored and announced, the same way for all of them:
 * - a create is one `created` outbox row naming the fields it set;
 * - an update is an `updated` row for the fields other than status, and an `activated` /
 *   `deactivated` row when the status changes, with the audit actions `user.update` and
 *   `user.activate` / `user.deactivate` to match;
 * - an update only happens while the row still has the version it was read with; otherwise
 *   `UserRaceError` (batch callers retry row by row).
 * Changes read from an application (an import) carry its id as their origin: the outbox relay does
 * not send such a change back to the application it came from (provisioning/triggers/outbox-relay.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { type AuditEntry, recordAudit } from '../../audit/audit.ts';
import type { Executor } from '../../db/database.ts';
import { assignments, groupMembers, users } from '../../db/schema.ts';
import { type Change, recordChanges } from '../outbox.ts';
import { type UserRow, type UserView, toUserView } from './user-fields.ts';

/** Thrown when a row changed between its read and its write. */
export class UserRaceError extends Error {
  constructor() {
    super('A user changed while the change was being applied.');
  }
}

export interface UserWriteContext {
  actor: Principal;
  requestId?: string | undefined;
  /** The application the values were read from (an import): outbox rows name it, and the relay does not plan it for them. */
  origin?: string | undefined;
  /** `full`: audit entries carry whole views (one user at a time: the API); `changed` (default): only the fields written. */
  audit?: 'full' | 'changed';
}

export interface UserCreate {
  /** The complete row (id chosen by the caller); its version is set to 1. */
  next: UserRow;
  /** Added to the audit entry's `after` (e.g. where an import read it). */
  note?: Record<string, unknown>;
}

export interface UserUpdate {
  current: UserRow;
  /** The row after the change; its version is set to `current.version + 1`. */
  next: UserRow;
  /** The changed fields when the caller knows them (`changedFields`); computed otherwise. */
  fields?: readonly string[];
  note?: Record<string, unknown>;
}

export interface UserWrites {
  creates?: readonly UserCreate[];
  updates?: readonly UserUpdate[];
}

/** Up to this many rows go through drizzle one statement per row kind; more go as one JSON parameter. */
const SMALL_BATCH = 20;

/** Writes a batch of creates and updates (updates that change nothing are left out); returns the rows as stored. */
export async function writeUsers(executor: Executor, writes: UserWrites, ctx: UserWriteContext): Promise<UserRow[]> {
  const creates = writes.creates ?? [];
  const updates = (writes.updates ?? []).map((u) => ({ ...u, fields: u.fields ?? changedFields(toUserView(u.current), toUserView(u.next)) })).filter((u) => u.fields.length > 0);
  for (const c of creates) c.next.version = 1;
  for (const u of updates) u.next.version = u.current.version + 1;
  const stored = [...(await insertRows(executor, creates.map((c) => c.next))), ...(await updateRows(executor, updates.map((u) => u.next)))];

  const full = ctx.audit === 'full';
  // Whole views are of the rows as stored (timestamps included), as the API returns them.
  const storedById = full ? new Map(stored.map((r) => [r.id, r])) : undefined;
  const final = (r: UserRow) => storedById?.get(r.id) ?? r;
  const entries: AuditEntry[] = [];
  const changes: Change[] = [];
  for (const c of creates) {
    const fields = createdFields(c.next);
    const view = toUserView(final(c.next));
    entries.push({ action: 'user.create', targetType: 'user', targetId: c.next.id, after: { ...(full ? view : pickFields(view, fields)), ...c.note } });
    changes.push({ entityType: 'user', entityId: c.next.id, op: 'created', data: { fields } });
  }
  for (const u of updates) {
    const before = toUserView(u.current);
    const after = toUserView(final(u.next));
    const other = u.fields.filter((f) => f !== 'status');
    if (other.length > 0) {
      entries.push({ action: 'user.update', targetType: 'user', targetId: u.next.id, before: full ? before : pickFields(before, other), after: { ...(full ? after : pickFields(after, other)), ...u.note } });
      changes.push({ entityType: 'user', entityId: u.next.id, op: 'updated', data: { fields: other } });
    }
    if (u.fields.includes('status')) {
      const active = u.next.status === 'active';
      const status = (v: UserView) => (full ? v : { status: v.status });
      entries.push({ action: active ? 'user.activate' : 'user.deactivate', targetType: 'user', targetId: u.next.id, before: status(before), after: { ...status(after), ...u.note } });
      changes.push({ entityType: 'user', entityId: u.next.id, op: active ? 'activated' : 'deactivated', data: { fields: ['status'] } });
    }
  }
  await recordAudit(executor, ctx.actor, entries, ctx.requestId);
  await recordChanges(executor, changes, { origin: ctx.origin });
  return stored;
}

/** One create; returns the row as stored. */
export async function createUserRow(executor: Executor, create: UserCreate, ctx: UserWriteContext): Promise<UserRow> {
  const [row] = await writeUsers(executor, { creates: [create] }, ctx);
  return row!;
}

/** One update; returns the row as stored (`current` when nothing changed). */
export async function updateUserRow(executor: Executor, update: UserUpdate, ctx: UserWriteContext): Promise<{ row: UserRow; fields: string[] }> {
  const fields = [...(update.fields ?? changedFields(toUserView(update.current), toUserView(update.next)))];
  if (fields.length === 0) return { row: update.current, fields };
  const [row] = await writeUsers(executor, { updates: [{ ...update, fields }] }, ctx);
  return { row: row!, fields };
}

/**
 * Soft delete: the row stays (with `deleted_at`) so links and history still resolve; the email and
 * employee id become free for a new user. The user's group memberships and direct assignments go
 * with it, each with its outbox row and audit entry like one-by-one removal writes.
 */
export async function deleteUserRow(executor: Executor, current: UserRow, ctx: UserWriteContext): Promise<void> {
  const [row] = await executor
    .update(users)
    .set({ deletedAt: new Date(), version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(users.id, current.id), eq(users.version, current.version), isNull(users.deletedAt)))
    .returning({ id: users.id });
  if (!row) throw new UserRaceError();
  const id = current.id;
  const memberships = await executor
    .delete(groupMembers)
    .where(and(eq(groupMembers.memberType, 'user'), eq(groupMembers.memberId, id)))
    .returning({ groupId: groupMembers.groupId });
  const assigned = await executor
    .delete(assignments)
    .where(and(eq(assignments.principalType, 'user'), eq(assignments.principalId, id)))
    .returning();
  const member = { memberType: 'user' as const, memberId: id };
  await recordAudit(executor, ctx.actor, { action: 'user.delete', targetType: 'user', targetId: id, before: toUserView(current) }, ctx.requestId);
  const changes: Change[] = [
    { entityType: 'user', entityId: id, op: 'deleted', data: { fields: [] } },
    ...memberships.map((m): Change => ({ entityType: 'group_member', entityId: m.groupId, op: 'removed', data: { groupId: m.groupId, ...member } })),
    ...assigned.map((a): Change => ({
      entityType: 'assignment',
      entityId: a.id,
      op: 'deleted',
      data: { applicationId: a.applicationId, principalType: a.principalType, principalId: a.principalId, role: a.role },
    })),
  ];
  await recordChanges(executor, changes, { origin: ctx.origin });
  await recordAudit(executor, ctx.actor, [
    ...memberships.map((m) => ({ action: 'group.member.remove', targetType: 'group', targetId: m.groupId, before: { member } })),
    ...assigned.map((a) => ({ action: 'assignment.delete', targetType: 'assignment', targetId: a.id, before: a })),
  ], ctx.requestId);
}

/** A new user's row with every optional field empty (the caller fills it in). */
export function newUserRow(email: string, id: string = randomUUID(), now: Date = new Date()): UserRow {
  return {
    id, email, givenName: null, familyName: null, displayName: '', phone: null, mobile: null, jobTitle: null, department: null,
    employeeId: null, managerId: null, locale: null, timeZone: null, organization: null, location: null, custom: {}, status: 'active',
    deletedAt: null, version: 0, createdAt: now, updatedAt: now,
  };
}

const IGNORED = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** Field names whose values differ (custom compares as a whole, reported as `custom.<key>`). */
export function changedFields(before: UserView, after: UserView): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after) as (keyof UserView)[]) {
    if (IGNORED.has(key)) continue;
    if (key === 'custom') {
      const keys = new Set([...Object.keys(before.custom), ...Object.keys(after.custom)]);
      for (const k of keys) if (JSON.stringify(before.custom[k]) !== JSON.stringify(after.custom[k])) out.push(`custom.${k}`);
    } else if (before[key] !== after[key]) out.push(key);
  }
  return out;
}

/** The fields a new user has: every field with a value. */
export const createdFields = (u: UserRow): string[] =>
  Object.entries(toUserView(u)).filter(([k, v]) => v !== null && !IGNORED.has(k)).map(([k]) => k);

function pickFields(view: UserView, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const v = view as unknown as Record<string, unknown>;
  for (const f of fields) out[f] = f.startsWith('custom.') ? view.custom[f.slice(7)] ?? null : v[f];
  return out;
}

// ---- the statements ----

const columns = `id uuid, email text, given_name text, family_name text, display_name text, phone text, mobile text, job_title text,
  department text, employee_id text, manager_id uuid, locale text, time_zone text, organization text, location text, custom jsonb,
  status text, version int`;
const names = 'id, email, given_name, family_name, display_name, phone, mobile, job_title, department, employee_id, manager_id, locale, time_zone, organization, location, custom, status, version';

const toRecord = (u: UserRow) => ({
  id: u.id, email: u.email, given_name: u.givenName, family_name: u.familyName, display_name: u.displayName, phone: u.phone, mobile: u.mobile,
  job_title: u.jobTitle, department: u.department, employee_id: u.employeeId, manager_id: u.managerId, locale: u.locale, time_zone: u.timeZone,
  organization: u.organization, location: u.location, custom: u.custom, status: u.status, version: u.version,
});

/** The columns a write sets (timestamps and `deleted_at` are the database's). */
const settable = (u: UserRow) => {
  const { createdAt: _c, updatedAt: _u, deletedAt: _d, ...values } = u;
  return values;
};

/** Returns the stored rows for small batches (the API's single writes need them); a big batch's rows are what was sent. */
async function insertRows(executor: Executor, rows: readonly UserRow[]): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  if (rows.length <= SMALL_BATCH) return executor.insert(users).values(rows.map(settable)).returning();
  // A big batch: one JSON parameter, and no rows sent back (the caller has them).
  await executor.execute(sql`insert into users (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as x(${sql.raw(columns)})`);
  return [...rows];
}

/** Updates each row whose stored version is still `version - 1`; any other outcome is a race. */
async function updateRows(executor: Executor, rows: readonly UserRow[]): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  if (rows.length <= SMALL_BATCH) {
    const out: UserRow[] = [];
    for (const r of rows) {
      const { id, ...values } = settable(r);
      const [row] = await executor
        .update(users)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(users.id, id), eq(users.version, r.version - 1), isNull(users.deletedAt)))
        .returning();
      if (!row) throw new UserRaceError();
      out.push(row);
    }
    return out;
  }
  const set = names
    .split(', ')
    .filter((n) => n !== 'id')
    .map((n) => `${n} = x.${n}`)
    .join(', ');
  const result = (await executor.execute(
    sql`update users u set ${sql.raw(set)}, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as x(${sql.raw(columns)})
        where u.id = x.id and u.version = x.version - 1 and u.deleted_at is null`,
  )) as unknown as { rowCount?: number | null; affectedRows?: number };
  if ((result.rowCount ?? result.affectedRows) !== rows.length) throw new UserRaceError();
  return [...rows];
}
