/**
 * Applies one batch of prepared CSV rows: matches them to existing users, checks uniqueness,
 * managers and manager cycles for the whole batch at once, then writes the survivors with
 * multi-row statements. A row is either applied in full or reported failed with its reason.
 */
import { and, isNull, or, sql } from 'drizzle-orm';
import type { Principal } from '../admins/permissions.ts';
import type { Executor } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { type AttributeDefinition, mergeCustomValues } from '../directory/attributes/custom-values.ts';
import { type UserRow, defaultDisplayName, toUserView } from '../directory/users/user-fields.ts';
import { applyUserPatch } from '../directory/users/user-patch.ts';
import { changedFields, createdFields, newUserRow, writeUsers } from '../directory/users/user-writer.ts';
import { anyOf } from '../db/any-of.ts';
import type { PreparedRow } from './user-rows.ts';

export type MatchBy = 'email' | 'employeeId';
export type ImportMode = 'upsert' | 'create' | 'update';

export interface BatchContext {
  matchBy: MatchBy;
  mode: ImportMode;
  dryRun: boolean;
  defs: ReadonlyMap<string, AttributeDefinition>;
  actor: Principal;
  requestId?: string | undefined;
  /** In a dry run, the users this run would create or update, by `e:<lower email>` and `i:<employee id>`, to resolve managers (a real run finds them in the database). */
  known: Map<string, string>;
}

export type RowOutcome =
  | { row: number; action: 'created' | 'updated' | 'unchanged'; userId: string; email: string; fields: string[] }
  | { row: number; action: 'skipped'; reason: string }
  | { row: number; action: 'failed'; field?: string; reason: string };

interface Plan {
  p: PreparedRow;
  current: UserRow | undefined;
  next: UserRow;
  fields: string[];
  managerRef?: string | null;
  failed?: { field?: string; reason: string };
}

const refKey = (ref: string): string => (ref.includes('@') ? `e:${ref.toLowerCase()}` : `i:${ref}`);

export async function applyUserBatch(executor: Executor, rows: readonly PreparedRow[], c: BatchContext): Promise<RowOutcome[]> {
  const emails = [...new Set(rows.flatMap((r) => (r.fields.email ? [r.fields.email.toLowerCase()] : [])))];
  const refs = rows.flatMap((r) => (r.manager ? [r.manager] : []));
  const employeeIds = [...new Set([...rows.flatMap((r) => (r.fields.employeeId ? [r.fields.employeeId] : [])), ...refs.filter((r) => !r.includes('@'))])];
  const refEmails = refs.filter((r) => r.includes('@')).map((r) => r.toLowerCase());
  const lowerEmail = sql`lower(${users.email})`;
  const found =
    emails.length + employeeIds.length + refEmails.length === 0
      ? []
      : await executor.select().from(users).where(and(isNull(users.deletedAt), or(anyOf(lowerEmail, [...emails, ...refEmails], 'text'), anyOf(sql`${users.employeeId}`, employeeIds, 'text'))));
  const byEmail = new Map(found.map((u) => [u.email.toLowerCase(), u]));
  const byEmployee = new Map(found.flatMap((u) => (u.employeeId ? [[u.employeeId, u] as const] : [])));

  const outcomes: RowOutcome[] = [];
  const plans: Plan[] = [];
  for (const p of rows) {
    const key = c.matchBy === 'email' ? p.fields.email?.toLowerCase() : p.fields.employeeId;
    const current = key === undefined || key === null ? undefined : c.matchBy === 'email' ? byEmail.get(key) : byEmployee.get(key);
    if (current && c.mode === 'create') { outcomes.push({ row: p.row, action: 'skipped', reason: 'user exists and mode is create' }); continue; }
    if (!current && c.mode === 'update') { outcomes.push({ row: p.row, action: 'skipped', reason: 'no such user and mode is update' }); continue; }
    const fail = (field: string | undefined, reason: string) => outcomes.push(field ? { row: p.row, action: 'failed', field, reason } : { row: p.row, action: 'failed', reason });
    if (!current && !p.fields.email) { fail('email', 'is required to create a user'); continue; }
    const emailHolder = p.fields.email ? byEmail.get(p.fields.email.toLowerCase()) : undefined;
    if (emailHolder && emailHolder.id !== current?.id) { fail('email', 'another user already has this email'); continue; }
    const employeeHolder = p.fields.employeeId ? byEmployee.get(p.fields.employeeId) : undefined;
    if (employeeHolder && employeeHolder.id !== current?.id) { fail('employeeId', 'another user already has this employee id'); continue; }
    const base: UserRow = current ?? newUserRow(p.fields.email as string);
    const next = applyUserPatch(base, p.fields);
    if (!current && !p.fields.displayName) next.displayName = defaultDisplayName(next.givenName, next.familyName, next.email);
    if (p.fields.status) next.status = p.fields.status;
    if (!current || Object.keys(p.custom).length > 0) {
      const merged = mergeCustomValues(c.defs, base.custom, p.custom, { prefix: 'custom', fromText: true });
      if (!merged.ok) { fail(merged.issues[0]?.path, merged.issues.map((i) => `${i.path} ${i.reason}`).join('; ')); continue; }
      next.custom = merged.value;
    }
    const plan: Plan = { p, current, next, fields: [] };
    if (p.manager !== undefined) plan.managerRef = p.manager;
    plans.push(plan);
  }

  await resolveManagers(executor, plans, byEmail, byEmployee, c.known);
  for (const plan of plans) {
    if (plan.failed) {
      outcomes.push({ row: plan.p.row, action: 'failed', ...(plan.failed.field ? { field: plan.failed.field } : {}), reason: plan.failed.reason });
      continue;
    }
    plan.fields = plan.current ? changedFields(toUserView(plan.current), toUserView(plan.next)) : [];
  }
  const creates = plans.filter((p) => !p.failed && !p.current);
  const updates = plans.filter((p) => !p.failed && p.current && p.fields.length > 0);
  for (const plan of plans.filter((p) => !p.failed)) {
    const action = !plan.current ? 'created' : plan.fields.length > 0 ? 'updated' : 'unchanged';
    const fields = action === 'created' ? createdFields(plan.next) : plan.fields;
    outcomes.push({ row: plan.p.row, action, userId: plan.next.id, email: plan.next.email, fields });
  }
  if (!c.dryRun) await write(executor, creates, updates, c);
  // Only after the write: a batch that fails is retried row by row and must not leave ids behind.
  // Only in a dry run: a committed batch's users are found in the database by the next batch's
  // lookup (which includes manager references), and 200,000 keys of a 100,000-row file held to the
  // end cost tens of MB (issue 17, item 5).
  if (c.dryRun) for (const plan of plans.filter((p) => !p.failed)) {
    c.known.set(`e:${plan.next.email.toLowerCase()}`, plan.next.id);
    if (plan.next.employeeId) c.known.set(`i:${plan.next.employeeId}`, plan.next.id);
  }
  return outcomes.sort((a, b) => a.row - b.row);
}

/**
 * Resolves manager references (email or employee id) against this batch, this run and the database,
 * and refuses self-management and cycles. Repeats until stable, because a row that fails can leave
 * another row pointing at a user that will not exist.
 */
async function resolveManagers(executor: Executor, plans: Plan[], byEmail: Map<string, UserRow>, byEmployee: Map<string, UserRow>, known: Map<string, string>): Promise<void> {
  const withRef = plans.filter((p) => p.managerRef !== undefined);
  if (withRef.length === 0) return;
  const local = new Map<string, Plan>();
  for (const p of plans) {
    local.set(`e:${p.next.email.toLowerCase()}`, p);
    if (p.next.employeeId) local.set(`i:${p.next.employeeId}`, p);
  }
  const fromDb = (key: string): string | undefined => (key.startsWith('e:') ? byEmail.get(key.slice(2))?.id : byEmployee.get(key.slice(2))?.id);
  for (const p of withRef) {
    if (p.managerRef === null || p.managerRef === undefined) { p.next.managerId = null; continue; }
    const key = refKey(p.managerRef);
    const id = local.get(key)?.next.id ?? known.get(key) ?? fromDb(key);
    if (!id) p.failed = { field: 'manager', reason: 'no user has this email or employee id' };
    else if (id === p.next.id) p.failed = { field: 'manager', reason: 'is the user themself' };
    else p.next.managerId = id;
  }
  const seeds = [...new Set(withRef.flatMap((p) => (p.next.managerId ? [p.next.managerId] : [])))];
  const chain = seeds.length === 0 ? { rows: [] } : ((await executor.execute(sql`
    with recursive up(id, manager_id, depth) as (
      select id, manager_id, 0 from users where ${anyOf(sql`id`, seeds)} and deleted_at is null
      union all
      select u.id, u.manager_id, up.depth + 1 from users u join up on u.id = up.manager_id where up.depth < 1000 and u.deleted_at is null
    )
    select distinct id, manager_id from up`)) as unknown as { rows: { id: string; manager_id: string | null }[] });
  const dbManager = new Map(chain.rows.map((r) => [r.id, r.manager_id]));
  const byId = new Map(plans.map((p) => [p.next.id, p]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of withRef) {
      if (p.failed || !p.next.managerId) continue;
      const target = byId.get(p.next.managerId);
      if (target?.failed && !target.current) { p.failed = { field: 'manager', reason: `the manager's own row (${target.p.row}) failed` }; changed = true; continue; }
      let at: string | null | undefined = p.next.managerId;
      for (let depth = 0; at && depth < 1000; depth++) {
        if (at === p.next.id) { p.failed = { field: 'manager', reason: 'would create a management cycle' }; changed = true; break; }
        const inBatch = byId.get(at);
        at = inBatch && !inBatch.failed ? inBatch.next.managerId : dbManager.get(at);
      }
    }
  }
}

/** Writes the batch through the directory's one user writer (audit entries name only what the import set or changed). */
async function write(executor: Executor, creates: Plan[], updates: Plan[], c: BatchContext): Promise<void> {
  await writeUsers(
    executor,
    { creates: creates.map((p) => ({ next: p.next })), updates: updates.map((p) => ({ current: p.current as UserRow, next: p.next, fields: p.fields })) },
    { actor: c.actor, requestId: c.requestId },
  );
}
