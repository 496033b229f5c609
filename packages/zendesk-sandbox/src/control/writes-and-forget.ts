import { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import type { ControlHandler } from '../http/server.ts';
import type { UserRecord } from '../store/user-record.ts';
import { accountOr404, json, parseControl } from './respond.ts';

/** GET /__sandbox/accounts/{sub}/writes?since=<seq>[&limit=<n>] — public-API writes after `since`. */
export const writesHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const number = (name: string, fallback: number) => {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d{1,15}$/.test(raw)) throw new ApiError({ status: 400, body: { error: 'InvalidControlRequest', issues: [{ path: name, message: 'must be a non-negative integer' }] } });
    return Number(raw);
  };
  const since = number('since', 0);
  const limit = number('limit', Number.POSITIVE_INFINITY);
  return json({ writes: account.writes.since(since, limit), lastSeq: account.writes.lastSeq });
};

export const forgetUsersSchema = z.object({ reuseIds: z.boolean().default(false) }).strict();

/**
 * POST /__sandbox/accounts/{sub}/faults/forget-users — a TEST-ONLY fault: forgets every user but the
 * account owner (identities and memberships with them), as if the account lost its data. With
 * `reuseIds` the next users created take the forgotten ids again, in order — the only way the
 * sandbox ever reuses an id.
 */
export const forgetUsersHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const body = parseControl(forgetUsersSchema, ctx.body);
  const forgotten: UserRecord[] = account.users.ordered.filter((u) => u.id !== account.ownerId);
  account.memberships.removeUsers(new Set(forgotten.map((u) => u.id)));
  account.users.removeMany(forgotten);
  account.reuseUserIds.length = 0;
  if (body.reuseIds) account.reuseUserIds.push(...forgotten.map((u) => u.id));
  return json({ forgotten: forgotten.length, reuseIds: body.reuseIds });
};
