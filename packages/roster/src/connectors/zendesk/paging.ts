/**
 * Cursor paging (https://developer.zendesk.com/api-reference/introduction/pagination/): `page[size]`
 * up to 100, then `page[after]=meta.after_cursor`. Zendesk keeps `links.next` on the last page, so
 * the walk stops on `meta.has_more == false`, never on a missing next link.
 */
import { z } from 'zod';
import { err } from '../../errors/result.ts';
import type { ConnectorResult } from '../contract.ts';
import { zendeskError } from './errors.ts';
import type { ZendeskHttp } from './http.ts';

const metaSchema = z.looseObject({ has_more: z.boolean(), after_cursor: z.string().nullable().optional() });

export async function* cursorPages<T>(
  http: ZendeskHttp,
  path: string,
  key: string,
  itemSchema: z.ZodType<T>,
  options: { pageSize?: number; query?: Record<string, string>; onPage?: (page: Record<string, unknown>) => void } = {},
): AsyncIterable<ConnectorResult<T[]>> {
  const pageSchema = z.looseObject({ [key]: z.array(itemSchema), meta: metaSchema });
  let after: string | undefined;
  for (let page = 0; ; page += 1) {
    const query: Record<string, string | number> = { ...options.query, 'page[size]': Math.min(100, options.pageSize ?? 100) };
    if (after !== undefined) query['page[after]'] = after;
    const r = await http.json({ method: 'GET', path, query }, pageSchema);
    if (!r.ok) {
      yield r;
      return;
    }
    options.onPage?.(r.value);
    const items = r.value[key] as T[];
    yield { ok: true, value: items };
    const meta = r.value.meta as z.infer<typeof metaSchema>;
    if (!meta.has_more) return;
    if (!meta.after_cursor) {
      yield err(zendeskError('unexpected_response', 'transient', `Zendesk said more ${key} follow but gave no cursor`, 'Roster retries the listing.'));
      return;
    }
    after = meta.after_cursor;
  }
}

/** Collects every page, or the first error. */
export async function collect<T>(pages: AsyncIterable<ConnectorResult<T[]>>): Promise<ConnectorResult<T[]>> {
  const all: T[] = [];
  for await (const page of pages) {
    if (!page.ok) return page;
    all.push(...page.value);
  }
  return { ok: true, value: all };
}
