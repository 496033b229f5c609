/** Test fixtures: directory users and groups written straight to the tables, for tests of this folder and the apps folder. */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import { groupMembers, groups, users } from '../../db/schema.ts';

export async function insertUser(db: Executor, displayName: string, opts: { status?: 'active' | 'inactive' } = {}): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({ email: `${displayName.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@example.test`, displayName, status: opts.status ?? 'active' })
    .returning({ id: users.id });
  return row!.id;
}

export async function insertGroup(db: Executor, name: string, members: { users?: string[]; groups?: string[] } = {}): Promise<string> {
  const [row] = await db.insert(groups).values({ name: `${name} ${randomUUID().slice(0, 8)}` }).returning({ id: groups.id });
  const id = row!.id;
  const rows = [
    ...(members.users ?? []).map((m) => ({ groupId: id, memberType: 'user', memberId: m })),
    ...(members.groups ?? []).map((m) => ({ groupId: id, memberType: 'group', memberId: m })),
  ];
  if (rows.length > 0) await db.insert(groupMembers).values(rows);
  return id;
}
