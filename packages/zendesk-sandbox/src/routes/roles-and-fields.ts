import { fail, problems } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { views } from '../views/resource-views.ts';
import { idParam } from './helpers.ts';

const read = { access: 'read' } as const;

/** Custom roles are an Enterprise feature (API-NOTES §3): other plans get 403. */
function requireCustomRoles(ctx: RequestContext): void {
  if (!ctx.account.plan.customRoles) fail(problems.forbidden());
}

function memberCount(ctx: RequestContext, roleId: number): number {
  let n = 0;
  for (const u of ctx.account.users.ordered) if (u.active && u.customRoleId === roleId) n += 1;
  return n;
}

export const roleAndFieldRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/custom_roles', access: 'agent', scope: read, controller: 'custom_roles', action: 'index',
    handler: (ctx) => {
      requireCustomRoles(ctx);
      return ok({ custom_roles: ctx.account.roles.ordered.map((r) => views.role(r, memberCount(ctx, r.id))) });
    },
  },
  {
    method: 'GET', path: '/api/v2/custom_roles/:id', access: 'agent', scope: read, controller: 'custom_roles', action: 'show',
    handler: (ctx) => {
      requireCustomRoles(ctx);
      const role = ctx.account.roles.get(idParam(ctx, 'id'));
      if (!role) fail(problems.recordNotFound());
      return ok({ custom_role: views.role(role, memberCount(ctx, role.id)) });
    },
  },
];
