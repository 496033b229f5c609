import { fail, problems } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import type { UserRecord } from '../store/user-record.ts';
import { userView } from '../views/user-view.ts';
import { searchFilter } from './users-read.ts';

/** Position in the export's order: `created_at` descending, then id ascending (as recorded). */
interface ExportPosition {
  readonly t: number;
  readonly id: number;
}

const encode = (p: ExportPosition) => Buffer.from(JSON.stringify({ field: 'created_at', desc: true, tieBreakField: 'id', tieBreakDesc: false, sortValues: [p.t, p.id] })).toString('base64');

function decode(cursor: string): ExportPosition | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { sortValues?: unknown };
    const [t, id] = Array.isArray(v.sortValues) ? (v.sortValues as unknown[]) : [];
    return Number.isSafeInteger(t) && Number.isSafeInteger(id) ? { t: t as number, id: id as number } : null;
  } catch {
    return null;
  }
}

const order = (a: ExportPosition, b: ExportPosition) => b.t - a.t || a.id - b.id;
const position = (u: UserRecord): ExportPosition => ({ t: Date.parse(u.createdAt), id: u.id });

/**
 * `GET /api/v2/search/export?query=…&filter[type]=user&page[size]=N` (API-NOTES §1.13): the
 * uncapped, cursor-only search, users only. Results are user objects plus `result_type:"user"`,
 * with `facets:null`, `meta` and `links` as recorded.
 */
export const searchExportRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/search/export', access: 'agent', scope: { access: 'read' }, controller: 'search', action: 'export',
    handler: (ctx: RequestContext) => {
      const type = ctx.query.get('filter[type]');
      if (!type) fail(problems.badRequest('filter[type] is required (the sandbox exports type user)'));
      if (type !== 'user') fail(problems.badRequest(`filter[type] ${type} is not emulated; the sandbox exports users only`));
      const query = ctx.query.get('query');
      if (query === null || query.trim() === '') fail(problems.badRequest('query is required'));
      const rawSize = Number.parseInt(ctx.query.get('page[size]') ?? '100', 10);
      const size = Math.min(1000, Math.max(1, Number.isFinite(rawSize) ? rawSize : 100));
      const afterRaw = ctx.query.get('page[after]');
      const after = afterRaw ? decode(afterRaw) : null;
      if (afterRaw && !after) fail(problems.invalidPagination('page[after] is not a valid cursor'));
      // `type:user` is implied by the filter; created_at comparisons are not emulated and match all.
      const terms = query.split(/\s+/).filter((t) => t && !/^created_at[<>=]/.test(t) && !/^updated_at[<>=]/.test(t)).join(' ');
      const keep = searchFilter(terms);
      const matches = ctx.account.users.ordered.filter((u) => keep(u) && (!after || order(after, position(u)) < 0)).sort((a, b) => order(position(a), position(b)));
      const page = matches.slice(0, size);
      const hasMore = matches.length > size;
      const last = page[page.length - 1];
      const afterCursor = hasMore && last ? encode(position(last)) : null;
      const q = new URLSearchParams(ctx.query);
      q.delete('page[after]');
      if (afterCursor) q.set('page[after]', afterCursor);
      return ok({
        results: page.map((u) => ({ ...userView(ctx.account, u, ctx.base), result_type: 'user' })),
        facets: null,
        meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: null },
        links: { prev: null, next: afterCursor ? `${ctx.base}/api/v2/search/export.json?${q.toString()}` : null },
      });
    },
  },
];
