/**
 * Group nesting without cycles. Every write that changes which groups contain groups takes
 * `NESTING_LOCK`, so two concurrent additions (A into B, B into A) cannot both pass the check.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { groupMembers, groups } from '../../db/schema.ts';

export const NESTING_LOCK = 'roster:group-nesting';

/**
 * Of `candidates`, the groups that already contain `groupId` (directly or through nesting), or are
 * `groupId` itself: adding any of them as a member of `groupId` would make a cycle.
 */
export async function groupsThatWouldCycle(executor: Executor, groupId: string, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  // Walk upwards from groupId through its containers; `union` (not `union all`) ends even on bad data.
  const result = (await executor.execute(sql`
    with recursive ancestors(id) as (
      select ${groupId}::uuid
      union
      select gm.group_id from ${groupMembers} gm join ancestors a on gm.member_type = 'group' and gm.member_id = a.id
    )
    select a.id from ancestors a join ${groups} g on g.id = a.id and g.deleted_at is null`)) as unknown as { rows: { id: string }[] };
  const ancestors = new Set(result.rows.map((r) => r.id));
  return new Set(candidates.filter((c) => ancestors.has(c)));
}
