import { fail, problems } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';
import type { UserRecord } from '../store/user-record.ts';
import type { Actor } from '../store/user-write.ts';

/** The calling user as an actor for store writes. */
export function actorOf(ctx: RequestContext): Actor {
  return ctx.caller.kind === 'user' ? { user: ctx.caller.user, isAdmin: ctx.caller.user.role === 'admin' } : { user: null, isAdmin: false };
}

/** A numeric path parameter; anything else is a 404 like an unknown id. */
export function idParam(ctx: RequestContext, name: string): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d{1,16}$/.test(raw)) fail(problems.recordNotFound());
  return Number(raw);
}

/** An active (not soft-deleted) user by path id, else 404. */
export function liveUser(ctx: RequestContext, name = 'id'): UserRecord {
  const user = ctx.account.users.get(idParam(ctx, name));
  if (!user || !user.active) fail(problems.recordNotFound());
  return user;
}

/** Splits a comma list (`ids=1,2,3`), refusing more than 100 values with 400 TooManyValues. */
export function listParam(ctx: RequestContext, name: string, what: string): string[] {
  const raw = ctx.query.get(name);
  if (raw === null || raw.trim() === '') return [];
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  if (values.length > 100) fail(problems.tooManyValues(`Maximum 100 ${what} may be requested per call`));
  return values;
}

export function numericIds(values: readonly string[]): number[] {
  return values.map(Number).filter((n) => Number.isSafeInteger(n));
}
