/** Which users and groups, named by type and id, exist and are not deleted. */
import { type AnyColumn, type SQL, and, isNull } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { groups, users } from '../../db/schema.ts';

export interface DirectoryRef {
  type: 'user' | 'group';
  id: string;
}

/** `column = any(<ids>)` with the ids as one array parameter: bulk calls check a thousand refs, and that many bound parameters are slow (PGlite). */
const idIn = (column: AnyColumn, ids: readonly string[]): SQL => anyOf(column, ids);

export const refKey = (r: DirectoryRef): string => `${r.type}:${r.id}`;

/**
 * The keys (`user:<id>`, `group:<id>`) of the refs that name a live user or group. The rows are
 * share-locked, so a concurrent delete waits until the caller's membership or assignment is written.
 */
export async function liveRefs(executor: Executor, refs: readonly DirectoryRef[]): Promise<Set<string>> {
  const userIds = [...new Set(refs.filter((r) => r.type === 'user').map((r) => r.id))];
  const groupIds = [...new Set(refs.filter((r) => r.type === 'group').map((r) => r.id))];
  const found = new Set<string>();
  if (userIds.length > 0) {
    for (const r of await executor.select({ id: users.id }).from(users).where(and(idIn(users.id, userIds), isNull(users.deletedAt))).for('share')) found.add(`user:${r.id}`);
  }
  if (groupIds.length > 0) {
    for (const r of await executor.select({ id: groups.id }).from(groups).where(and(idIn(groups.id, groupIds), isNull(groups.deletedAt))).for('share')) found.add(`group:${r.id}`);
  }
  return found;
}
