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

/** Position in a (name, id) order, as Zendesk's group cursors encode it (`"o":"name,id"`). */
interface NamePosition {
  readonly name: string;
  readonly id: number;
}

function encodeNameCursor(p: NamePosition): string {
  return Buffer.from(JSON.stringify({ o: 'name,id', v: Buffer.from(JSON.stringify([p.name, p.id])).toString('base64') })).toString('base64');
}

function decodeNameCursor(cursor: string): NamePosition | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { o?: unknown; v?: unknown };
    if (parsed.o !== 'name,id' || typeof parsed.v !== 'string') return null;
    const [name, id] = JSON.parse(Buffer.from(parsed.v, 'base64').toString('utf8')) as [unknown, unknown];
    return typeof name === 'string' && Number.isSafeInteger(id) ? { name, id: id as number } : null;
  } catch {
    return null;
  }
}

/** Case-insensitive, like Zendesk's database collation (UNVERIFIED for ties in case only), then id. */
function compareName(a: NamePosition, b: NamePosition): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

/**
 * Lists a collection ordered by name, then id (Zendesk's order for groups), in either paging mode;
 * cursors carry the (name, id) position, so a rename between pages cannot skip or repeat others.
 */
export function listByName<T>(ctx: RequestContext, key: string, items: readonly T[], positionOf: (t: T) => NamePosition, keep: (t: T) => boolean, view: (t: T) => unknown): Record<string, unknown> {
  const sorted = items.filter(keep).sort((a, b) => compareName(positionOf(a), positionOf(b)));
  const q = ctx.query;
  if (!q.has('page[size]') && !q.has('page[after]') && !q.has('page[before]')) {
    const paging = readPaging(q);
    if (paging.mode !== 'offset') throw new Error('unreachable: no page[...] parameter');
    const slice = offsetSlice(ctx, sorted, paging);
    return { [key]: slice.items.map(view), next_page: slice.next_page, previous_page: slice.previous_page, count: slice.count };
  }
  const size = Math.min(MAX_PAGE, Math.max(1, intParam(q.get('page[size]'), MAX_PAGE)));
  const read = (name: string) => {
    const raw = q.get(name);
    if (raw === null || raw === '') return null;
    const p = decodeNameCursor(raw);
    if (!p) throw new ApiError(problems.invalidPagination(`${name} is not a valid cursor`));
    return p;
  };
  const after = read('page[after]');
  const before = read('page[before]');
  let page: T[];
  let hasMore: boolean;
  if (before && !after) {
    const end = sorted.findIndex((t) => compareName(positionOf(t), before) >= 0);
    const stop = end < 0 ? sorted.length : end;
    page = sorted.slice(Math.max(0, stop - size), stop);
    hasMore = stop - size > 0;
  } else {
    const start = after ? sorted.findIndex((t) => compareName(positionOf(t), after) > 0) : 0;
    const from = start < 0 ? sorted.length : start;
    page = sorted.slice(from, from + size);
    hasMore = from + size < sorted.length;
  }
  const first = page[0];
  const last = page[page.length - 1];
  const drop = ['page[after]', 'page[before]'];
  const afterCursor = last === undefined ? null : encodeNameCursor(positionOf(last));
  const beforeCursor = first === undefined ? null : encodeNameCursor(positionOf(first));
  return {
    [key]: page.map(view),
    meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
    links: {
      prev: beforeCursor === null ? null : pageUrl(ctx, { 'page[before]': beforeCursor, 'page[size]': String(size) }, drop),
      next: afterCursor === null ? null : pageUrl(ctx, { 'page[after]': afterCursor, 'page[size]': String(size) }, drop),
    },
  };
}
