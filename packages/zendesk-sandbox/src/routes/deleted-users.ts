import { fail, problems } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { chargeEndpoint } from '../limits/account-gate.ts';
import { isoNow } from '../store/ids.ts';
import type { UserRecord } from '../store/user-record.ts';
import { deletedUserView } from '../views/user-view.ts';
import { idParam } from './helpers.ts';
import { listPage } from './paging.ts';

/** Listed and counted: every deleted user, permanently deleted ones scrubbed (OAS ListDeletedUsers). */
const isDeleted = (u: UserRecord) => !u.active;
/** Shown and purgeable: deleted but not yet permanently (OAS ShowDeletedUser). */
const isSoftDeleted = (u: UserRecord) => !u.active && !u.permanentlyDeleted;

function deletedUser(ctx: RequestContext): UserRecord {
  const user = ctx.account.users.get(idParam(ctx, 'id'));
  if (!user || !isSoftDeleted(user)) fail(problems.recordNotFound());
  return user;
}

/** Soft-deleted users and permanent (GDPR) deletion, API-NOTES §1.12. */
export const deletedUserRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/deleted_users', access: 'agent', scope: { access: 'read', resource: 'users' }, controller: 'deleted_users', action: 'index',
    handler: (ctx) => ok(listPage(ctx, 'deleted_users', ctx.account.users.ordered, (u) => u.id, isDeleted, (u) => deletedUserView(u, ctx.base))),
  },
  {
    method: 'GET', path: '/api/v2/deleted_users/count', access: 'agent', scope: { access: 'read', resource: 'users' }, controller: 'deleted_users', action: 'count',
    handler: (ctx) => ok({ count: { value: ctx.account.users.ordered.filter(isDeleted).length, refreshed_at: isoNow() } }),
  },
  {
    method: 'GET', path: '/api/v2/deleted_users/:id', access: 'agent', scope: { access: 'read', resource: 'users' }, controller: 'deleted_users', action: 'show',
    handler: (ctx) => ok({ deleted_user: deletedUserView(deletedUser(ctx), ctx.base) }),
  },
  {
    method: 'DELETE', path: '/api/v2/deleted_users/:id', access: 'admin', scope: { access: 'write', resource: 'users' }, controller: 'deleted_users', action: 'destroy',
    handler: (ctx) => {
      const user = deletedUser(ctx);
      const gate = chargeEndpoint(ctx.account, 'purge', 'purge', 700, 'zendesk-ratelimit-permanent-user-deletion', 'Number of allowed permanent user deletions per 10 minutes exceeded');
      Object.assign(ctx.headers, gate.headers);
      if (gate.refusal) fail({ status: 429, body: gate.refusal.body, headers: { ...gate.refusal.headers, ...gate.headers } });
      user.permanentlyDeleted = true;
      user.email = null;
      user.phone = null;
      user.name = 'Permanently Deleted User';
      user.externalId = null;
      user.identities = [];
      user.updatedAt = isoNow();
      ctx.account.users.touch(user);
      return ok({ deleted_user: deletedUserView(user, ctx.base) });
    },
  },
];
