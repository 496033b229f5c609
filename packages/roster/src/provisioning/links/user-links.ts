/**
 * The engine's memory of what it owns: `links` rows for users. Written only once the target has
 * confirmed, so a crash between a write and its link costs a lookup, never a duplicate.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { links } from '../../db/provisioning-schema.ts';
import type { UserLink, WrittenState } from '../plan/plan-types.ts';

const CHUNK = 5_000;

const toLink = (r: typeof links.$inferSelect): UserLink => ({
  directoryId: r.directoryId,
  targetId: r.targetId,
  lastHash: r.lastHash,
  lastWritten: (r.lastWritten as WrittenState | null) ?? null,
  state: r.state,
});

/** Every user link of the application, or those of `userIds`. */
export async function readUserLinks(executor: Executor, applicationId: string, userIds?: readonly string[]): Promise<UserLink[]> {
  const base = and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'));
  if (!userIds) return (await executor.select().from(links).where(base)).map(toLink);
  const out: UserLink[] = [];
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const rows = await executor.select().from(links).where(and(base, inArray(links.directoryId, userIds.slice(i, i + CHUNK) as string[])));
    out.push(...rows.map(toLink));
  }
  return out;
}

export interface LinkWrite {
  directoryId: string;
  targetId: string;
  lastHash: string | null;
  lastWritten: WrittenState | null;
  state: 'provisioned' | 'suspended' | 'linked';
}

/** Upserts links; a target account held by a stale link of another user moves to this one. */
export async function saveUserLinks(executor: Executor, applicationId: string, writes: readonly LinkWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await executor.delete(links).where(
    and(
      eq(links.applicationId, applicationId),
      eq(links.objectType, 'user'),
      inArray(links.targetId, writes.map((w) => w.targetId)),
      notInArray(links.directoryId, writes.map((w) => w.directoryId)),
    ),
  );
  await executor
    .insert(links)
    .values(writes.map((w) => ({ applicationId, objectType: 'user', ...w, lastWritten: w.lastWritten as Record<string, unknown> | null })))
    .onConflictDoUpdate({
      target: [links.applicationId, links.objectType, links.directoryId],
      set: {
        targetId: sql`excluded.target_id`,
        lastHash: sql`excluded.last_hash`,
        lastWritten: sql`excluded.last_written`,
        state: sql`excluded.state`,
        updatedAt: sql`now()`,
      },
    });
}

export async function deleteUserLinks(executor: Executor, applicationId: string, directoryIds: readonly string[]): Promise<void> {
  if (directoryIds.length === 0) return;
  await executor.delete(links).where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), inArray(links.directoryId, directoryIds as string[])));
}
