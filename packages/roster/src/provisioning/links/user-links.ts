/**
 * The engine's memory of what it owns: `links` rows for users. Written only once the target has
 * confirmed, so a crash between a write and its link costs a lookup, never a duplicate.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { links } from '../../db/provisioning-schema.ts';
import type { UserLink, WrittenState } from '../diff/plan-types.ts';

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
    const rows = await executor.select().from(links).where(and(base, anyOf(links.directoryId, userIds.slice(i, i + CHUNK))));
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

/**
 * Upserts links; a target account held by a stale link of another user moves to this one. One
 * target id confirmed for two users in the same batch (a target that handed an id out again
 * mid-run) proves neither: no link is written for them, and their directory ids are returned so the
 * caller plans them again.
 */
export async function saveUserLinks(executor: Executor, applicationId: string, all: readonly LinkWrite[]): Promise<string[]> {
  const holders = new Map<string, number>();
  for (const w of all) holders.set(w.targetId, (holders.get(w.targetId) ?? 0) + 1);
  const writes = all.filter((w) => holders.get(w.targetId) === 1);
  const ambiguous = all.filter((w) => holders.get(w.targetId)! > 1).map((w) => w.directoryId);
  if (writes.length === 0) return ambiguous;
  if (writes.length > JSON_ROWS_THRESHOLD) {
    await saveManyUserLinks(executor, applicationId, writes);
    return ambiguous;
  }
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
  return ambiguous;
}

/** Above this many links one JSON parameter beats thousands of bound parameters (imports write 500 at once). */
const JSON_ROWS_THRESHOLD = 20;

/** `saveUserLinks` for many links: the same two statements, each with the links as one JSON parameter. */
async function saveManyUserLinks(executor: Executor, applicationId: string, writes: readonly LinkWrite[]): Promise<void> {
  const records = JSON.stringify(writes.map((w) => ({ directory_id: w.directoryId, target_id: w.targetId, last_hash: w.lastHash, last_written: w.lastWritten, state: w.state })));
  const rows = sql`jsonb_to_recordset(${records}::jsonb) as x(directory_id uuid, target_id text, last_hash text, last_written jsonb, state text)`;
  // Links of other directory users to these accounts go. Each account is looked up by the unique
  // (application, type, target id) key, one index probe per link written: the statement must not scan
  // the application's links. (Written as a join, the planner scanned them all whenever the table's
  // statistics were stale — always on PGlite, which never runs autovacuum: 2.8 s per 100 links at
  // 37,000 links, quadratic over a 100,000-user initial cycle; this form: 0.8 ms.)
  await executor.execute(sql`delete from links l where l.application_id = ${applicationId} and l.object_type = 'user'
    and l.ctid = any(array(select m.ctid from ${rows}, lateral (select k.ctid, k.directory_id from links k
      where k.application_id = ${applicationId} and k.object_type = 'user' and k.target_id = x.target_id limit 1) m
      where m.directory_id <> all(array(select directory_id from ${rows}))))`);
  await executor.execute(sql`insert into links (application_id, object_type, directory_id, target_id, last_hash, last_written, state)
    select ${applicationId}::uuid, 'user', directory_id, target_id, last_hash, last_written, state from ${rows}
    on conflict (application_id, object_type, directory_id) do update set target_id = excluded.target_id, last_hash = excluded.last_hash,
      last_written = excluded.last_written, state = excluded.state, updated_at = now()`);
}

/** Of `targetIds`, the accounts another directory user of the application is linked to. */
export async function linkedToOthers(executor: Executor, applicationId: string, directoryId: string, targetIds: readonly string[]): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  const rows = await executor
    .select({ targetId: links.targetId, directoryId: links.directoryId })
    .from(links)
    .where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), inArray(links.targetId, targetIds as string[])));
  return new Set(rows.filter((r) => r.directoryId !== directoryId).map((r) => r.targetId));
}

export async function deleteUserLinks(executor: Executor, applicationId: string, directoryIds: readonly string[]): Promise<void> {
  if (directoryIds.length === 0) return;
  await executor.delete(links).where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), anyOf(links.directoryId, directoryIds)));
}
