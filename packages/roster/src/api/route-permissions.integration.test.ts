/**
 * Walks every route of the OpenAPI document: each must be in the table below with the permission it
 * needs, anonymous callers get 401 and callers lacking a needed permission get 403, before any body
 * or query validation (every call sends a body and a query that would fail validation).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Permission, permissionNames } from '../admins/permissions.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../test/test-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';

type Need =
  /** No credentials needed (signing in, signing out, the OAuth redirect back from the target). */
  | 'public'
  /** Any signed-in admin: what concerns only themselves, or no data at all. */
  | 'signed-in'
  /** The directory users' portal: another realm, its own cookie and checks (api/portal-guard.ts); admin credentials open nothing there. */
  | 'portal'
  | { all: Permission[] }
  | { any: Permission[] };

const all = (...p: Permission[]): Need => ({ all: p });
const directory: Need = { any: ['manage_users', 'view_apps', 'assign_apps', 'import_users'] };

/** What each route needs; a route of the API missing here fails the walk. */
const expected: Record<string, Need> = {
  'POST /api/session': 'public',
  'GET /api/session': 'signed-in',
  'DELETE /api/session': 'public',
  'POST /api/session/password': 'signed-in',
  'GET /api/permissions': 'signed-in',
  'GET /api/admins': all('manage_admins'),
  'POST /api/admins': all('manage_admins'),
  'GET /api/admins/{id}': all('manage_admins'),
  'PATCH /api/admins/{id}': all('manage_admins'),
  'DELETE /api/admins/{id}': all('manage_admins'),
  'POST /api/admins/{id}/password': all('manage_admins'),
  'POST /api/admins/{id}/transfer-ownership': all('manage_admins'),
  'GET /api/admins/{id}/tokens': all('manage_admins'),
  'DELETE /api/admins/{id}/tokens/{tokenId}': all('manage_admins'),
  'GET /api/tokens': 'signed-in',
  'POST /api/tokens': 'signed-in',
  'DELETE /api/tokens/{id}': 'signed-in',
  'GET /api/audit': all('view_logs'),
  'GET /api/audit/export': all('view_logs'),
  'GET /api/users': directory,
  'POST /api/users': all('manage_users'),
  'GET /api/users/{id}': directory,
  'PATCH /api/users/{id}': all('manage_users'),
  'DELETE /api/users/{id}': all('manage_users'),
  'POST /api/users/{id}/activate': all('manage_users'),
  'POST /api/users/{id}/deactivate': all('manage_users'),
  'GET /api/attributes': directory,
  'POST /api/attributes': all('manage_users'),
  'PATCH /api/attributes/{id}': all('manage_users'),
  'DELETE /api/attributes/{id}': all('manage_users'),
  'POST /api/users/import': all('import_users'),
  'POST /api/groups/memberships/import': all('import_users'),
  'POST /api/users/bulk': all('manage_users'),
  'GET /api/groups': directory,
  'POST /api/groups': all('manage_users'),
  'GET /api/groups/{id}': directory,
  'PATCH /api/groups/{id}': all('manage_users'),
  'DELETE /api/groups/{id}': all('manage_users'),
  'GET /api/groups/{id}/members': directory,
  'POST /api/groups/{id}/members': all('manage_users'),
  'POST /api/groups/{id}/members/bulk': all('manage_users'),
  'DELETE /api/groups/{id}/members/{memberType}/{memberId}': all('manage_users'),
  'GET /api/gallery': all('view_apps'),
  'GET /api/apps': all('view_apps'),
  'POST /api/apps': all('manage_provisioning'),
  'GET /api/apps/{id}': all('view_apps'),
  'PATCH /api/apps/{id}': all('manage_provisioning'),
  'DELETE /api/apps/{id}': all('manage_provisioning'),
  'GET /api/apps/{id}/assignments': all('view_apps'),
  'POST /api/apps/{id}/assignments': all('assign_apps'),
  'POST /api/apps/{id}/assignments/bulk': all('assign_apps'),
  'PATCH /api/apps/{id}/assignments/{assignmentId}': all('assign_apps'),
  'DELETE /api/apps/{id}/assignments/{assignmentId}': all('assign_apps'),
  'GET /api/apps/{id}/provisioning': all('view_apps'),
  'PATCH /api/apps/{id}/provisioning': all('manage_provisioning'),
  'PUT /api/apps/{id}/provisioning/connection': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/test': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/test-values': all('manage_provisioning'),
  'GET /api/users/{id}/applications': all('view_apps'),
  'GET /api/apps/{id}/provisioning/roles': all('view_apps'),
  'GET /api/apps/{id}/provisioning/fields': all('view_apps'),
  'POST /api/apps/{id}/provisioning/mapping-preview': all('view_apps'),
  'POST /api/apps/{id}/provisioning/enable': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/disable': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/pause': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/resume': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/cycles': all('manage_provisioning'),
  'GET /api/apps/{id}/provisioning/activity': all('view_logs'),
  'GET /api/apps/{id}/provisioning/cycles': all('view_logs'),
  'POST /api/apps/{id}/provisioning/oauth/authorize': all('manage_provisioning'),
  'GET /provision/oauth/callback': 'public',
  'GET /api/apps/{id}/provisioning/events': all('view_logs'),
  'GET /api/apps/{id}/provisioning/events/export': all('view_logs'),
  'GET /api/apps/{id}/provisioning/events/{eventId}': all('view_logs'),
  'GET /api/apps/{id}/provisioning/status': all('view_logs'),
  'GET /api/apps/{id}/provisioning/escrow': all('view_logs'),
  'POST /api/apps/{id}/provisioning/escrow/retry': all('manage_provisioning'),
  'GET /api/apps/{id}/provisioning/notifications': all('view_logs'),
  'POST /api/apps/{id}/provisioning/restart': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/import-sessions': all('import_users'),
  'GET /api/apps/{id}/provisioning/import-sessions': all('import_users'),
  'GET /api/apps/{id}/provisioning/import-sessions/{sessionId}': all('import_users'),
  'GET /api/apps/{id}/provisioning/import-sessions/{sessionId}/items': all('import_users'),
  'POST /api/apps/{id}/provisioning/import-sessions/{sessionId}/confirm': all('import_users'),
  'POST /api/apps/{id}/provisioning/import-sessions/{sessionId}/cancel': all('import_users'),
  'POST /api/apps/{id}/provisioning/scope-preview': all('view_apps'),
  'POST /api/apps/{id}/provisioning/on-demand': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/dry-runs': all('manage_provisioning'),
  'GET /api/apps/{id}/provisioning/plans': all('view_logs'),
  'GET /api/apps/{id}/provisioning/plans/{planId}': all('view_logs'),
  'GET /api/apps/{id}/provisioning/plans/{planId}/actions': all('view_logs'),
  'GET /api/apps/{id}/provisioning/plans/{planId}/export': all('view_logs'),
  'POST /api/apps/{id}/provisioning/plans/{planId}/approve': all('manage_provisioning'),
  'POST /api/apps/{id}/provisioning/plans/{planId}/discard': all('manage_provisioning'),
  'GET /api/apps/{id}/sso': all('view_apps'),
  'PATCH /api/apps/{id}/sso': all('manage_provisioning'),
  'GET /api/apps/{id}/sso/certificates': all('view_apps'),
  'POST /api/apps/{id}/sso/certificates/rotate': all('manage_provisioning'),
  'POST /api/apps/{id}/sso/certificates/activate-next': all('manage_provisioning'),
  'POST /api/apps/{id}/sso/test': all('view_apps'),
  // Roster's IdP endpoints: the directory user's portal session, never an admin's credentials.
  'GET /sso/saml/{appId}/metadata': 'public',
  'GET /sso/saml/{appId}': 'public',
  'POST /sso/saml/{appId}': 'public',
  'GET /sso/apps/{appId}/start': 'public',
  'GET /sso/jwt/{appId}': 'public',
  'GET /sso/saml/{appId}/logout': 'public',
  'POST /sso/saml/{appId}/logout': 'public',
  'GET /api/users/{id}/sign-in': all('manage_users'),
  'POST /api/users/{id}/sign-in/invite': all('manage_users'),
  'POST /api/users/{id}/sign-in/reset': all('manage_users'),
  'DELETE /api/users/{id}/sign-in/sessions/{sessionId}': all('manage_users'),
  'DELETE /api/users/{id}/sign-in/sessions': all('manage_users'),
  'GET /api/settings/sign-in': all('manage_users'),
  'PUT /api/settings/sign-in': all('manage_users'),
  'GET /portal/api/session': 'portal',
  'POST /portal/api/session': 'portal',
  'DELETE /portal/api/session': 'portal',
  'POST /portal/api/session/totp': 'portal',
  'POST /portal/api/passkey-sign-in/options': 'portal',
  'POST /portal/api/passkey-sign-in': 'portal',
  'POST /portal/api/invitations/accept': 'portal',
  'POST /portal/api/password/forgot': 'portal',
  'POST /portal/api/password/reset': 'portal',
  'GET /portal/api/apps': 'portal',
  'GET /portal/api/passkeys': 'portal',
  'POST /portal/api/passkeys/options': 'portal',
  'POST /portal/api/passkeys': 'portal',
  'DELETE /portal/api/passkeys/{id}': 'portal',
  'POST /portal/api/totp/setup': 'portal',
  'POST /portal/api/totp/confirm': 'portal',
  'DELETE /portal/api/totp': 'portal',
};

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  key: string;
}

describe.each(openTestDatabase.drivers())('every route of the OpenAPI document on %s', (driver) => {
  let h: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    h = await openTestApp(driver);
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase() as Route['method'], path, key: `${m.toUpperCase()} ${path}` })),
    );
  });
  afterAll(async () => h?.close());

  /** A call with made-up ids, a query and (for writes) a body that would each fail validation. */
  const call = (route: Route, headers: Record<string, string>) =>
    h.app.inject({
      method: route.method,
      url: `${route.path.replace(/\{[^}]+\}/g, () => randomUUID())}?limit=not-a-number&unknownParameter=1`,
      headers,
      ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: { unknownField: true } } : {}),
    });

  it('has an expected permission for every route, and no entry for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(80);
    const documented = routes.map((r) => r.key);
    expect(documented.filter((k) => !(k in expected)), 'routes missing from the expected-permission table').toEqual([]);
    expect(Object.keys(expected).filter((k) => !documented.includes(k)), 'table entries for routes the API no longer has').toEqual([]);
  });

  it('answers 401 to an anonymous caller on every non-public route, before validating anything', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (expected[route.key] === 'public' || expected[route.key] === 'portal') continue;
      const r = await call(route, {});
      if (r.statusCode !== 401 || r.json().error.code !== 'unauthenticated') wrong.push(`${route.key} → ${r.statusCode} ${r.json().error?.code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to an admin lacking a needed permission, for each permission of each route, before validating anything', async () => {
    const lacking = new Map<string, { headers: Record<string, string> }>();
    const adminWithout = async (missing: readonly Permission[]) => {
      const key = [...missing].sort().join(',');
      let a = lacking.get(key);
      if (!a) {
        a = await createTestAdmin(h.t.database.db, { permissions: permissionNames.filter((p) => !missing.includes(p)) });
        lacking.set(key, a);
      }
      return a;
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const need = expected[route.key];
      if (need === undefined || typeof need === 'string') continue;
      // `all`: one admin per needed permission, holding everything else; `any`: one holding none of them.
      const withouts = 'all' in need ? need.all.map((p) => [p]) : [need.any];
      for (const missing of withouts) {
        const r = await call(route, (await adminWithout(missing)).headers);
        checked++;
        if (r.statusCode !== 403 || r.json().error.code !== 'forbidden') wrong.push(`${route.key} without ${missing.join('+')} → ${r.statusCode} ${r.json().error?.code}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  });

  it('lets an admin with no permission through the check of every signed-in route (whatever the handler then says)', async () => {
    const none = await createTestAdmin(h.t.database.db, { permissions: [] });
    const wrong: string[] = [];
    for (const route of routes.filter((r) => expected[r.key] === 'signed-in')) {
      const r = await call(route, none.headers);
      if (r.statusCode === 401 || r.statusCode === 403) wrong.push(`${route.key} → ${r.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every portal route to an admin token and every unsafe one to a caller without the portal header, before validating anything', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes.filter((r) => expected[r.key] === 'portal')) {
      const r = await call(route, h.owner.headers);
      const code = r.json<{ error?: { code: string } }>().error?.code;
      // Anonymous-stage routes: unsafe ones need the portal header; session routes need a portal session.
      if (route.method === 'GET' ? code !== 'unauthenticated' : code !== 'csrf_failed' && code !== 'unauthenticated') wrong.push(`${route.key} → ${r.statusCode} ${code}`);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });
});
