/**
 * Group expansion for the provisioning engine: which users a group covers, through any depth of
 * nesting. Deleted groups cover nobody; deleted users are never returned.
 */
import { type SQL, sql } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { queryRows } from '../write-helpers.ts';

/** Rows `(root, user_id)`: each live user reachable from each of the live groups `groupIds`. */
function reachableUsersSql(groupIds: readonly string[], userFilter?: SQL): SQL {
  return sql`
    with recursive reach(root, id) as (
      select g.id, g.id from groups g where ${anyOf(sql`g.id`, groupIds)} and g.deleted_at is null
      union
      select r.root, gm.member_id from group_members gm
        join reach r on gm.group_id = r.id
        join groups g on g.id = gm.member_id and g.deleted_at is null
      where gm.member_type = 'group'
    )
    select distinct r.root, gm.member_id as user_id from reach r
      join group_members gm on gm.group_id = r.id and gm.member_type = 'user'
      join users u on u.id = gm.member_id and u.deleted_at is null
    ${userFilter ? sql`where ${userFilter}` : sql``}`;
}

/** Every user id reachable from any of `groupIds` (directly or through nested groups), each once. */
export async function expandGroupUsers(executor: Executor, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await queryRows<{ user_id: string }>(executor, sql`select distinct user_id from (${reachableUsersSql(groupIds)}) x`);
  return rows.map((r) => r.user_id);
}

/**
 * For each of `groupIds`, the users it covers. With `onlyUserIds`, only those users are looked at
 * (the engine's incremental path asks about a few users at a time).
 */
export async function usersByGroup(executor: Executor, groupIds: readonly string[], onlyUserIds?: readonly string[]): Promise<Map<string, string[]>> {
  const byGroup = new Map<string, string[]>();
  if (groupIds.length === 0 || onlyUserIds?.length === 0) return byGroup;
  const filter = onlyUserIds ? anyOf(sql`gm.member_id`, onlyUserIds) : undefined;
  for (const r of await queryRows<{ root: string; user_id: string }>(executor, reachableUsersSql(groupIds, filter))) {
    const list = byGroup.get(r.root) ?? [];
    list.push(r.user_id);
    byGroup.set(r.root, list);
  }
  return byGroup;
}
