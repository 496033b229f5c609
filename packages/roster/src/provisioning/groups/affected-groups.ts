/**
 * For the outbox relay: which groups a directory change touches (a member added to a nested group
 * changes every group above it), and which of them an application provisions (linked, or in scope:
 * assigned to it, or any group with scope `all`).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { links } from '../../db/provisioning-schema.ts';
import { assignments, groups } from '../../db/schema.ts';
import { queryRows } from '../../directory/write-helpers.ts';

/** `groupIds` and every group that contains one of them, through any depth of nesting. */
export async function groupsAbove(executor: Executor, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`with recursive up(id) as (
      select g.id from groups g where ${anyOf(sql`g.id`, groupIds)}
      union
      select gm.group_id from group_members gm join up on gm.member_type = 'group' and gm.member_id = up.id
    ) select id from up`,
  );
  return rows.map((r) => r.id);
}

/** Of `candidates`, the groups the application provisions or has provisioned. */
export async function groupsConcerned(executor: Executor, applicationId: string, scopeAll: boolean, candidates: readonly string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const ids = candidates as string[];
  const out = new Set<string>();
  const linked = await executor
    .select({ id: links.directoryId })
    .from(links)
    .where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'group'), anyOf(links.directoryId, ids)));
  linked.forEach((r) => out.add(r.id));
  const inScope = scopeAll
    ? await executor.select({ id: groups.id }).from(groups).where(and(anyOf(groups.id, ids), isNull(groups.deletedAt)))
    : await executor
        .select({ id: assignments.principalId })
        .from(assignments)
        .where(and(eq(assignments.applicationId, applicationId), eq(assignments.principalType, 'group'), anyOf(assignments.principalId, ids)));
  inScope.forEach((r) => out.add(r.id));
  return [...out];
}
