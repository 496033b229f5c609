import { z } from 'zod';
import { fail, problems } from '../http/errors.ts';
import { noContent, ok, type RequestContext, type RouteDef } from '../http/route.ts';
import type { GroupRecord } from '../store/groups.ts';
import { isoNow } from '../store/ids.ts';
import { ensureDefaultMembership } from '../store/team.ts';
import { wrapped } from '../store/user-input.ts';
import { views } from '../views/resource-views.ts';
import { idParam, liveUser } from './helpers.ts';
import { listPage } from './paging.ts';
import { rawMember, recordWrite } from './record-write.ts';

const read = { access: 'read' } as const;
const write = { access: 'write' } as const;

const groupInputSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().nullable().optional(),
  is_public: z.boolean().optional(),
});
const KNOWN = new Set(Object.keys(groupInputSchema.shape));

function groupBody(ctx: RequestContext) {
  const w = wrapped(ctx.body, 'group');
  if (!w.ok) fail(w.problem);
  const parsed = groupInputSchema.safeParse(w.value);
  if (!parsed.success) fail(problems.invalidAttribute(`You passed an invalid value for the group.${parsed.error.issues[0]?.path.join('.') ?? ''} attribute.`));
  ctx.warnings.push(...Object.keys(parsed.data).filter((k) => !KNOWN.has(k)).map((k) => `group.${k}`));
  return parsed.data;
}

function liveGroup(ctx: RequestContext, name = 'id'): GroupRecord {
  const group = ctx.account.groups.get(idParam(ctx, name));
  if (!group) fail(problems.recordNotFound());
  return group;
}

export const groupRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/groups', access: 'agent', scope: read, controller: 'groups', action: 'index',
    handler: (ctx) => ok(listPage(ctx, 'groups', ctx.account.groups.ordered, (g) => g.id, (g) => !g.deleted, (g) => views.group(g, ctx.base))),
  },
  {
    method: 'GET', path: '/api/v2/groups/assignable', access: 'agent', scope: read, controller: 'groups', action: 'assignable',
    handler: (ctx) => ok(listPage(ctx, 'groups', ctx.account.groups.ordered, (g) => g.id, (g) => !g.deleted, (g) => views.group(g, ctx.base))),
  },
  {
    method: 'GET', path: '/api/v2/groups/count', access: 'agent', scope: read, controller: 'groups', action: 'count',
    handler: (ctx) => ok({ count: { value: ctx.account.groups.live().length, refreshed_at: isoNow() } }),
  },
  {
    method: 'GET', path: '/api/v2/groups/:id', access: 'agent', scope: read, controller: 'groups', action: 'show',
    handler: (ctx) => ok({ group: views.group(liveGroup(ctx), ctx.base) }),
  },
  {
    method: 'GET', path: '/api/v2/users/:id/groups', access: 'agent', scope: read, controller: 'groups', action: 'index',
    handler: (ctx) => {
      const user = liveUser(ctx);
      const ids = new Set(ctx.account.memberships.forUser(user.id).map((m) => m.groupId));
      return ok(listPage(ctx, 'groups', ctx.account.groups.ordered, (g) => g.id, (g) => !g.deleted && ids.has(g.id), (g) => views.group(g, ctx.base)));
    },
  },
  {
    method: 'POST', path: '/api/v2/groups', access: 'admin', scope: write, controller: 'groups', action: 'create',
    handler: (ctx) => {
      const input = groupBody(ctx);
      if (!input.name?.trim()) fail(problems.recordInvalid({ name: [{ description: 'Name: cannot be blank', error: 'BlankValue' }] }));
      const now = isoNow();
      const group: GroupRecord = { id: ctx.account.ids.take(), name: input.name.trim(), description: input.description ?? '', default: false, deleted: false, isPublic: input.is_public ?? true, createdAt: now, updatedAt: now };
      ctx.account.groups.insert(group);
      recordWrite(ctx, 'group.create', null, null, rawMember(ctx, 'group'));
      return ok({ group: views.group(group, ctx.base) }, 201, { location: `${ctx.base}/api/v2/groups/${group.id}.json` });
    },
  },
  {
    method: 'PUT', path: '/api/v2/groups/:id', access: 'admin', scope: write, controller: 'groups', action: 'update',
    handler: (ctx) => {
      const group = liveGroup(ctx);
      const input = groupBody(ctx);
      if (input.name !== undefined && !input.name.trim()) fail(problems.recordInvalid({ name: [{ description: 'Name: cannot be blank', error: 'BlankValue' }] }));
      if (input.is_public === false && group.isPublic) fail(problems.recordInvalid({ is_public: [{ description: 'A public group cannot be made private', error: 'InvalidValue' }] }));
      if (input.name !== undefined) group.name = input.name.trim();
      if (input.description !== undefined) group.description = input.description ?? '';
      if (input.is_public !== undefined) group.isPublic = input.is_public;
      group.updatedAt = isoNow();
      ctx.account.groups.touch(group);
      recordWrite(ctx, 'group.update', null, null, rawMember(ctx, 'group'));
      return ok({ group: views.group(group, ctx.base) });
    },
  },
  {
    method: 'DELETE', path: '/api/v2/groups/:id', access: 'admin', scope: write, controller: 'groups', action: 'destroy',
    handler: (ctx) => {
      const group = liveGroup(ctx);
      if (group.default) fail(problems.recordInvalid({ base: [{ description: 'The default group cannot be deleted', error: 'InvalidValue' }] }));
      group.deleted = true;
      group.updatedAt = isoNow();
      ctx.account.groups.touch(group);
      const now = isoNow();
      for (const m of ctx.account.memberships.forGroup(group.id)) {
        ctx.account.memberships.remove(m);
        // Every agent keeps a group: one left with none goes back to the default group.
        const user = ctx.account.users.get(m.userId);
        if (user) ensureDefaultMembership(ctx.account, user, now);
      }
      recordWrite(ctx, 'group.delete', null, null, { id: group.id });
      return noContent();
    },
  },
];
