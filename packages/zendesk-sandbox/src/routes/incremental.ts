import { fail, problems } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { chargeEndpoint } from '../limits/account-gate.ts';
import type { UserRecord } from '../store/user-record.ts';
import { userView } from '../views/user-view.ts';

/** Position in the (updated_at, id) order. */
interface Position {
  readonly t: number;
  readonly id: number;
}

const encode = (p: Position) => Buffer.from(`${p.t}:${p.id}`).toString('base64');

function decode(cursor: string): Position | null {
  const [t, id] = Buffer.from(cursor, 'base64').toString('utf8').split(':').map(Number);
  return Number.isSafeInteger(t) && Number.isSafeInteger(id) ? { t: t as number, id: id as number } : null;
}

function startPosition(ctx: RequestContext, now: number): Position {
  const cursor = ctx.query.get('cursor');
  if (cursor !== null) {
    const p = decode(cursor);
    if (!p) fail(problems.badRequest('Invalid cursor'));
    return p;
  }
  const raw = ctx.query.get('start_time');
  const start = raw === null ? NaN : Number(raw);
  if (!Number.isFinite(start)) fail({ status: 400, body: { error: 'InvalidValue', description: 'start_time is required' } });
  if (start * 1000 > now - 60_000) fail({ status: 400, body: { error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' } });
  return { t: start * 1000 - 1, id: Number.MAX_SAFE_INTEGER };
}

const after = (u: { t: number; id: number }, p: Position) => u.t > p.t || (u.t === p.t && u.id > p.id);

/** Users changed after `from` and before the lag horizon, in (updated_at, id) order. */
function changedSince(ctx: RequestContext, from: Position, now: number): Array<{ t: number; id: number; u: UserRecord }> {
  const horizon = now - ctx.account.plan.exportLagMs;
  const rows: Array<{ t: number; id: number; u: UserRecord }> = [];
  for (const u of ctx.account.users.ordered) {
    if (u.permanentlyDeleted) continue;
    const t = Date.parse(u.updatedAt);
    if (t <= horizon && after({ t, id: u.id }, from)) rows.push({ t, id: u.id, u });
  }
  return rows.sort((a, b) => a.t - b.t || a.id - b.id);
}

function charge(ctx: RequestContext, key: string, limit: number, header: string): void {
  const gate = chargeEndpoint(ctx.account, 'incremental', key, limit, header, 'Number of allowed incremental export API requests per minute exceeded');
  Object.assign(ctx.headers, gate.headers);
  if (gate.refusal) fail({ status: 429, body: gate.refusal.body, headers: { ...gate.refusal.headers, ...gate.headers } });
}

const perPageOf = (ctx: RequestContext) => Math.min(1000, Math.max(1, Number(ctx.query.get('per_page') ?? '1000') || 1000));

/** `&per_page=N` when the request set it: Zendesk's next links keep the page size. */
const perPageSuffix = (ctx: RequestContext) => (ctx.query.has('per_page') ? `&per_page=${perPageOf(ctx)}` : '');

/**
 * Incremental user export (API-NOTES §8): admins only. Cursor flavour: 20/min bucket (60 with
 * High Volume); time-based flavour: 10/min (30 with High Volume). Soft-deleted users are included
 * (as `active:false`). The last `exportLagMs` (60 s by default, settable per account) is held back
 * like Zendesk's last minute.
 */
export const incrementalRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/incremental/users/cursor', access: 'admin', scope: { access: 'read', resource: 'users' }, controller: 'incremental', action: 'users_cursor',
    handler: (ctx) => {
      charge(ctx, 'users-cursor', ctx.account.plan.incrementalPerMinute, 'zendesk-ratelimit-incremental-exports-cursor');
      const now = Date.now();
      const perPage = perPageOf(ctx);
      const rows = changedSince(ctx, startPosition(ctx, now), now);
      const page = rows.slice(0, perPage);
      const last = page[page.length - 1];
      const afterCursor = encode(last ? { t: last.t, id: last.id } : startPosition(ctx, now));
      return ok({
        users: page.map((r) => userView(ctx.account, r.u, ctx.base)),
        after_cursor: afterCursor,
        after_url: `${ctx.base}/api/v2/incremental/users/cursor.json?cursor=${encodeURIComponent(afterCursor)}${perPageSuffix(ctx)}`,
        before_cursor: null,
        before_url: null,
        end_of_stream: rows.length <= perPage,
      });
    },
  },
  {
    method: 'GET', path: '/api/v2/incremental/users', access: 'admin', scope: { access: 'read', resource: 'users' }, controller: 'incremental', action: 'users',
    handler: (ctx) => {
      charge(ctx, 'users-time', ctx.account.plan.incrementalPerMinute / 2, 'zendesk-ratelimit-incremental-exports');
      const now = Date.now();
      if (ctx.query.has('cursor')) fail(problems.badRequest('Use start_time with the time-based export'));
      const perPage = perPageOf(ctx);
      const rows = changedSince(ctx, startPosition(ctx, now), now);
      let page = rows.slice(0, perPage);
      const lastT = page[page.length - 1]?.t;
      // Zendesk pages by whole seconds: never split a second across pages.
      if (rows.length > perPage && lastT !== undefined) page = rows.filter((r) => Math.floor(r.t / 1000) <= Math.floor(lastT / 1000));
      const endTime = lastT === undefined ? Number(ctx.query.get('start_time')) : Math.floor(lastT / 1000) + 1;
      return ok({
        users: page.map((r) => userView(ctx.account, r.u, ctx.base)),
        count: page.length,
        end_of_stream: page.length === rows.length,
        end_time: endTime,
        next_page: `${ctx.base}/api/v2/incremental/users.json?start_time=${endTime}${perPageSuffix(ctx)}`,
      });
    },
  },
];
