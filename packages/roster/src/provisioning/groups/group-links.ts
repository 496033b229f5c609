/**
 * The engine's memory of the groups and memberships it owns: `links` rows of object type `group`
 * and `membership_links`. Written only once the target has confirmed.
 */
import { and, eq, or, sql } from 'drizzle-orm';
import { anyOf, inSlices, noneOf, rowsPerInsert } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { links, membershipLinks } from '../../db/provisioning-schema.ts';
import type { GroupLink, MembershipLink, WrittenGroup } from './group-plan-types.ts';

const CHUNK = 5_000;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

/** Every group link of the application, or those of `groupIds`. */
export async function readGroupLinks(executor: Executor, applicationId: string, groupIds?: readonly string[]): Promise<GroupLink[]> {
  const base = and(eq(links.applicationId, applicationId), eq(links.objectType, 'group'));
  const toLink = (r: typeof links.$inferSelect): GroupLink => ({ directoryId: r.directoryId, targetId: r.targetId, lastWritten: (r.lastWritten as WrittenGroup | null) ?? null, state: r.state });
  if (!groupIds) return (await executor.select().from(links).where(base)).map(toLink);
  const out: GroupLink[] = [];
  for (const ids of chunks(groupIds)) out.push(...(await executor.select().from(links).where(and(base, anyOf(links.directoryId, ids)))).map(toLink));
  return out;
}

/** Upserts group links; a target group held by a stale link of another directory group moves to this one. */
export async function saveGroupLinks(executor: Executor, applicationId: string, writes: readonly GroupLink[]): Promise<void> {
  if (writes.length === 0) return;
  await executor.delete(links).where(
    and(
      eq(links.applicationId, applicationId),
      eq(links.objectType, 'group'),
      anyOf(links.targetId, writes.map((w) => w.targetId), 'text'),
      noneOf(links.directoryId, writes.map((w) => w.directoryId)),
    ),
  );
  for (const part of inSlices(writes, rowsPerInsert(7))) await executor
    .insert(links)
    .values(part.map((w) => ({ applicationId, objectType: 'group', directoryId: w.directoryId, targetId: w.targetId, lastHash: null, lastWritten: w.lastWritten as Record<string, unknown> | null, state: w.state })))
    .onConflictDoUpdate({
      target: [links.applicationId, links.objectType, links.directoryId],
      set: { targetId: sql`excluded.target_id`, lastWritten: sql`excluded.last_written`, state: sql`excluded.state`, updatedAt: sql`now()` },
    });
}

/** Drops group links and every membership link of those groups. */
export async function deleteGroupLinks(executor: Executor, applicationId: string, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0) return;
  await executor.delete(links).where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'group'), anyOf(links.directoryId, groupIds)));
  await executor.delete(membershipLinks).where(and(eq(membershipLinks.applicationId, applicationId), anyOf(membershipLinks.groupId, groupIds)));
}

/** Membership links of the application; narrowed to `groupIds` and/or `userIds` when given. */
export async function readMembershipLinks(executor: Executor, applicationId: string, opts: { groupIds?: readonly string[]; userIds?: readonly string[] } = {}): Promise<MembershipLink[]> {
  const m = membershipLinks;
  if (opts.groupIds?.length === 0 || opts.userIds?.length === 0) return [];
  const rows = await executor
    .select({ groupId: m.groupId, userId: m.userId, targetMembershipId: m.targetMembershipId })
    .from(m)
    .where(and(eq(m.applicationId, applicationId), opts.groupIds ? anyOf(m.groupId, opts.groupIds) : undefined, opts.userIds ? anyOf(m.userId, opts.userIds) : undefined));
  return rows;
}

export async function saveMembershipLinks(executor: Executor, applicationId: string, writes: readonly MembershipLink[]): Promise<void> {
  if (writes.length === 0) return;
  for (const part of inSlices(writes, rowsPerInsert(4))) await executor
    .insert(membershipLinks)
    .values(part.map((w) => ({ applicationId, ...w })))
    .onConflictDoUpdate({ target: [membershipLinks.applicationId, membershipLinks.groupId, membershipLinks.userId], set: { targetMembershipId: sql`excluded.target_membership_id` } });
}

export async function deleteMembershipLinks(executor: Executor, applicationId: string, pairs: readonly { groupId: string; userId: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  const m = membershipLinks;
  for (let i = 0; i < pairs.length; i += 500) {
    const part = pairs.slice(i, i + 500);
    await executor.delete(m).where(and(eq(m.applicationId, applicationId), or(...part.map((p) => and(eq(m.groupId, p.groupId), eq(m.userId, p.userId))))));
  }
}
