import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, auditLog, groupMembers, outbox, users } from '../../db/schema.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';

describe.each(openTestDatabase.drivers())('users API on %s', (driver) => {
  let h: TestApp;
  let headers: { authorization: string };
  beforeAll(async () => {
    h = await openTestApp(driver);
    headers = h.owner.headers;
  });
  afterAll(async () => h?.close());

  const post = (url: string, payload: unknown, extra: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...headers, ...extra } });
  const patch = (url: string, payload: unknown, extra: Record<string, string> = {}) =>
    h.app.inject({ method: 'PATCH', url, payload: payload as object, headers: { ...headers, ...extra } });

  it('creates a user with a default display name, trimmed email, audit and outbox rows', async () => {
    const r = await post('/api/users', { email: '  Ada@Example.test ', givenName: 'Ada', familyName: 'Lovelace', department: 'Math' });
    expect(r.statusCode).toBe(201);
    const u = r.json();
    expect(u).toMatchObject({ email: 'Ada@Example.test', displayName: 'Ada Lovelace', status: 'active', version: 1 });
    expect(r.headers.etag).toBe('"1"');
    const [audit] = await h.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, u.id));
    expect(audit?.action).toBe('user.create');
    const [change] = await h.ctx.db.select().from(outbox).where(eq(outbox.entityId, u.id));
    expect(change).toMatchObject({ entityType: 'user', op: 'created' });
    expect((change?.data as { fields: string[] }).fields).toEqual(expect.arrayContaining(['email', 'givenName', 'department']));
  });

  it('refuses a duplicate email case-insensitively and a duplicate employee id, naming the field', async () => {
    await post('/api/users', { email: 'dup@example.test', employeeId: 'E-1' });
    const byEmail = await post('/api/users', { email: 'DUP@example.test' });
    expect(byEmail.statusCode).toBe(409);
    expect(byEmail.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.email' }] });
    const byEmployee = await post('/api/users', { email: 'other@example.test', employeeId: 'E-1' });
    expect(byEmployee.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.employeeId' }] });
  });

  it('refuses bad input with 400 naming the field', async () => {
    const r = await post('/api/users', { email: 'not-an-email', color: 'red', givenName: 3 });
    expect(r.statusCode).toBe(400);
    const paths = r.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.color', 'body.givenName']));
  });

  it('updates with optimistic concurrency and reports changed fields', async () => {
    const u = (await post('/api/users', { email: 'grace@example.test', givenName: 'Grace', familyName: 'Hopper' })).json();
    const ok = await patch(`/api/users/${u.id}`, { jobTitle: 'Admiral', familyName: 'Murray' }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ jobTitle: 'Admiral', displayName: 'Grace Murray', version: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await patch(`/api/users/${u.id}`, { jobTitle: 'Captain' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const staleBody = await patch(`/api/users/${u.id}`, { jobTitle: 'Captain', version: 1 });
    expect(staleBody.statusCode).toBe(409);
    const changes = await h.ctx.db.select().from(outbox).where(eq(outbox.entityId, u.id));
    expect(changes.map((c) => c.op)).toEqual(['created', 'updated']);
    expect((changes[1]?.data as { fields: string[] }).fields.sort()).toEqual(['displayName', 'familyName', 'jobTitle']);
    const same = await patch(`/api/users/${u.id}`, { jobTitle: 'Admiral', version: 2 });
    expect(same.json().version).toBe(2);
  });

  it('refuses a user or attribute update that names no version (428), changing nothing', async () => {
    const u = (await post('/api/users', { email: 'noversion@example.test', jobTitle: 'Cook' })).json();
    const r = await patch(`/api/users/${u.id}`, { jobTitle: 'Chef' });
    expect(r.statusCode).toBe(428);
    expect(r.json().error).toMatchObject({ code: 'precondition_required', issues: [{ path: 'headers.if-match' }] });
    expect((await h.app.inject({ url: `/api/users/${u.id}`, headers })).json()).toMatchObject({ jobTitle: 'Cook', version: 1 });
    const def = (await post('/api/attributes', { key: 'noVersion', label: 'No version', type: 'string' })).json();
    const a = await patch(`/api/attributes/${def.id}`, { label: 'Changed' });
    expect(a.statusCode).toBe(428);
    expect(a.json().error).toMatchObject({ code: 'precondition_required', issues: [{ path: 'headers.if-match' }] });
  });

  it('refuses a manager cycle and self-management', async () => {
    const a = (await post('/api/users', { email: 'a@cycle.test' })).json();
    const b = (await post('/api/users', { email: 'b@cycle.test', managerId: a.id })).json();
    const c = (await post('/api/users', { email: 'c@cycle.test', managerId: b.id })).json();
    const loop = await patch(`/api/users/${a.id}`, { managerId: c.id, version: 1 });
    expect(loop.statusCode).toBe(409);
    expect(loop.json().error).toMatchObject({ code: 'cycle', issues: [{ path: 'body.managerId' }] });
    const self = await patch(`/api/users/${a.id}`, { managerId: a.id, version: 1 });
    expect(self.json().error.code).toBe('cycle');
    const missing = await patch(`/api/users/${a.id}`, { managerId: '00000000-0000-4000-8000-000000000000', version: 1 });
    expect(missing.statusCode).toBe(400);
  });

  it('deactivates, activates and soft-deletes; a deleted email can be reused', async () => {
    const u = (await post('/api/users', { email: 'temp@example.test' })).json();
    const off = await post(`/api/users/${u.id}/deactivate`, undefined);
    expect(off.json()).toMatchObject({ status: 'inactive', version: 2 });
    const on = await post(`/api/users/${u.id}/activate`, undefined);
    expect(on.json()).toMatchObject({ status: 'active', version: 3 });
    const del = await h.app.inject({ method: 'DELETE', url: `/api/users/${u.id}`, headers });
    expect(del.statusCode).toBe(204);
    expect((await h.app.inject({ url: `/api/users/${u.id}`, headers })).statusCode).toBe(404);
    const again = await post('/api/users', { email: 'TEMP@example.test' });
    expect(again.statusCode).toBe(201);
    const ops = await h.ctx.db.select({ op: outbox.op }).from(outbox).where(eq(outbox.entityId, u.id));
    expect(ops.map((o) => o.op)).toEqual(['created', 'deactivated', 'activated', 'deleted']);
    const [row] = await h.ctx.db.select().from(users).where(eq(users.id, u.id));
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });

  it('deleting a user removes their memberships and direct assignments, with outbox rows and audit, in one transaction', async () => {
    const u = (await post('/api/users', { email: 'leaver@example.test' })).json();
    const g = (await post('/api/groups', { name: 'Leavers club' })).json();
    const joined = await post(`/api/groups/${g.id}/members`, { memberType: 'user', memberId: u.id });
    expect(joined.statusCode, joined.body).toBeLessThan(300);
    const app = (await post('/api/apps', { type: 'zendesk', displayName: 'Leaver desk', settings: { subdomain: 'leaver-desk' } })).json();
    const assigned = await post(`/api/apps/${app.id}/assignments`, { principalType: 'user', principalId: u.id, role: 'end-user' });
    expect(assigned.statusCode).toBe(201);
    const assignmentId = assigned.json().id as string;

    expect((await h.app.inject({ method: 'DELETE', url: `/api/users/${u.id}`, headers })).statusCode).toBe(204);
    expect(await h.ctx.db.select().from(groupMembers).where(eq(groupMembers.memberId, u.id))).toEqual([]);
    expect(await h.ctx.db.select().from(assignments).where(eq(assignments.principalId, u.id))).toEqual([]);
    const [removed] = await h.ctx.db.select().from(outbox).where(sql`${outbox.entityType} = 'group_member' and ${outbox.op} = 'removed' and ${outbox.data}->>'memberId' = ${u.id}`);
    expect(removed).toMatchObject({ entityId: g.id, data: { groupId: g.id, memberType: 'user', memberId: u.id } });
    const [deleted] = await h.ctx.db.select().from(outbox).where(sql`${outbox.entityType} = 'assignment' and ${outbox.op} = 'deleted' and ${outbox.entityId} = ${assignmentId}`);
    expect(deleted?.data).toMatchObject({ applicationId: app.id, principalType: 'user', principalId: u.id, role: 'end-user' });
    const audits = await h.ctx.db.select({ action: auditLog.action }).from(auditLog).where(sql`${auditLog.targetId} in (${g.id}, ${assignmentId})`);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['group.member.remove', 'assignment.delete']));
  });

  it('deleting an attribute writes one user updated outbox row per user that held a value', async () => {
    const def = (await post('/api/attributes', { key: 'badge', label: 'Badge', type: 'string' })).json();
    const holders = [];
    for (const email of ['badge1@example.test', 'badge2@example.test']) holders.push((await post('/api/users', { email, custom: { badge: 'B' } })).json().id as string);
    const other = (await post('/api/users', { email: 'nobadge@example.test' })).json().id as string;
    expect((await h.app.inject({ method: 'DELETE', url: `/api/attributes/${def.id}`, headers })).statusCode).toBe(204);
    const rows = await h.ctx.db.select().from(outbox).where(sql`${outbox.entityType} = 'user' and ${outbox.op} = 'updated' and ${outbox.data} @> '{"fields":["custom.badge"]}'::jsonb`);
    expect(rows.map((r) => r.entityId).sort()).toEqual([...holders].sort());
    expect(rows.some((r) => r.entityId === other)).toBe(false);
    const after = (await h.app.inject({ url: `/api/users/${holders[0]}`, headers })).json();
    expect(after).toMatchObject({ custom: {}, version: 2 });
  });

  it('validates custom attributes against their definitions', async () => {
    const def = await post('/api/attributes', { key: 'costCenter', label: 'Cost center', type: 'enum', enumValues: ['A', 'B'] });
    expect(def.statusCode).toBe(201);
    await post('/api/attributes', { key: 'startDate', label: 'Start date', type: 'date' });
    const clash = await post('/api/attributes', { key: 'email', label: 'x', type: 'string' });
    expect(clash.json().error.issues[0].path).toBe('body.key');
    const dupe = await post('/api/attributes', { key: 'costCenter', label: 'x', type: 'string' });
    expect(dupe.statusCode).toBe(409);
    const bad = await post('/api/users', { email: 'cc@example.test', custom: { costCenter: 'Z', startDate: '2024-02-30', nope: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.custom.costCenter', 'body.custom.nope', 'body.custom.startDate']);
    const good = await post('/api/users', { email: 'cc@example.test', custom: { costCenter: 'B', startDate: '2024-02-29' } });
    expect(good.json().custom).toEqual({ costCenter: 'B', startDate: '2024-02-29' });
    const listed = await h.app.inject({ url: '/api/users?custom.costCenter=B', headers });
    expect(listed.json().items.map((u: { email: string }) => u.email)).toEqual(['cc@example.test']);
    const req = await patch(`/api/attributes/${def.json().id}`, { required: true }, { 'if-match': '"1"' });
    expect(req.json()).toMatchObject({ required: true, version: 2 });
    const missing = await post('/api/users', { email: 'cc2@example.test' });
    expect(missing.json().error.issues).toEqual([{ path: 'body.custom.costCenter', reason: 'is required' }]);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/attributes/${def.json().id}`, headers });
    expect(del.statusCode).toBe(204);
    const after = await h.app.inject({ url: `/api/users/${good.json().id}`, headers });
    expect(after.json().custom).toEqual({ startDate: '2024-02-29' });
  });

  it('lists with search, filters, sorts and stable cursors', async () => {
    for (let i = 0; i < 12; i++) {
      await post('/api/users', { email: `list${String(i).padStart(2, '0')}@page.test`, displayName: i % 2 ? 'Same Name' : `Zed ${i}`, department: 'Pages', location: i < 6 ? 'Oslo' : 'Rome' });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/users?department=Pages&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.app.inject({ url, headers })).json();
      seen.push(...page.items.map((u: { email: string }) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    // The department filter ignores case, like search.
    const lower = (await h.app.inject({ url: '/api/users?department=pAGES&limit=50', headers })).json();
    expect(lower.items).toHaveLength(12);
    const byEmailDesc = (await h.app.inject({ url: '/api/users?q=list&sort=email&order=desc&limit=3', headers })).json();
    expect(byEmailDesc.items.map((u: { email: string }) => u.email)).toEqual(['list11@page.test', 'list10@page.test', 'list09@page.test']);
    const created: string[] = [];
    cursor = null;
    do {
      const url: string = `/api/users?location=Rome&sort=createdAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.app.inject({ url, headers })).json();
      created.push(...page.items.map((u: { email: string }) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(created).toEqual(['list06@page.test', 'list07@page.test', 'list08@page.test', 'list09@page.test', 'list10@page.test', 'list11@page.test']);
    const badSort = await h.app.inject({ url: '/api/users?sort=shoeSize', headers });
    expect(badSort.json().error.issues[0].path).toBe('query.sort');
    const unknown = await h.app.inject({ url: '/api/users?colour=red', headers });
    expect(unknown.json().error.issues[0]).toEqual({ path: 'query.colour', reason: 'unknown field' });
    const forged = await h.app.inject({ url: '/api/users?cursor=abc', headers });
    expect(forged.json().error.issues[0].path).toBe('query.cursor');
    const pct = (await h.app.inject({ url: '/api/users?q=%25', headers })).json();
    expect(pct.items).toEqual([]);
  });

  it('checks permissions: reads for directory readers, writes for manage_users', async () => {
    const viewer = await createTestAdmin(h.ctx.db, { permissions: ['view_apps'] });
    const nobody = await createTestAdmin(h.ctx.db, { permissions: ['view_logs'] });
    expect((await h.app.inject({ url: '/api/users', headers: viewer.headers })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/users', headers: nobody.headers })).statusCode).toBe(403);
    const write = await h.app.inject({ method: 'POST', url: '/api/users', payload: { email: 'v@example.test' }, headers: viewer.headers });
    expect(write.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/users' })).statusCode).toBe(401);
    const [n] = await h.ctx.db.select({ n: count() }).from(users).where(sql`lower(email) = 'v@example.test'`);
    expect(n?.n).toBe(0);
  });
});
