/**
 * Resolves `managerEmail` for directory users: the `[managerEmail]` source attribute is not a
 * column of the user, it is the email of the user their `managerId` names. One query per 5,000
 * managers; a deleted or unknown manager gives null.
 */
import { and, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';

const CHUNK = 5_000;

export async function withManagerEmails<T extends { managerId: string | null }>(executor: Executor, rows: readonly T[]): Promise<(T & { managerEmail: string | null })[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.managerId ? [r.managerId] : [])))];
  const emails = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = await executor.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.id, ids.slice(i, i + CHUNK)), isNull(users.deletedAt)));
    for (const m of part) emails.set(m.id, m.email);
  }
  return rows.map((r) => ({ ...r, managerEmail: r.managerId ? (emails.get(r.managerId) ?? null) : null }));
}
