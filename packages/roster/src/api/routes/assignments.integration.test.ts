import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { assignments, outbox } from '../../db/schema.ts';
import { insertGroup, insertUser } from '../../directory/groups/test-fixtures.ts';

describe.each(openTestDatabase.drivers())('assignments API on %s', (driver) => {
  let h: TestApp;
  let headers: { authorization: string };
  let appId: string;
  let n = 0;
  beforeAll(async () => {
    h = await openTestApp(driver);
    headers = h.owner.headers;
    appId = (await send('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk', settings: { subdomain: 'assign-test' } })).json().id;
  });
  afterAll(async () => h?.close());

  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const get = (url: string) => h.app.inject({ url, headers });
  const newApp = async () => (await send('POST', '/api/apps', { type: 'zendesk', displayName: `App ${++n}`, settings: { subdomain: `assign-${n}` } })).json().id as string;
  const assignmentRows = (applicationId: string) => h.t.database.db.select().from(assignments).where(eq(assignments.applicationId, applicationId));

  it('assigns a user and a group with roles, lists them with names, and writes outbox rows', async () => {
    const db = h.t.database.db;
    const user = await insertUser(db, 'Alice Agent');
    const group = await insertGroup(db, 'Billing');
    const u = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: user, role: 'agent' });
    expect(u.statusCode).toBe(201);
    expect(u.json()).toMatchObject({ principalType: 'user', principalId: user, principalName: 'Alice Agent', principalEmail: expect.stringContaining('@'), role: 'agent', roleLabel: 'Agent', version: 1 });
    expect(u.headers.etag).toBe('"1"');
    const g = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: group, role: 'custom:360001', roleLabel: 'Light agent' });
    expect(g.json()).toMatchObject({ principalName: expect.stringMatching(/^Billing/), principalEmail: null, role: 'custom:360001', roleLabel: 'Light agent' });

    const list = (await get(`/api/apps/${appId}/assignments`)).json();
    expect(list.items.map((a: { principalName: string }) => a.principalName.split(' ')[0])).toEqual(['Alice', 'Billing']);
    const groupsOnly = (await get(`/api/apps/${appId}/assignments?principalType=group`)).json();
    expect(groupsOnly.items.map((a: { id: string }) => a.id)).toEqual([g.json().id]);

    const row = (await h.t.database.db.select().from(outbox).where(eq(outbox.entityId, u.json().id)))[0];
    expect(row).toMatchObject({ entityType: 'assignment', op: 'created', data: { applicationId: appId, principalType: 'user', principalId: user, role: 'agent' } });
  });

  it('refuses a second assignment of the same principal with the existing one in details', async () => {
    const user = await insertUser(h.t.database.db, 'Twice');
    const first = (await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: user, role: 'end-user' })).json();
    const again = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: user, role: 'admin' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.principalId' }], details: { assignmentId: first.id, currentVersion: 1 } });
  });

  it('names the missing app, the missing principal and the bad role, writing nothing', async () => {
    const user = await insertUser(h.t.database.db, 'Nobody');
    const before = (await h.t.database.db.select().from(assignments)).length;
    const noApp = await send('POST', `/api/apps/${crypto.randomUUID()}/assignments`, { principalType: 'user', principalId: user, role: 'agent' });
    expect(noApp.statusCode).toBe(404);
    expect(noApp.json().error.issues[0].path).toBe('params.id');
    const noUser = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: crypto.randomUUID(), role: 'agent' });
    expect(noUser.statusCode).toBe(404);
    expect(noUser.json().error.issues[0]).toEqual({ path: 'body.principalId', reason: 'no such user' });
    const groupIdAsUser = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: user, role: 'agent' });
    expect(groupIdAsUser.json().error.issues[0]).toEqual({ path: 'body.principalId', reason: 'no such group' });
    const badRole = await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: user, role: 'owner' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.issues[0]).toMatchObject({ path: 'body.role', reason: expect.stringContaining('default-access') });
    const cases: [unknown, string][] = [
      [{ principalType: 'robot', principalId: user, role: 'agent' }, 'body.principalType'],
      [{ principalType: 'user', principalId: 'abc', role: 'agent' }, 'body.principalId'],
      [{ principalType: 'user', principalId: user, role: 'agent', extra: true }, 'body.extra'],
      [{ principalType: 'user', principalId: user }, 'body.role'],
    ];
    for (const [payload, path] of cases) {
      const r = await send('POST', `/api/apps/${appId}/assignments`, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await h.t.database.db.select().from(assignments)).length).toBe(before);
  });

  it('bulk-assigns all or nothing, and upserts roles on a second call', async () => {
    const db = h.t.database.db;
    const app = await newApp();
    const [a, b] = [await insertUser(db, 'Bulk A'), await insertUser(db, 'Bulk B')];
    const group = await insertGroup(db, 'Bulk group');
    const bad = await send('POST', `/api/apps/${app}/assignments/bulk`, {
      assignments: [
        { principalType: 'user', principalId: a, role: 'agent' },
        { principalType: 'user', principalId: crypto.randomUUID(), role: 'agent' },
        { principalType: 'group', principalId: group, role: 'nope' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('body.assignments.2.role');
    const missing = await send('POST', `/api/apps/${app}/assignments/bulk`, {
      assignments: [{ principalType: 'user', principalId: a, role: 'agent' }, { principalType: 'user', principalId: crypto.randomUUID(), role: 'agent' }],
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.issues[0].path).toBe('body.assignments.1.principalId');
    const repeated = await send('POST', `/api/apps/${app}/assignments/bulk`, {
      assignments: [{ principalType: 'user', principalId: a, role: 'agent' }, { principalType: 'user', principalId: a, role: 'admin' }],
    });
    expect(repeated.json().error.issues[0]).toEqual({ path: 'body.assignments.1.principalId', reason: 'repeats body.assignments.0' });
    expect(await assignmentRows(app)).toHaveLength(0);

    const ok = await send('POST', `/api/apps/${app}/assignments/bulk`, {
      assignments: [{ principalType: 'user', principalId: a, role: 'agent' }, { principalType: 'group', principalId: group, role: 'end-user' }],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const second = await send('POST', `/api/apps/${app}/assignments/bulk`, {
      assignments: [
        { principalType: 'user', principalId: a, role: 'admin' },
        { principalType: 'group', principalId: group, role: 'end-user' },
        { principalType: 'user', principalId: b, role: 'default-access' },
      ],
    });
    expect(second.json()).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const rows = await assignmentRows(app);
    expect(rows.map((r) => `${r.principalId === a ? 'a' : r.principalId === b ? 'b' : 'g'}=${r.role}`).sort()).toEqual(['a=admin', 'b=default-access', 'g=end-user']);
    const tooMany = await send('POST', `/api/apps/${app}/assignments/bulk`, { assignments: Array.from({ length: 1001 }, () => ({ principalType: 'user', principalId: a, role: 'agent' })) });
    expect(tooMany.json().error.issues[0].path).toBe('body.assignments');
  });

  it('changes a role with the current version and removes an assignment', async () => {
    const user = await insertUser(h.t.database.db, 'Role Changer');
    const a = (await send('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: user, role: 'end-user' })).json();
    const url = `/api/apps/${appId}/assignments/${a.id}`;
    expect((await send('PATCH', url, { role: 'agent' })).statusCode).toBe(428);
    const changed = await send('PATCH', url, { role: 'agent' }, { 'if-match': '"1"' });
    expect(changed.json()).toMatchObject({ role: 'agent', roleLabel: 'Agent', version: 2 });
    expect(changed.headers.etag).toBe('"2"');
    const stale = await send('PATCH', url, { role: 'admin', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    expect((await send('PATCH', url, { role: 'superuser', version: 2 })).json().error.issues[0].path).toBe('body.role');
    const wrongApp = await send('PATCH', `/api/apps/${await newApp()}/assignments/${a.id}`, { role: 'admin', version: 2 });
    expect(wrongApp.statusCode).toBe(404);
    expect(wrongApp.json().error.issues[0].path).toBe('params.assignmentId');

    expect((await send('DELETE', url)).statusCode).toBe(204);
    expect((await send('DELETE', url)).statusCode).toBe(404);
    const ops = (await h.t.database.db.select().from(outbox).where(eq(outbox.entityId, a.id))).map((r) => `${r.op}:${String(r.data['role'])}`);
    expect(ops).toEqual(['created:end-user', 'updated:agent', 'deleted:agent']);
  });

  it('drops the assignments of a deleted group, with outbox rows', async () => {
    const app = await newApp();
    const group = await insertGroup(h.t.database.db, 'Doomed');
    const a = (await send('POST', `/api/apps/${app}/assignments`, { principalType: 'group', principalId: group, role: 'agent' })).json();
    expect((await send('DELETE', `/api/groups/${group}`)).statusCode).toBe(204);
    expect((await get(`/api/apps/${app}/assignments`)).json().items).toEqual([]);
    expect(await assignmentRows(app)).toHaveLength(0);
    const rows = await h.t.database.db.select().from(outbox).where(eq(outbox.entityId, a.id));
    expect(rows.map((r) => [r.op, r.data])).toEqual([
      ['created', { applicationId: app, principalType: 'group', principalId: group, role: 'agent' }],
      ['deleted', { applicationId: app, principalType: 'group', principalId: group, role: 'agent' }],
    ]);
  });

  it('pages through assignments by principal name', async () => {
    const app = await newApp();
    for (const name of ['Carol', 'alan', 'Bea']) {
      const id = await insertUser(h.t.database.db, name);
      await send('POST', `/api/apps/${app}/assignments`, { principalType: 'user', principalId: id, role: 'end-user' });
    }
    const first = (await get(`/api/apps/${app}/assignments?limit=2`)).json();
    expect(first.items.map((a: { principalName: string }) => a.principalName)).toEqual(['alan', 'Bea']);
    const second = (await get(`/api/apps/${app}/assignments?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((a: { principalName: string }) => a.principalName)).toEqual(['Carol']);
    expect(second.nextCursor).toBeNull();
    expect((await get(`/api/apps/${app}/assignments?principalType=robot`)).json().error.issues[0].path).toBe('query.principalType');
  });

  it('lets view_apps read and needs assign_apps to change', async () => {
    const viewer = await createTestAdmin(h.t.database.db, { permissions: ['view_apps'] });
    expect((await h.app.inject({ url: `/api/apps/${appId}/assignments`, headers: viewer.headers })).statusCode).toBe(200);
    const user = await insertUser(h.t.database.db, 'Perm');
    const denied = await h.app.inject({ method: 'POST', url: `/api/apps/${appId}/assignments`, headers: viewer.headers, payload: { principalType: 'user', principalId: user, role: 'agent' } });
    expect(denied.statusCode).toBe(403);
    const assigner = await createTestAdmin(h.t.database.db, { permissions: ['view_apps', 'assign_apps'] });
    const allowed = await h.app.inject({ method: 'POST', url: `/api/apps/${appId}/assignments`, headers: assigner.headers, payload: { principalType: 'user', principalId: user, role: 'agent' } });
    expect(allowed.statusCode).toBe(201);
  });
});
