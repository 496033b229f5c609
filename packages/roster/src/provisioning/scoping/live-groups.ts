/** Which of the given directory group ids exist and are not deleted (scoping filters may only name those). */
import { and, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { groups } from '../../db/schema.ts';

/** `ids` must be well-formed uuids (see `scopingGroupIds`). */
export async function liveGroupIds(executor: Executor, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await liveGroupNames(executor, ids)).keys());
}

/** The live groups among `ids` (lower-case id → name), so a clause reads "is in group Sales team", not its id. */
export async function liveGroupNames(executor: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await executor.select({ id: groups.id, name: groups.name }).from(groups).where(and(inArray(groups.id, [...ids]), isNull(groups.deletedAt)));
  return new Map(rows.map((r) => [r.id.toLowerCase(), r.name]));
}
