/** Which of the given directory group ids exist and are not deleted (scoping filters may only name those). */
import { and, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { groups } from '../../db/schema.ts';

/** `ids` must be well-formed uuids (see `scopingGroupIds`). */
export async function liveGroupIds(executor: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await executor.select({ id: groups.id }).from(groups).where(and(inArray(groups.id, [...ids]), isNull(groups.deletedAt)));
  return new Set(rows.map((r) => r.id.toLowerCase()));
}
