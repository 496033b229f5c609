import { z } from 'zod';
import { fail, problems } from '../http/errors.ts';
import { noContent, ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { isoNow } from '../store/ids.ts';
import type { JobItem } from '../store/jobs.ts';
import type { MembershipRecord } from '../store/memberships.ts';
import { createMembership, deleteMembership } from '../store/membership-write.ts';
import { wrapped } from '../store/user-input.ts';
import { views } from '../views/resource-views.ts';
import { idParam, listParam, liveUser } from './helpers.ts';
import { capItems, problemText, submitJob } from './job-submit.ts';
import { listPage } from './paging.ts';
import { rawMember, recordWrite, userBefore } from './record-write.ts';

const read = { access: 'read' } as const;
const write = { access: 'write' } as const;
const id = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const membershipSchema = z.looseObject({ user_id: id, group_id: id });

function membershipBody(ctx: RequestContext, userId?: number) {
  const w = wrapped(ctx.body, 'group_membership');
  if (!w.ok) fail(w.problem);
  const raw = userId === undefined ? w.value : { user_id: userId, ...(w.value as object) };
  const parsed = membershipSchema.safeParse(raw);
  if (!parsed.success) fail(problems.recordInvalid({ [String(parsed.error.issues[0]?.path[0] ?? 'base')]: [{ description: 'cannot be blank', error: 'BlankValue' }] }));
  return parsed.data;
}

function create(ctx: RequestContext, userId?: number) {
  const input = membershipBody(ctx, userId);
  const before = userBefore(ctx.account.users.get(input.user_id));
  const r = createMembership(ctx.account, input.user_id, input.group_id);
  if (!r.ok) fail(r.problem);
  recordWrite(ctx, 'membership.create', input.user_id, before, rawMember(ctx, 'group_membership'), r.membership.id);
  return ok({ group_membership: views.membership(r.membership, ctx.base) }, 201, { location: `${ctx.base}/api/v2/group_memberships/${r.membership.id}.json` });
}

function remove(ctx: RequestContext, m: MembershipRecord | undefined) {
  if (!m) fail(problems.recordNotFound());
  const before = userBefore(ctx.account.users.get(m.userId));
  const problem = deleteMembership(ctx.account, m);
  if (problem) fail(problem);
  recordWrite(ctx, 'membership.delete', m.userId, before, { id: m.id, user_id: m.userId, group_id: m.groupId });
  return noContent();
}

const list = (ctx: RequestContext, keep: (m: MembershipRecord) => boolean) =>
  ok(listPage(ctx, 'group_memberships', ctx.account.memberships.ordered, (m) => m.id, keep, (m) => views.membership(m, ctx.base)));

export const membershipRoutes: RouteDef[] = [
  { method: 'GET', path: '/api/v2/group_memberships', access: 'agent', scope: read, controller: 'group_memberships', action: 'index', handler: (ctx) => list(ctx, () => true) },
  { method: 'GET', path: '/api/v2/group_memberships/assignable', access: 'agent', scope: read, controller: 'group_memberships', action: 'assignable', handler: (ctx) => list(ctx, () => true) },
  {
    method: 'GET', path: '/api/v2/group_memberships/:id', access: 'agent', scope: read, controller: 'group_memberships', action: 'show',
    handler: (ctx) => {
      const m = ctx.account.memberships.get(idParam(ctx, 'id'));
      if (!m) fail(problems.recordNotFound());
      return ok({ group_membership: views.membership(m, ctx.base) });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/:id/group_memberships', access: 'agent', scope: read, controller: 'group_memberships', action: 'index',
    handler: (ctx) => {
      const user = liveUser(ctx);
      return list(ctx, (m) => m.userId === user.id);
    },
  },
  {
    method: 'GET', path: '/api/v2/groups/:id/memberships', access: 'agent', scope: read, controller: 'group_memberships', action: 'index',
    handler: (ctx) => {
      const groupId = idParam(ctx, 'id');
      if (!ctx.account.groups.get(groupId)) fail(problems.recordNotFound());
      return list(ctx, (m) => m.groupId === groupId);
    },
  },
  { method: 'POST', path: '/api/v2/group_memberships', access: 'admin', scope: write, controller: 'group_memberships', action: 'create', handler: (ctx) => create(ctx) },
  { method: 'POST', path: '/api/v2/users/:id/group_memberships', access: 'admin', scope: write, controller: 'group_memberships', action: 'create', handler: (ctx) => create(ctx, liveUser(ctx).id) },
  {
    method: 'POST', path: '/api/v2/group_memberships/create_many', access: 'admin', scope: write, controller: 'group_memberships', action: 'create_many',
    handler: (ctx) => {
      const w = wrapped(ctx.body, 'group_memberships');
      if (!w.ok) fail(w.problem);
      if (!Array.isArray(w.value)) fail(problems.badRequest('group_memberships must be an array'));
      capItems(w.value, 'group memberships', 'created');
      const raws: unknown[] = w.value;
      const inputs = raws.map((raw) => membershipSchema.safeParse(raw));
      const items: JobItem[] = inputs.map((p, i) => () => {
        if (!p.success) return { id: i, index: i, error: 'GroupMembershipCreateError', details: 'user_id and group_id are required', status: 'Failed' };
        const before = userBefore(ctx.account.users.get(p.data.user_id));
        const r = createMembership(ctx.account, p.data.user_id, p.data.group_id);
        if (r.ok) recordWrite(ctx, 'membership.create', p.data.user_id, before, raws[i], r.membership.id);
        return r.ok ? { id: r.membership.id, status: 'Created' } : { id: i, index: i, error: 'GroupMembershipCreateError', details: problemText(r.problem), status: 'Failed' };
      });
      return submitJob(ctx, 'bulk_create_group_memberships', 'Creating group membership', items, false);
    },
  },
  {
    method: 'DELETE', path: '/api/v2/group_memberships/destroy_many', access: 'admin', scope: write, controller: 'group_memberships', action: 'destroy_many',
    handler: (ctx) => {
      const ids = listParam(ctx, 'ids', 'group memberships');
      if (ids.length === 0) fail(problems.badRequest('ids is required'));
      const items: JobItem[] = ids.map((raw, i) => () => {
        const m = ctx.account.memberships.get(Number(raw));
        if (!m) return { id: Number(raw), index: i, action: 'delete', success: false, status: 'Failed', error: 'RecordNotFound', details: 'Not found' };
        const before = userBefore(ctx.account.users.get(m.userId));
        const problem = deleteMembership(ctx.account, m);
        if (!problem) recordWrite(ctx, 'membership.delete', m.userId, before, { id: m.id, user_id: m.userId, group_id: m.groupId });
        return problem ? { id: m.id, index: i, action: 'delete', success: false, status: 'Failed', error: 'GroupMembershipDeleteError', details: problemText(problem) } : { id: m.id, action: 'delete', status: 'Deleted', success: true };
      });
      return submitJob(ctx, 'bulk_delete_group_memberships', 'Deleting group membership', items, false);
    },
  },
  { method: 'DELETE', path: '/api/v2/group_memberships/:id', access: 'admin', scope: write, controller: 'group_memberships', action: 'destroy', handler: (ctx) => remove(ctx, ctx.account.memberships.get(idParam(ctx, 'id'))) },
  {
    method: 'DELETE', path: '/api/v2/users/:id/group_memberships/:mid', access: 'admin', scope: write, controller: 'group_memberships', action: 'destroy',
    handler: (ctx) => {
      const m = ctx.account.memberships.get(idParam(ctx, 'mid'));
      return remove(ctx, m && m.userId === idParam(ctx, 'id') ? m : undefined);
    },
  },
  {
    method: 'PUT', path: '/api/v2/users/:id/group_memberships/:mid/make_default', access: 'admin', scope: write, controller: 'group_memberships', action: 'make_default',
    handler: (ctx) => {
      const user = liveUser(ctx);
      const m = ctx.account.memberships.get(idParam(ctx, 'mid'));
      if (!m || m.userId !== user.id) fail(problems.recordNotFound());
      ctx.account.memberships.makeDefault(m, isoNow());
      return ok({ group_memberships: ctx.account.memberships.forUser(user.id).map((x) => views.membership(x, ctx.base)) });
    },
  },
];
