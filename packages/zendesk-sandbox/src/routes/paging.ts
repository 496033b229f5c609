import { ApiError, problems } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';

/** Cursor paging when any `page[...]` key is present, offset paging otherwise (API-NOTES §1.1). */
export type Paging =
  | { readonly mode: 'cursor'; readonly size: number; readonly afterId: number | null; readonly beforeId: number | null }
  | { readonly mode: 'offset'; readonly page: number; readonly perPage: number };

const MAX_PAGE = 100;
const MAX_OFFSET_RECORDS = 10_000;

/** Opaque cursor in Zendesk's recorded style: base64 JSON `{"o":"id","v":"<base64 id>"}`. */
export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ o: 'id', v: Buffer.from(String(id)).toString('base64') })).toString('base64');
}

export function decodeCursor(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { o?: unknown; v?: unknown };
    if (parsed.o !== 'id' || typeof parsed.v !== 'string') return null;
    const id = Number(Buffer.from(parsed.v, 'base64').toString('utf8'));
    return Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}

function intParam(value: string | null, fallback: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

/** Reads paging parameters; a bad cursor is 400 `InvalidPaginationParameter`. */
export function readPaging(query: URLSearchParams, defaultSize = MAX_PAGE, maxSize = MAX_PAGE): Paging {
  const size = query.get('page[size]');
  const after = query.get('page[after]');
  const before = query.get('page[before]');
  if (size !== null || after !== null || before !== null) {
    const decode = (c: string | null) => {
      if (c === null || c === '') return null;
      const id = decodeCursor(c);
      if (id === null) throw new ApiError(problems.invalidPagination('page[after] / page[before] is not a valid cursor'));
      return id;
    };
    return { mode: 'cursor', size: Math.min(maxSize, Math.max(1, intParam(size, defaultSize))), afterId: decode(after), beforeId: decode(before) };
  }
  const page = Math.max(1, intParam(query.get('page'), 1));
  const perPage = Math.min(MAX_PAGE, Math.max(1, intParam(query.get('per_page'), MAX_PAGE)));
  return { mode: 'offset', page, perPage };
}

/** Index of the first item whose id is greater than `id` in an id-sorted array. */
export function indexAfterId<T>(items: readonly T[], idOf: (t: T) => number, id: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idOf(items[mid] as T) <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One cursor page from an id-sorted array, skipping items `keep` rejects. */
export function cursorSlice<T>(items: readonly T[], idOf: (t: T) => number, keep: (t: T) => boolean, p: Extract<Paging, { mode: 'cursor' }>): { page: T[]; hasMore: boolean } {
  const page: T[] = [];
  if (p.beforeId !== null && p.afterId === null) {
    let i = indexAfterId(items, idOf, p.beforeId - 1) - 1;
    for (; i >= 0 && page.length < p.size; i--) if (keep(items[i] as T)) page.push(items[i] as T);
    let hasMore = false;
    for (; i >= 0; i--) if (keep(items[i] as T)) { hasMore = true; break; }
    return { page: page.reverse(), hasMore };
  }
  let i = p.afterId === null ? 0 : indexAfterId(items, idOf, p.afterId);
  for (; i < items.length && page.length < p.size; i++) if (keep(items[i] as T)) page.push(items[i] as T);
  let hasMore = false;
  for (; i < items.length; i++) if (keep(items[i] as T)) { hasMore = true; break; }
  return { page, hasMore };
}

function pageUrl(ctx: RequestContext, set: Record<string, string>, drop: readonly string[]): string {
  const q = new URLSearchParams(ctx.query);
  for (const k of drop) q.delete(k);
  for (const [k, v] of Object.entries(set)) q.set(k, v);
  return `${ctx.base}${ctx.path}.json?${q.toString()}`;
}

/** `meta` + `links` of a cursor page; `links.next` stays set on the last page, as recorded. */
export function cursorEnvelope(ctx: RequestContext, size: number, firstId: number | null, lastId: number | null, hasMore: boolean) {
  const drop = ['page[after]', 'page[before]'];
  const after = lastId === null ? null : encodeCursor(lastId);
  const before = firstId === null ? null : encodeCursor(firstId);
  return {
    meta: { has_more: hasMore, after_cursor: after, before_cursor: before },
    links: {
      prev: before === null ? null : pageUrl(ctx, { 'page[before]': before, 'page[size]': String(size) }, drop),
      next: after === null ? null : pageUrl(ctx, { 'page[after]': after, 'page[size]': String(size) }, drop),
    },
  };
}

/** Offset slice with `next_page`/`previous_page`/`count`; refuses past 10,000 records. */
export function offsetSlice<T>(ctx: RequestContext, all: readonly T[], p: Extract<Paging, { mode: 'offset' }>) {
  const start = (p.page - 1) * p.perPage;
  if (start >= MAX_OFFSET_RECORDS) throw new ApiError(problems.paginationDepth());
  const items = all.slice(start, start + p.perPage);
  const perPage = ctx.query.has('per_page') ? { per_page: String(p.perPage) } : {};
  return {
    items,
    next_page: start + p.perPage < all.length ? pageUrl(ctx, { page: String(p.page + 1), ...perPage }, []) : null,
    previous_page: p.page > 1 ? pageUrl(ctx, { page: String(p.page - 1), ...perPage }, []) : null,
    count: all.length,
  };
}

/** Lists an id-sorted collection in whichever paging mode the request asked for. */
export function listPage<T>(ctx: RequestContext, key: string, items: readonly T[], idOf: (t: T) => number, keep: (t: T) => boolean, view: (t: T) => unknown): Record<string, unknown> {
  const paging = readPaging(ctx.query);
  if (paging.mode === 'cursor') {
    const { page, hasMore } = cursorSlice(items, idOf, keep, paging);
    const first = page[0];
    const last = page[page.length - 1];
    return {
      [key]: page.map(view),
      ...cursorEnvelope(ctx, paging.size, first === undefined ? null : idOf(first), last === undefined ? null : idOf(last), hasMore),
    };
  }
  const slice = offsetSlice(ctx, items.filter(keep), paging);
  return { [key]: slice.items.map(view), next_page: slice.next_page, previous_page: slice.previous_page, count: slice.count };
}
