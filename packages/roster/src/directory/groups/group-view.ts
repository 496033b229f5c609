/** Reads one group as the API shows it, and the checks every group write starts with. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { groups } from '../../db/schema.ts';
import { AppError, versionConflict } from '../../errors/app-error.ts';
import type { Group } from './group-schemas.ts';

// Deleted users keep their membership rows (user deletion is soft), so count live members only.
// The outer table is named in full: drizzle renders a bare "id" for columns of the selected table.
const countOf = (type: 'user' | 'group') =>
  type === 'user'
    ? sql<number>`(select count(*)::int from group_members m join users u on u.id = m.member_id and u.deleted_at is null where m.group_id = "groups"."id" and m.member_type = 'user')`
    : sql<number>`(select count(*)::int from group_members m join groups c on c.id = m.member_id and c.deleted_at is null where m.group_id = "groups"."id" and m.member_type = 'group')`;

/** Columns that make a `Group`; select with these and pass the row to `toGroup`. */
export const groupColumns = {
  id: groups.id,
  name: groups.name,
  description: groups.description,
  version: groups.version,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
  users: countOf('user'),
  groups: countOf('group'),
};

type GroupRow = { id: string; name: string; description: string | null; version: number; createdAt: Date; updatedAt: Date; users: number; groups: number };

export const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  description: r.description,
  memberCounts: { users: Number(r.users), groups: Number(r.groups) },
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** A 404 naming the field that held the id. */
export const groupNotFound = (id: string, path = 'params.id'): AppError =>
  new AppError('not_found', `No group with id ${id}.`, { issues: [{ path, reason: 'no such group' }], details: { kind: 'group', id } });

/** A live (not deleted) group, or a 404 naming `path`. */
export async function findGroup(executor: Executor, id: string, path = 'params.id'): Promise<Group> {
  const [row] = await executor.select(groupColumns).from(groups).where(and(eq(groups.id, id), isNull(groups.deletedAt)));
  if (!row) throw groupNotFound(id, path);
  return toGroup(row);
}

/** Refuses a stale `expected` version. */
export function checkVersion(group: { id: string; version: number }, expected: number | undefined, kind = 'group'): void {
  if (expected !== undefined && expected !== group.version) throw versionConflict(kind, group.id, group.version);
}

/** Refuses a name another live group already has (names are unique ignoring case). */
export async function assertNameFree(executor: Executor, name: string, exceptId?: string): Promise<void> {
  const rows = await executor
    .select({ id: groups.id })
    .from(groups)
    .where(and(sql`lower(${groups.name}) = lower(${name})`, isNull(groups.deletedAt), exceptId ? sql`${groups.id} <> ${exceptId}` : undefined))
    .limit(1);
  if (rows[0]) throw duplicateName(name, rows[0].id);
}

export const duplicateName = (name: string, otherId?: string): AppError =>
  new AppError('duplicate', `A group named "${name}" already exists.`, {
    issues: [{ path: 'body.name', reason: 'already used by another group' }],
    ...(otherId ? { details: { existingId: otherId } } : {}),
  });
