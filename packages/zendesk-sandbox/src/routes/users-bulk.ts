import { fail, problems } from '../http/errors.ts';
import type { RequestContext, RouteDef } from '../http/route.ts';
import type { JobItem } from '../store/jobs.ts';
import { parseUserInput, wrapped, type UserInput } from '../store/user-input.ts';
import type { UserRecord } from '../store/user-record.ts';
import { createUser, findMatch, softDeleteUser, updateUser } from '../store/user-write.ts';
import { actorOf, listParam } from './helpers.ts';
import { rawMember, recordWrite, userBefore } from './record-write.ts';
import { capItems, problemText, submitJob } from './job-submit.ts';

const write = { access: 'write', resource: 'users' } as const;

/** Parses `body.users[]` up front: a wrong type in any item is a 400 before a job is queued. */
function usersArray(ctx: RequestContext, action: string, verb: string): UserInput[] {
  const w = wrapped(ctx.body, 'users');
  if (!w.ok) fail(w.problem);
  if (!Array.isArray(w.value)) fail(problems.badRequest('users must be an array'));
  capItems(w.value, 'users', verb);
  const allowId = action === 'update_many';
  return w.value.map((raw: unknown, i) => {
    if (raw && typeof raw === 'object' && 'id' in raw && !Number.isSafeInteger((raw as { id: unknown }).id)) {
      fail(problems.invalidAttribute(`You passed an invalid value for the users.${i}.id attribute. Invalid parameter: users.${i}.id must be an integer from api/v2/users/${action}`));
    }
    const parsed = parseUserInput(raw, `users.${i}`, allowId);
    if (!parsed.ok) fail(parsed.problem);
    ctx.warnings.push(...parsed.unknownKeys);
    return parsed.input;
  });
}

const failed = (index: number, error: string, details: string, extra: Record<string, unknown> = {}) => ({
  id: index,
  index,
  ...extra,
  error,
  details,
  status: 'Failed',
});

function lookup(ctx: RequestContext, key: string): UserRecord | undefined {
  const n = Number(key);
  const byId = Number.isSafeInteger(n) ? ctx.account.users.get(n) : undefined;
  return byId?.active ? byId : undefined;
}

export const userBulkRoutes: RouteDef[] = [
  {
    method: 'POST', path: '/api/v2/users/create_many', access: 'agent', scope: write, controller: 'users', action: 'create_many',
    handler: (ctx) => {
      const inputs = usersArray(ctx, 'create_many', 'created');
      const actor = actorOf(ctx);
      const raw = rawMember(ctx, 'users') as unknown[];
      const items: JobItem[] = inputs.map((input, i) => () => {
        const r = createUser(ctx.account, input, actor);
        if (r.ok) recordWrite(ctx, 'user.create', r.user.id, null, raw[i]);
        return r.ok ? { id: r.user.id, status: 'Created' } : failed(i, 'UserCreateError', problemText(r.problem));
      });
      return submitJob(ctx, 'bulk_create_users', 'Creating User', items, true);
    },
  },
  {
    method: 'POST', path: '/api/v2/users/create_or_update_many', access: 'agent', scope: write, controller: 'users', action: 'create_or_update_many',
    handler: (ctx) => {
      const inputs = usersArray(ctx, 'create_or_update_many', 'created or updated');
      const actor = actorOf(ctx);
      const raw = rawMember(ctx, 'users') as unknown[];
      const items: JobItem[] = inputs.map((input, i) => () => {
        const match = findMatch(ctx.account, input);
        const before = userBefore(match);
        const r = match ? updateUser(ctx.account, match, input, actor) : createUser(ctx.account, input, actor);
        if (!r.ok) return failed(i, 'UserUpdateError', problemText(r.problem));
        recordWrite(ctx, match ? 'user.update' : 'user.create', r.user.id, before, raw[i]);
        return { id: r.user.id, status: match ? 'Updated' : 'Created', email: r.user.email };
      });
      return submitJob(ctx, 'bulk_create_or_update_users', 'Updating user', items, true);
    },
  },
  {
    method: 'PUT', path: '/api/v2/users/update_many', access: 'agent', scope: write, controller: 'users', action: 'update_many',
    handler: (ctx) => {
      const actor = actorOf(ctx);
      const ids = listParam(ctx, 'ids', 'users');
      const externalIds = listParam(ctx, 'external_ids', 'users');
      let targets: Array<{ key: string; find: () => UserRecord | undefined; input: UserInput; raw: unknown }>;
      if (ids.length > 0 || externalIds.length > 0) {
        const w = wrapped(ctx.body, 'user');
        if (!w.ok) fail(w.problem);
        const parsed = parseUserInput(w.value, 'user');
        if (!parsed.ok) fail(parsed.problem);
        ctx.warnings.push(...parsed.unknownKeys);
        targets = [
          ...ids.map((id) => ({ key: id, find: () => lookup(ctx, id), input: parsed.input, raw: w.value })),
          ...externalIds.map((e) => ({ key: e, find: () => ctx.account.users.findByExternalId(e), input: parsed.input, raw: w.value })),
        ];
      } else {
        const raw = rawMember(ctx, 'users') as unknown[];
        targets = usersArray(ctx, 'update_many', 'updated').map((input, i) => {
          const id = (input as { id?: number }).id;
          const key = id !== undefined ? String(id) : (input.external_id ?? '');
          const find = id !== undefined ? () => lookup(ctx, String(id)) : () => (input.external_id ? ctx.account.users.findByExternalId(input.external_id) : undefined);
          return { key, find, input: id !== undefined ? input : { ...input, external_id: undefined } as UserInput, raw: raw[i] };
        });
      }
      capItems(targets, 'users', 'updated');
      const items: JobItem[] = targets.map((t, i) => () => {
        const user = t.find();
        if (!user) return failed(i, 'UserNotFound', `User ${t.key} not found`, { action: 'update', success: false });
        const before = userBefore(user);
        const r = updateUser(ctx.account, user, t.input, actor);
        if (!r.ok) return failed(i, 'UserUpdateError', problemText(r.problem), { action: 'update', success: false });
        recordWrite(ctx, 'user.update', user.id, before, t.raw);
        return { id: user.id, action: 'update', status: 'Updated', success: true };
      });
      return submitJob(ctx, 'bulk_update_users', 'Updating user', items, true);
    },
  },
  {
    method: 'DELETE', path: '/api/v2/users/destroy_many', access: 'admin', scope: write, controller: 'users', action: 'destroy_many',
    handler: (ctx) => {
      const actor = actorOf(ctx);
      const ids = listParam(ctx, 'ids', 'users');
      const externalIds = listParam(ctx, 'external_ids', 'users');
      if (ids.length + externalIds.length === 0) fail(problems.badRequest('ids or external_ids is required'));
      const targets = [
        ...ids.map((id) => ({ key: id, find: () => lookup(ctx, id) })),
        ...externalIds.map((e) => ({ key: e, find: () => ctx.account.users.findByExternalId(e) })),
      ];
      capItems(targets, 'users', 'deleted');
      const items: JobItem[] = targets.map((t, i) => () => {
        const user = t.find();
        if (!user) return failed(i, 'UserNotFound', `User ${t.key} not found`, { action: 'delete', success: false });
        const before = userBefore(user);
        const r = softDeleteUser(ctx.account, user, actor);
        if (!r.ok) return failed(i, 'UserDeleteError', problemText(r.problem), { action: 'delete', success: false });
        recordWrite(ctx, 'user.delete', user.id, before, { id: user.id });
        return { id: user.id, action: 'delete', status: 'Deleted', success: true };
      });
      return submitJob(ctx, 'bulk_delete_users', 'Deleting user', items, false);
    },
  },
];
