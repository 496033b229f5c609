/** Reads one non-deleted user. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { notFound } from '../../errors/app-error.ts';
import { type UserRow, type UserView, toUserView } from './user-fields.ts';

export async function getUser(executor: Executor, id: string): Promise<UserView> {
  return toUserView(await lockUser(executor, id, false));
}

/** The current row (optionally locked for update); deleted users are not found. */
export async function lockUser(executor: Executor, id: string, forUpdate = true): Promise<UserRow> {
  const q = executor.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('user', id);
  return row;
}
