/** Reads applications: one by id, or a page of live ones sorted by display name. */
import { and, asc, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { applications } from '../../db/schema.ts';
import type { Application } from './app-schemas.ts';
import { findAppRow, toApplication } from './app-view.ts';

/** The live application with `id`, or a 404 naming `params.id`. */
export const getApp = async (executor: Executor, id: string): Promise<Application> => toApplication(await findAppRow(executor, id));

export interface ListAppsQuery {
  limit: number;
  /** Sort key of the last item of the previous page: `[lower(displayName), id]`. */
  after?: readonly [string, string] | undefined;
  /** Only applications of this gallery type. */
  type?: string | undefined;
}

export async function listApps(executor: Executor, query: ListAppsQuery): Promise<{ items: Application[]; next: [string, string] | null }> {
  const rows = await executor
    .select({ row: applications, sortName: sql<string>`lower(${applications.displayName})` })
    .from(applications)
    .where(
      and(
        isNull(applications.deletedAt),
        query.type ? sql`${applications.type} = ${query.type}` : undefined,
        query.after ? sql`(lower(${applications.displayName}), ${applications.id}) > (${query.after[0]}, ${query.after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(sql`lower(${applications.displayName})`, asc(applications.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map((r) => toApplication(r.row)), next: rows.length > query.limit && last ? [last.sortName, last.row.id] : null };
}
