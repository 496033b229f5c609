/**
 * A group's members, a page at a time, sorted by name: its direct members (users and groups), or
 * with `transitive` every live user it covers through nesting.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { isoTime, queryRows } from '../write-helpers.ts';
import type { Member, MemberType } from './group-schemas.ts';
import { findGroup } from './group-view.ts';
import type { Page } from './list-groups.ts';

/** Sort key of a member row: `[lower(name), memberType, memberId]`. */
export type MemberKey = [string, string, string];

export interface ListMembersQuery {
  limit: number;
  after?: MemberKey | undefined;
  transitive?: boolean | undefined;
}

interface MemberRow {
  member_type: MemberType;
  member_id: string;
  name: string;
  sort_name: string;
  email: string | null;
  status: string | null;
  added_at: unknown;
}

export async function listMembers(executor: Executor, groupId: string, query: ListMembersQuery): Promise<Page<Member, MemberKey>> {
  await findGroup(executor, groupId);
  const source = query.transitive ? transitiveMembers(groupId) : directMembers(groupId);
  const after = query.after ? sql`where (m.sort_name, m.member_type, m.member_id) > (${query.after[0]}, ${query.after[1]}, ${query.after[2]}::uuid)` : sql``;
  const rows = await queryRows<MemberRow>(
    executor,
    sql`select * from (${source}) m ${after} order by m.sort_name, m.member_type, m.member_id limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      memberType: r.member_type,
      memberId: r.member_id,
      name: r.name,
      email: r.email,
      status: r.status,
      addedAt: r.added_at === null ? null : isoTime(r.added_at),
    })),
    next: rows.length > query.limit && last ? [last.sort_name, last.member_type, last.member_id] : null,
  };
}

const directMembers = (groupId: string) => sql`
  select gm.member_type, gm.member_id, coalesce(u.display_name, g.name) as name, lower(coalesce(u.display_name, g.name)) as sort_name,
         u.email, u.status, gm.created_at as added_at
  from group_members gm
    left join users u on gm.member_type = 'user' and u.id = gm.member_id and u.deleted_at is null
    left join groups g on gm.member_type = 'group' and g.id = gm.member_id and g.deleted_at is null
  where gm.group_id = ${groupId}::uuid and (u.id is not null or g.id is not null)`;

const transitiveMembers = (groupId: string) => sql`
  with recursive reach(id) as (
    select ${groupId}::uuid
    union
    select gm.member_id from group_members gm
      join reach r on gm.group_id = r.id
      join groups g on g.id = gm.member_id and g.deleted_at is null
    where gm.member_type = 'group'
  )
  select distinct 'user'::text as member_type, u.id as member_id, u.display_name as name, lower(u.display_name) as sort_name,
         u.email, u.status, null::timestamptz as added_at
  from reach r
    join group_members gm on gm.group_id = r.id and gm.member_type = 'user'
    join users u on u.id = gm.member_id and u.deleted_at is null`;
