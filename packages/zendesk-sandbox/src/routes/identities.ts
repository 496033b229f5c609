import { fail, problems } from '../http/errors.ts';
import { ok, type RouteDef } from '../http/route.ts';
import { isoNow } from '../store/ids.ts';
import { views } from '../views/resource-views.ts';
import { actorOf, idParam, liveUser } from './helpers.ts';

/** Identities need broad `read`/`write`: `users:*` scopes are not accepted here (API-NOTES §1.17). */
const read = { access: 'read' } as const;
const write = { access: 'write' } as const;

export const identityRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/users/:id/identities', access: 'agent', scope: read, controller: 'user_identities', action: 'index',
    handler: (ctx) => {
      const user = liveUser(ctx);
      const types = ctx.query.getAll('type[]');
      const list = user.identities.filter((i) => types.length === 0 || types.includes(i.type));
      return ok({ identities: list.map((i) => views.identity(i, ctx.base)), next_page: null, previous_page: null, count: list.length });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/:id/identities/:iid', access: 'agent', scope: read, controller: 'user_identities', action: 'show',
    handler: (ctx) => {
      const identity = liveUser(ctx).identities.find((i) => i.id === idParam(ctx, 'iid'));
      if (!identity) fail(problems.recordNotFound());
      return ok({ identity: views.identity(identity, ctx.base) });
    },
  },
  {
    method: 'PUT', path: '/api/v2/users/:id/identities/:iid/make_primary', access: 'agent', scope: write, controller: 'user_identities', action: 'make_primary',
    handler: (ctx) => {
      const user = liveUser(ctx);
      const actor = actorOf(ctx);
      if (!actor.isAdmin && user.role !== 'end-user' && user !== actor.user) fail(problems.forbidden());
      const identity = user.identities.find((i) => i.id === idParam(ctx, 'iid'));
      if (!identity) fail(problems.recordNotFound());
      const now = isoNow();
      for (const i of user.identities) {
        if (i.type === identity.type && i.primary !== (i === identity)) {
          i.primary = i === identity;
          i.updatedAt = now;
        }
      }
      if (identity.type === 'email') user.email = identity.value;
      user.updatedAt = now;
      ctx.account.users.touch(user);
      return ok({ identities: user.identities.map((i) => views.identity(i, ctx.base)) });
    },
  },
];
