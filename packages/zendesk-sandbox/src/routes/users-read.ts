import { fail, problems } from '../http/errors.ts';
import { ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { isoNow } from '../store/ids.ts';
import type { UserRecord } from '../store/user-record.ts';
import { anonymousUserView, userView } from '../views/user-view.ts';
import { views } from '../views/resource-views.ts';
import { idParam, listParam, numericIds } from './helpers.ts';
import { userSideloads } from './sideloads.ts';
import { listPage, offsetSlice, readPaging } from './paging.ts';

const read = { access: 'read', resource: 'users' } as const;

/** Filters of GET /users: `role`, `role[]`, `permission_set`, `external_id` (API-NOTES §1.1). */
function userFilter(ctx: RequestContext): (u: UserRecord) => boolean {
  const roles = [...ctx.query.getAll('role'), ...ctx.query.getAll('role[]')];
  const permissionSet = ctx.query.get('permission_set');
  const externalId = ctx.query.get('external_id')?.toLowerCase();
  return (u) =>
    u.active &&
    (roles.length === 0 || roles.includes(u.role)) &&
    (permissionSet === null || String(u.customRoleId) === permissionSet) &&
    (externalId === undefined || u.externalId?.toLowerCase() === externalId);
}

/** `query=` in Zendesk search syntax, reduced to what a connector uses: `field:value` and free text. */
export function searchFilter(query: string): (u: UserRecord) => boolean {
  const terms = query.split(/\s+/).filter(Boolean).map((t) => t.replace(/^"|"$/g, '').toLowerCase());
  return (u) =>
    u.active &&
    terms.every((term) => {
      const [field, ...rest] = term.split(':');
      const value = rest.join(':').replace(/^"|"$/g, '');
      if (rest.length === 0) {
        return [u.name, u.email, u.notes, u.phone].some((v) => v?.toLowerCase().includes(term)) || u.identities.some((i) => i.value.toLowerCase().includes(term));
      }
      switch (field) {
        case 'type':
          return value === 'user';
        case 'email':
          return u.identities.some((i) => i.type === 'email' && i.value.toLowerCase() === value);
        case 'name':
          return u.name.toLowerCase().includes(value);
        case 'role':
          return u.role === value;
        case 'external_id':
          return u.externalId?.toLowerCase() === value;
        case 'suspended':
          return String(u.suspended) === value;
        default:
          return false;
      }
    });
}

export const userReadRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/users', access: 'agent', scope: read, controller: 'users', action: 'index',
    handler: (ctx) => {
      const listed: UserRecord[] = [];
      const body = listPage(ctx, 'users', ctx.account.users.ordered, (u) => u.id, userFilter(ctx), (u) => {
        listed.push(u);
        return userView(ctx.account, u, ctx.base);
      });
      return ok({ ...body, ...userSideloads(ctx, listed) });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/count', access: 'agent', scope: read, controller: 'users', action: 'count',
    handler: (ctx) => {
      const keep = userFilter(ctx);
      const value = ctx.account.users.ordered.reduce((n, u) => (keep(u) ? n + 1 : n), 0);
      return ok({ count: { value, refreshed_at: isoNow() } });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/me', access: 'anonymous', scope: read, controller: 'users', action: 'me',
    handler: (ctx) => {
      if (ctx.caller.kind === 'anonymous') return ok({ user: anonymousUserView() });
      return ok({ user: { ...userView(ctx.account, ctx.caller.user, ctx.base), authenticity_token: 'sandbox-authenticity-token' } });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/show_many', access: 'agent', scope: read, controller: 'users', action: 'show_many',
    handler: (ctx) => {
      const includeDeleted = ctx.query.get('include_deleted') === 'true';
      const ids = numericIds(listParam(ctx, 'ids', 'ids'));
      const externalIds = listParam(ctx, 'external_ids', 'external ids').map((e) => e.toLowerCase());
      const wantedExt = new Set(externalIds);
      const found = new Map<number, UserRecord>();
      for (const id of ids) {
        const u = ctx.account.users.get(id);
        if (u && !u.permanentlyDeleted && (u.active || includeDeleted)) found.set(u.id, u);
      }
      if (wantedExt.size > 0) {
        for (const u of ctx.account.users.ordered) {
          if (u.externalId !== null && wantedExt.has(u.externalId.toLowerCase()) && (u.active || includeDeleted)) found.set(u.id, u);
        }
      }
      const users = [...found.values()].sort((a, b) => a.id - b.id);
      return ok({ users: users.map((u) => userView(ctx.account, u, ctx.base)), next_page: null, previous_page: null, count: users.length, ...userSideloads(ctx, users) });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/search', access: 'agent', scope: read, controller: 'users', action: 'search',
    handler: (ctx) => {
      const externalId = ctx.query.get('external_id');
      const query = ctx.query.get('query');
      if (externalId === null && query === null) fail(problems.badRequest('Provide query or external_id'));
      const keep = externalId !== null ? searchFilter(`external_id:${externalId}`) : searchFilter(query ?? '');
      const paging = readPaging(ctx.query);
      if (paging.mode === 'cursor') fail(problems.invalidPagination('Search users supports offset pagination only'));
      const slice = offsetSlice(ctx, ctx.account.users.ordered.filter(keep), paging);
      return ok({ users: slice.items.map((u) => userView(ctx.account, u, ctx.base)), next_page: slice.next_page, previous_page: slice.previous_page, count: slice.count });
    },
  },
  {
    method: 'GET', path: '/api/v2/users/:id', access: 'agent', scope: read, controller: 'users', action: 'show',
    handler: (ctx) => {
      const user = ctx.account.users.get(idParam(ctx, 'id'));
      if (!user || user.permanentlyDeleted) fail(problems.recordNotFound());
      return ok({ user: userView(ctx.account, user, ctx.base), ...userSideloads(ctx, [user]) });
    },
  },
  {
    method: 'GET', path: '/api/v2/organizations', access: 'agent', scope: { access: 'read', resource: 'organizations' }, controller: 'organizations', action: 'index',
    handler: (ctx) => ok(listPage(ctx, 'organizations', ctx.account.organizations.ordered, (o) => o.id, () => true, (o) => views.organization(o, ctx.base))),
  },
];
