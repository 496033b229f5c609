/** Lists live groups by name, a page at a time, optionally by name prefix or by a member user. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { groupMembers, groups } from '../../db/schema.ts';
import type { Group } from './group-schemas.ts';
import { groupColumns, toGroup } from './group-view.ts';

export interface ListGroupsQuery {
  limit: number;
  /** The sort key of the last group of the previous page: `[lower(name), id]`. */
  after?: readonly [string, string] | undefined;
  /** Name prefix, ignoring case. */
  q?: string | undefined;
  /** Only groups this user is a direct member of. */
  memberUserId?: string | undefined;
}

export interface Page<T, K> {
  items: T[];
  /** The sort key to continue after, or null on the last page. */
  next: K | null;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listGroups(executor: Executor, query: ListGroupsQuery): Promise<Page<Group, [string, string]>> {
  const rows = await executor
    .select({ ...groupColumns, sortName: sql<string>`lower(${groups.name})` })
    .from(groups)
    .where(
      and(
        isNull(groups.deletedAt),
        query.q ? sql`lower(${groups.name}) like ${escapeLike(query.q.toLowerCase()) + '%'}` : undefined,
        query.after ? sql`(lower(${groups.name}), ${groups.id}) > (${query.after[0]}, ${query.after[1]}::uuid)` : undefined,
        query.memberUserId
          ? sql`exists (select 1 from ${groupMembers} where ${groupMembers.groupId} = "groups"."id" and ${groupMembers.memberType} = 'user' and ${eq(groupMembers.memberId, query.memberUserId)})`
          : undefined,
      ),
    )
    .orderBy(sql`lower(${groups.name})`, asc(groups.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toGroup), next: rows.length > query.limit && last ? [last.sortName, last.id] : null };
}
