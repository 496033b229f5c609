/**
 * Lists users with prefix search, exact filters and keyset pagination. Every sort ends with `id`,
 * so pages are stable under ties, and each sort has an index on (key, id) to walk.
 */
import { type SQL, and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { invalidField } from '../../errors/app-error.ts';
import { loadAttributeDefinitions } from '../attributes/attributes.ts';
import { coerceCustomValue } from '../attributes/custom-values.ts';
import { type UserStatus, type UserView, toUserView } from './user-fields.ts';

export const userSorts = ['displayName', 'email', 'createdAt'] as const;
export type UserSort = (typeof userSorts)[number];

export interface ListUsersOptions {
  limit: number;
  /** The `nextCursor` of the previous page, already decoded: [sort, order, key, id]. */
  after?: readonly unknown[] | undefined;
  /** Prefix of email, display name, given name, family name or employee id (case-insensitive). */
  q?: string | undefined;
  status?: UserStatus | undefined;
  department?: string | undefined;
  jobTitle?: string | undefined;
  organization?: string | undefined;
  location?: string | undefined;
  managerId?: string | undefined;
  employeeId?: string | undefined;
  /** Exact email, case-insensitive. */
  email?: string | undefined;
  /** Exact custom attribute values, as text; converted to the attribute's type. */
  custom?: Record<string, string> | undefined;
  sort?: UserSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}

export interface UserPage {
  items: UserView[];
  /** Cursor parts for the next page, or null on the last page. */
  next: unknown[] | null;
}

const sortKey: Record<UserSort, SQL> = {
  displayName: sql`lower(${users.displayName})`,
  email: sql`lower(${users.email})`,
  createdAt: sql`${users.createdAt}`,
};

/** `created_at` travels as text so the cursor keeps PostgreSQL's microseconds (a JS Date has milliseconds). */
const cursorValue: Record<UserSort, SQL> = {
  displayName: sql`lower(${users.displayName})`,
  email: sql`lower(${users.email})`,
  createdAt: sql`${users.createdAt}::text`,
};

const likePrefix = (q: string): string => `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listUsers(executor: Executor, opts: ListUsersOptions): Promise<UserPage> {
  const sort = opts.sort ?? 'displayName';
  const order = opts.order ?? 'asc';
  const where: (SQL | undefined)[] = [isNull(users.deletedAt)];
  if (opts.q) {
    const p = likePrefix(opts.q);
    where.push(sql`(lower(${users.email}) like ${p} or lower(${users.displayName}) like ${p} or lower(${users.givenName}) like ${p}
      or lower(${users.familyName}) like ${p} or lower(${users.employeeId}) like ${p})`);
  }
  if (opts.status) where.push(eq(users.status, opts.status));
  // Case-insensitive, like search: "support" finds the Support department.
  if (opts.department !== undefined) where.push(sql`lower(${users.department}) = ${opts.department.toLowerCase()}`);
  if (opts.jobTitle !== undefined) where.push(eq(users.jobTitle, opts.jobTitle));
  if (opts.organization !== undefined) where.push(eq(users.organization, opts.organization));
  if (opts.location !== undefined) where.push(eq(users.location, opts.location));
  if (opts.managerId !== undefined) where.push(eq(users.managerId, opts.managerId));
  if (opts.employeeId !== undefined) where.push(eq(users.employeeId, opts.employeeId));
  if (opts.email !== undefined) where.push(sql`lower(${users.email}) = ${opts.email.toLowerCase()}`);
  const customFilters = Object.entries(opts.custom ?? {});
  if (customFilters.length > 0) {
    const defs = await loadAttributeDefinitions(executor);
    for (const [key, text] of customFilters) {
      const def = defs.get(key);
      if (!def) throw invalidField(`query.custom.${key}`, 'is not a defined custom attribute');
      const typed = coerceCustomValue(def, text, true);
      if (!typed.ok) throw invalidField(`query.custom.${key}`, typed.reason);
      // Containment with the typed value uses the GIN index on `custom`.
      where.push(sql`${users.custom} @> ${JSON.stringify({ [key]: typed.value })}::jsonb`);
    }
  }
  if (opts.after) {
    const [cSort, cOrder, key, id] = opts.after;
    if (cSort !== sort || cOrder !== order || typeof key !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
      throw invalidField('query.cursor', 'belongs to another sort order or is not a cursor of this list');
    }
    const keyParam = sort === 'createdAt' ? sql`${key}::timestamptz` : sql`${key}`;
    where.push(order === 'asc' ? sql`(${sortKey[sort]}, ${users.id}) > (${keyParam}, ${id}::uuid)` : sql`(${sortKey[sort]}, ${users.id}) < (${keyParam}, ${id}::uuid)`);
  }
  const dir = order === 'asc' ? asc : desc;
  // A search of 3+ characters, or a filter on a column that is usually selective, finds its matches
  // through their own indexes and sorts them, rather than walk the sort index past every non-match
  // (the planner cannot know that department=Legal and location=Pune never occur together). The
  // expression below hides the sort index to force that plan; dense filters (status, department,
  // organization) keep the walk, which finds a page of matches quickly.
  const selective =
    (opts.q !== undefined && opts.q.length >= 3) ||
    [opts.jobTitle, opts.location, opts.managerId, opts.employeeId, opts.email].some((f) => f !== undefined) ||
    Object.keys(opts.custom ?? {}).length > 0;
  const orderKey = !selective ? sortKey[sort] : sort === 'createdAt' ? sql`(${users.createdAt} + interval '0 s')` : sql`(${sortKey[sort]} || '')`;
  const rows = await executor
    .select({ user: users, cursorKey: cursorValue[sort].mapWith(String) })
    .from(users)
    .where(and(...where))
    .orderBy(dir(orderKey), dir(users.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toUserView(r.user)),
    next: rows.length > opts.limit && last ? [sort, order, last.cursorKey, last.user.id] : null,
  };
}
