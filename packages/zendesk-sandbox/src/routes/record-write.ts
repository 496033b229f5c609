import type { RequestContext } from '../http/route.ts';
import { userBefore, type WriteKind } from '../store/write-log.ts';

/**
 * Records one successful public-API write on the account's write log. `before` is the target user's
 * state captured before the write (`null` for creates and group writes); `createdId` the id a
 * membership create made (the audit attributes the write by it).
 */
export function recordWrite(ctx: RequestContext, kind: WriteKind, userId: number | null, before: ReturnType<typeof userBefore>, body: unknown, createdId?: number): void {
  const query = ctx.query.toString();
  ctx.account.writes.record({ method: ctx.req.method ?? 'GET', path: query ? `${ctx.path}?${query}` : ctx.path, kind, userId, before, body: body ?? null, ...(createdId === undefined ? {} : { createdId }) });
}

/** The body's `key` member as sent (the item written), or null. */
export function rawMember(ctx: RequestContext, key: string): unknown {
  const body = ctx.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? ((body as Record<string, unknown>)[key] ?? null) : null;
}

export { userBefore };
