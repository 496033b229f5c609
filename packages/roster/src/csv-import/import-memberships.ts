/**
 * CSV import of group memberships: columns `group` (group name) and `user` (email or employee id).
 * Each row adds one user to one group directly (member_type `user`), with an outbox row
 * `group_member added` (entity = the group, as groups/add-members.ts writes it) and an audit entry; a member already present counts as unchanged.
 */
import { and, isNull, sql } from 'drizzle-orm';
import type { Principal } from '../admins/permissions.ts';
import type { Db, Executor } from '../db/database.ts';
import { auditLog, groupMembers, groups, users } from '../db/schema.ts';
import { hasNul, NUL_REASON } from '../directory/text.ts';
import { AppError } from '../errors/app-error.ts';
import { recordChanges } from '../directory/outbox.ts';
import { type ImportHooks, type ImportSummary, runCsvImport } from './csv-import-run.ts';
import { anyOf } from '../db/any-of.ts';

interface MembershipRow {
  row: number;
  group: string;
  user: string;
}

export type MembershipOutcome =
  | { row: number; action: 'added' | 'unchanged'; groupId: string; userId: string }
  | { row: number; action: 'failed'; field: string; reason: string };

const normalize = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const groupHeaders = new Set(['group', 'groupname', 'groupdisplayname']);
const userHeaders = new Set(['user', 'member', 'email', 'useremail', 'memberemail', 'employeeid', 'userid']);

export async function importMembershipsCsv(
  db: Db,
  actor: Principal,
  source: AsyncIterable<Buffer | string>,
  opts: { dryRun: boolean; maxBytes: number; batchSize?: number; requestId?: string | undefined },
  hooks: ImportHooks = {},
): Promise<ImportSummary<MembershipOutcome>> {
  let groupCol = -1;
  let userCol = -1;
  let width = 0;
  return runCsvImport<MembershipRow, MembershipOutcome>(
    db,
    actor,
    source,
    {
      header(values) {
        width = values.length;
        groupCol = values.findIndex((h) => groupHeaders.has(normalize(h)));
        userCol = values.findIndex((h) => userHeaders.has(normalize(h)));
        const missing = [...(groupCol < 0 ? ['group'] : []), ...(userCol < 0 ? ['user'] : [])];
        if (missing.length > 0) {
          throw new AppError('csv_invalid', `The CSV has no ${missing.join(' or ')} column.`, { issues: missing.map((m) => ({ path: `body.header.${m}`, reason: 'required column is missing' })) });
        }
      },
      prepare({ row, values }) {
        if (values.length !== width) return { ok: false, issues: [{ row, reason: `has ${values.length} columns where the header has ${width}` }] };
        const group = values[groupCol] as string;
        const user = values[userCol] as string;
        if (!group) return { ok: false, issues: [{ row, field: 'group', reason: 'is empty' }] };
        if (!user) return { ok: false, issues: [{ row, field: 'user', reason: 'is empty' }] };
        if (hasNul(group)) return { ok: false, issues: [{ row, field: 'group', reason: NUL_REASON }] };
        if (hasNul(user)) return { ok: false, issues: [{ row, field: 'user', reason: NUL_REASON }] };
        return { ok: true, value: { row, group, user } };
      },
      apply: (executor, batch) => applyMembershipBatch(executor, actor, batch, opts.dryRun, opts.requestId),
    },
    { kind: 'memberships', dryRun: opts.dryRun, maxBytes: opts.maxBytes, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
    hooks,
  );
}

async function applyMembershipBatch(executor: Executor, actor: Principal, batch: MembershipRow[], dryRun: boolean, requestId: string | undefined): Promise<MembershipOutcome[]> {
  const names = [...new Set(batch.map((r) => r.group.toLowerCase()))];
  const found = await executor.select({ id: groups.id, name: groups.name }).from(groups).where(and(isNull(groups.deletedAt), anyOf(sql`lower(${groups.name})`, names, 'text')));
  const groupByName = new Map(found.map((g) => [g.name.toLowerCase(), g.id]));
  const emails = batch.filter((r) => r.user.includes('@')).map((r) => r.user.toLowerCase());
  const employeeIds = batch.filter((r) => !r.user.includes('@')).map((r) => r.user);
  const people = await executor
    .select({ id: users.id, email: users.email, employeeId: users.employeeId })
    .from(users)
    .where(and(isNull(users.deletedAt), sql`(${anyOf(sql`lower(${users.email})`, emails, 'text')} or ${anyOf(sql`${users.employeeId}`, employeeIds, 'text')})`));
  const userByKey = new Map<string, string>();
  for (const p of people) {
    userByKey.set(p.email.toLowerCase(), p.id);
    if (p.employeeId) userByKey.set(p.employeeId, p.id);
  }
  const outcomes: MembershipOutcome[] = [];
  const wanted: { row: number; groupId: string; userId: string }[] = [];
  const inBatch = new Set<string>();
  for (const r of batch) {
    const groupId = groupByName.get(r.group.toLowerCase());
    const userId = userByKey.get(r.user.includes('@') ? r.user.toLowerCase() : r.user);
    if (!groupId) outcomes.push({ row: r.row, action: 'failed', field: 'group', reason: 'no group has this name' });
    else if (!userId) outcomes.push({ row: r.row, action: 'failed', field: 'user', reason: 'no user has this email or employee id' });
    else if (inBatch.has(`${groupId}:${userId}`)) outcomes.push({ row: r.row, action: 'unchanged', groupId, userId });
    else {
      inBatch.add(`${groupId}:${userId}`);
      wanted.push({ row: r.row, groupId, userId });
    }
  }
  if (wanted.length === 0) return outcomes;
  const existing = await executor
    .select({ groupId: groupMembers.groupId, memberId: groupMembers.memberId })
    .from(groupMembers)
    .where(and(sql`${groupMembers.memberType} = 'user'`, anyOf(sql`${groupMembers.memberId}`, [...new Set(wanted.map((w) => w.userId))])));
  const present = new Set(existing.map((e) => `${e.groupId}:${e.memberId}`));
  const added = wanted.filter((w) => !present.has(`${w.groupId}:${w.userId}`));
  for (const w of wanted) outcomes.push({ row: w.row, action: present.has(`${w.groupId}:${w.userId}`) ? 'unchanged' : 'added', groupId: w.groupId, userId: w.userId });
  if (!dryRun && added.length > 0) {
    await executor.insert(groupMembers).values(added.map((a) => ({ groupId: a.groupId, memberType: 'user', memberId: a.userId }))).onConflictDoNothing();
    await executor.insert(auditLog).values(
      added.map((a) => ({
        actorId: actor.adminId, actorEmail: actor.email, via: actor.via, action: 'group.member.add', targetType: 'group', targetId: a.groupId,
        before: null, after: { memberType: 'user', memberId: a.userId }, requestId: requestId ?? null,
      })),
    );
    await recordChanges(executor, added.map((a) => ({ entityType: 'group_member', entityId: a.groupId, op: 'added', data: { groupId: a.groupId, memberType: 'user', memberId: a.userId } })));
  }
  return outcomes.sort((a, b) => a.row - b.row);
}
