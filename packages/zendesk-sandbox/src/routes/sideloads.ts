import type { RequestContext } from '../http/route.ts';
import type { UserRecord } from '../store/user-record.ts';
import { views } from '../views/resource-views.ts';

/**
 * `include=` sideloads on user reads (API-NOTES §1.1): `identities`, `organizations`, `groups`,
 * `roles` (custom roles of the listed users). Unknown names are ignored, as Zendesk does.
 */
export function userSideloads(ctx: RequestContext, users: readonly UserRecord[]): Record<string, unknown> {
  const wanted = new Set((ctx.query.get('include') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  if (wanted.size === 0) return {};
  const out: Record<string, unknown> = {};
  const a = ctx.account;
  if (wanted.has('identities')) out.identities = users.flatMap((u) => u.identities.map((i) => views.identity(i, ctx.base)));
  if (wanted.has('organizations')) {
    const ids = new Set(users.map((u) => u.organizationId).filter((id): id is number => id !== null));
    out.organizations = [...ids].flatMap((id) => {
      const org = a.organizations.get(id);
      return org ? [views.organization(org, ctx.base)] : [];
    });
  }
  if (wanted.has('groups')) {
    const ids = new Set(users.flatMap((u) => a.memberships.forUser(u.id).map((m) => m.groupId)));
    out.groups = [...ids].flatMap((id) => {
      const g = a.groups.get(id);
      return g ? [views.group(g, ctx.base)] : [];
    });
  }
  if (wanted.has('roles')) {
    const ids = new Set(users.map((u) => u.customRoleId).filter((id): id is number => id !== null));
    out.roles = [...ids].flatMap((id) => {
      const r = a.roles.get(id);
      return r ? [views.role(r, 0)] : [];
    });
  }
  return out;
}
