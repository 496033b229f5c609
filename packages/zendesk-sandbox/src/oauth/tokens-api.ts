import { fail, problems } from '../http/errors.ts';
import { noContent, ok, type RouteDef } from '../http/route.ts';
import { views } from '../views/resource-views.ts';
import { idParam } from '../routes/helpers.ts';

/** `/api/v2/oauth/tokens/current` and revocation (API-NOTES §7.2). */
export const oauthTokenRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/oauth/tokens/current', access: 'end-user', controller: 'oauth/tokens', action: 'current',
    handler: (ctx) => {
      if (ctx.caller.kind !== 'user' || ctx.caller.via !== 'oauth') fail(problems.recordNotFound());
      return ok({ token: views.oauthToken(ctx.caller.token, ctx.base) });
    },
  },
  {
    method: 'GET', path: '/api/v2/oauth/tokens', access: 'admin', scope: { access: 'read' }, controller: 'oauth/tokens', action: 'index',
    handler: (ctx) => ok({ tokens: [...ctx.account.oauth.tokensById.values()].map((t) => views.oauthToken(t, ctx.base)) }),
  },
  {
    method: 'DELETE', path: '/api/v2/oauth/tokens/current', access: 'end-user', controller: 'oauth/tokens', action: 'destroy',
    handler: (ctx) => {
      if (ctx.caller.kind !== 'user' || ctx.caller.via !== 'oauth') fail(problems.recordNotFound());
      ctx.account.oauth.revoke(ctx.caller.token);
      return noContent();
    },
  },
  {
    method: 'DELETE', path: '/api/v2/oauth/tokens/:id', access: 'admin', scope: { access: 'write' }, controller: 'oauth/tokens', action: 'destroy',
    handler: (ctx) => {
      const t = ctx.account.oauth.tokensById.get(idParam(ctx, 'id'));
      if (!t) fail(problems.recordNotFound());
      ctx.account.oauth.revoke(t);
      return noContent();
    },
  },
];
