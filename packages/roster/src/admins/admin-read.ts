/** Reading admin accounts: one, or a page ordered by email. */
import { and, eq, gt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { notFound } from '../errors/app-error.ts';
import type { AdminRow } from './admin-view.ts';

export async function getAdminRow(executor: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<AdminRow> {
  const query = executor.select().from(admins).where(eq(admins.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('admin', id);
  return row;
}

/** A page of admins after the `(lower(email), id)` key `after`. */
export async function listAdminRows(executor: Executor, limit: number, after?: readonly [string, string]): Promise<AdminRow[]> {
  const email = sql`lower(${admins.email})`;
  return executor
    .select()
    .from(admins)
    .where(after ? or(gt(email, after[0]), and(eq(email, after[0]), gt(admins.id, after[1]))) : undefined)
    .orderBy(email, admins.id)
    .limit(limit);
}
