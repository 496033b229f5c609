import { fail } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { chargeEndpoint } from '../limits/account-gate.ts';
import { parseUserInput, wrapped, type UserInput } from '../store/user-input.ts';
import { createUser, findMatch, softDeleteUser, updateUser, type WriteResult } from '../store/user-write.ts';
import { userView } from '../views/user-view.ts';
import { actorOf, liveUser } from './helpers.ts';
import { rawMember, recordWrite, userBefore } from './record-write.ts';

const write = { access: 'write', resource: 'users' } as const;

/** Reads and validates `body.user`, collecting unknown keys for the warn header. */
export function userBody(ctx: RequestContext): UserInput {
  const w = wrapped(ctx.body, 'user');
  if (!w.ok) fail(w.problem);
  const parsed = parseUserInput(w.value, 'user');
  if (!parsed.ok) fail(parsed.problem);
  ctx.warnings.push(...parsed.unknownKeys);
  return parsed.input;
}

function unwrap(result: WriteResult) {
  if (!result.ok) fail(result.problem);
  return result.user;
}

/** 5 updates per minute per user profile (API-NOTES §1.5, §6.4). */
function chargeUserUpdate(ctx: RequestContext, key: string): void {
  const gate = chargeEndpoint(ctx.account, 'perUser', key, 5, 'zendesk-ratelimit-create-update-user', 'Number of allowed create or update requests per minute for this user exceeded');
  Object.assign(ctx.headers, gate.headers);
  if (gate.refusal) fail({ status: gate.refusal.status, body: gate.refusal.body, headers: { ...gate.refusal.headers, ...gate.headers } });
}

function created(ctx: RequestContext, id: number, body: unknown) {
  return ok(body, 201, { location: `${ctx.base}/api/v2/users/${id}.json` });
}

export const userWriteRoutes: RouteDef[] = [
  {
    method: 'POST', path: '/api/v2/users', access: 'agent', scope: write, controller: 'users', action: 'create',
    handler: (ctx) => {
      const user = unwrap(createUser(ctx.account, userBody(ctx), actorOf(ctx)));
      recordWrite(ctx, 'user.create', user.id, null, rawMember(ctx, 'user'));
      return created(ctx, user.id, { user: userView(ctx.account, user, ctx.base) });
    },
  },
  {
    method: 'POST', path: '/api/v2/users/create_or_update', access: 'agent', scope: write, controller: 'users', action: 'create_or_update',
    handler: (ctx) => {
      const input = userBody(ctx);
      const match = findMatch(ctx.account, input);
      chargeUserUpdate(ctx, match ? String(match.id) : `new:${(input.external_id ?? input.email ?? '').toLowerCase()}`);
      if (match) {
        const before = userBefore(match);
        const user = unwrap(updateUser(ctx.account, match, input, actorOf(ctx)));
        recordWrite(ctx, 'user.update', user.id, before, rawMember(ctx, 'user'));
        return ok({ user: userView(ctx.account, user, ctx.base) });
      }
      const user = unwrap(createUser(ctx.account, input, actorOf(ctx)));
      recordWrite(ctx, 'user.create', user.id, null, rawMember(ctx, 'user'));
      return created(ctx, user.id, { user: userView(ctx.account, user, ctx.base) });
    },
  },
  {
    method: 'PUT', path: '/api/v2/users/:id', access: 'agent', scope: write, controller: 'users', action: 'update',
    handler: (ctx) => {
      const target = liveUser(ctx);
      const input = userBody(ctx);
      chargeUserUpdate(ctx, String(target.id));
      const before = userBefore(target);
      const user = unwrap(updateUser(ctx.account, target, input, actorOf(ctx)));
      recordWrite(ctx, 'user.update', user.id, before, rawMember(ctx, 'user'));
      return ok({ user: userView(ctx.account, user, ctx.base) });
    },
  },
  {
    method: 'DELETE', path: '/api/v2/users/:id', access: 'agent', scope: write, controller: 'users', action: 'destroy',
    handler: (ctx) => {
      const target = ctx.account.users.get(Number(ctx.params.id));
      if (!target || !target.active) return { status: 404 };
      if (ctx.body !== undefined && typeof ctx.body === 'object' && ctx.body !== null) {
        ctx.warnings.push(...Object.keys(ctx.body).flatMap((k) => {
          const inner = (ctx.body as Record<string, unknown>)[k];
          return inner && typeof inner === 'object' ? [...Object.keys(inner).map((i) => `${k}.${i}`), k] : [k];
        }));
      }
      const before = userBefore(target);
      const user = unwrap(softDeleteUser(ctx.account, target, actorOf(ctx)));
      recordWrite(ctx, 'user.delete', user.id, before, { id: user.id });
      return ok({ user: userView(ctx.account, user, ctx.base) });
    },
  },
];
