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

/**
 * Incremental user export, cursor flavour (API-NOTES §8): admins only, 20/min bucket (60 with
 * High Volume), soft-deleted users included (as `active:false`). The last `exportLagMs` (60 s by
 * default, settable per account) is held back like Zendesk's last minute.
 */
export const incrementalRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/incremental/users/cursor', access: 'admin', scope: { access: 'read', resource: 'users' }, controller: 'incremental', action: 'users_cursor',
    handler: (ctx) => {
      const limit = ctx.account.plan.incrementalPerMinute;
      const gate = chargeEndpoint(ctx.account, 'incremental', 'users-cursor', limit, 'zendesk-ratelimit-incremental-exports-cursor', 'Number of allowed incremental export API requests per minute exceeded');
      Object.assign(ctx.headers, gate.headers);
      if (gate.refusal) fail({ status: 429, body: gate.refusal.body, headers: { ...gate.refusal.headers, ...gate.headers } });
      const now = Date.now();
      const from = startPosition(ctx, now);
      const perPage = Math.min(1000, Math.max(1, Number(ctx.query.get('per_page') ?? '1000') || 1000));
      const horizon = now - ctx.account.plan.exportLagMs;
      const rows: Array<{ t: number; id: number; u: UserRecord }> = [];
      for (const u of ctx.account.users.ordered) {
        if (u.permanentlyDeleted) continue;
        const t = Date.parse(u.updatedAt);
        if (t <= horizon && after({ t, id: u.id }, from)) rows.push({ t, id: u.id, u });
      }
      rows.sort((a, b) => a.t - b.t || a.id - b.id);
      const page = rows.slice(0, perPage);
      const last = page[page.length - 1];
      const afterCursor = encode(last ? { t: last.t, id: last.id } : from);
      return ok({
        users: page.map((r) => userView(ctx.account, r.u, ctx.base)),
        after_cursor: afterCursor,
        after_url: `${ctx.base}/api/v2/incremental/users/cursor.json?cursor=${encodeURIComponent(afterCursor)}`,
        before_cursor: null,
        before_url: null,
        end_of_stream: rows.length <= perPage,
      });
    },
  },
];
