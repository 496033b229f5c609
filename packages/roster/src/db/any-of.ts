/**
 * Set membership with one bound parameter, however long the list. PostgreSQL's protocol allows at
 * most 65,535 parameters per statement (PGlite wraps the count and fails with "bind message has …
 * parameter formats"), so a list that grows with the directory (user ids, links, members) must never
 * be spread as `in ($1, $2, …)`: it is sent as one array literal and compared with `= any(…)`, which
 * the planner turns into an index scan or a hashed lookup.
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

export type ArrayElement = 'uuid' | 'text';

/** PostgreSQL's text form of an array: every element double-quoted, `"` and `\` escaped. */
export const arrayLiteral = (values: readonly string[]): string => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** `expr = any($1::uuid[])`: true for the rows whose `expr` is one of `values` (false for none, like `inArray`). */
export const anyOf = (expr: AnyColumn | SQL, values: readonly string[], element: ArrayElement = 'uuid'): SQL =>
  sql`${expr} = any(${arrayLiteral(values)}::${sql.raw(element)}[])`;

/** `expr <> all($1::uuid[])`: true for the rows whose `expr` is none of `values` (true for none, like `notInArray`). */
export const noneOf = (expr: AnyColumn | SQL, values: readonly string[], element: ArrayElement = 'uuid'): SQL =>
  sql`${expr} <> all(${arrayLiteral(values)}::${sql.raw(element)}[])`;

/**
 * Multi-row inserts bind rows × columns parameters: the rows per statement that stay well below the
 * protocol's ceiling (and below PGlite's slow path for very long bind messages).
 */
export const rowsPerInsert = (columns: number): number => Math.max(1, Math.floor(30_000 / columns));

/** `items` in consecutive slices of at most `size`. */
export function inSlices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
