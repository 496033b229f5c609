/**
 * Index paging (RFC 7644 §3.4.2.4): `startIndex` (1-based) and `count`, never more than the app's
 * `filter.maxResults`; the walk ends when `totalResults` are read or a page comes back empty. An
 * app that ignores `startIndex` (the same accounts again) ends the walk with an error, not a loop.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorResult } from '../contract.ts';
import { scimError, unexpectedResponse } from './errors.ts';
import type { ScimHttp } from './http.ts';

/**
 * A ListResponse (RFC 7644 §3.4.2). `Resources` may be absent when nothing matched and
 * `itemsPerPage` is often left out; `totalResults` is required by the RFC but some apps omit it
 * (then the walk goes on to an empty page). A body with neither is not a list.
 */
export const listResponseSchema = z
  .looseObject({
    Resources: z.array(z.unknown()).nullable().optional(),
    totalResults: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(0)).optional(),
    startIndex: z.union([z.number(), z.string()]).optional(),
  })
  .refine((l) => l.totalResults !== undefined || Array.isArray(l.Resources), { message: 'is not a ListResponse (no totalResults, no Resources)' });

export interface PageOptions {
  /** Resources per request; capped by maxResults. */
  count: number;
  query?: Record<string, string>;
}

export async function* indexPages<T extends { id: string }>(http: ScimHttp, path: string, itemSchema: z.ZodType<T>, options: PageOptions): AsyncIterable<ConnectorResult<T[]>> {
  const count = Math.max(1, options.count);
  const seen = new Set<string>();
  let startIndex = 1;
  for (;;) {
    const r = await http.json({ method: 'GET', path, query: { ...options.query, startIndex, count } }, listResponseSchema);
    if (!r.ok) {
      yield r;
      return;
    }
    const items: T[] = [];
    for (const raw of r.value.Resources ?? []) {
      const p = itemSchema.safeParse(raw);
      if (!p.success) {
        const issue = p.error.issues[0];
        yield err(unexpectedResponse(`GET ${path}`, `a listed resource ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'is unreadable'}`));
        return;
      }
      items.push(p.data);
    }
    if (items.length > 0 && items.every((i) => seen.has(i.id))) {
      yield err(scimError('paging_broken', 'transient', `The app answered the same resources again for startIndex=${startIndex} of ${path}`, 'The app does not page its lists as SCIM requires (startIndex); Roster stops this listing and retries later. Report it to the app vendor.'));
      return;
    }
    for (const i of items) seen.add(i.id);
    yield ok(items);
    startIndex += items.length;
    const total = r.value.totalResults;
    if (items.length === 0 || (total !== undefined && startIndex > total)) return;
  }
}

/** Collects every page, or the first error. */
export async function collect<T>(pages: AsyncIterable<ConnectorResult<T[]>>): Promise<ConnectorResult<T[]>> {
  const all: T[] = [];
  for await (const page of pages) {
    if (!page.ok) return page;
    all.push(...page.value);
  }
  return ok(all);
}
