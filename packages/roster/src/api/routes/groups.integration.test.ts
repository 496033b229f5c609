import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { auditLog, groupMembers, outbox, users } from '../../db/schema.ts';
import { insertGroup, insertUser } from '../../directory/groups/test-fixtures.ts';

describe.each(openTestDatabase.drivers())('groups API on %s', (driver) => {
  let h: TestApp;
  let headers: { authorization: string };
  beforeAll(async () => {
    h = await openTestApp(driver);
    headers = h.owner.headers;
  });
  afterAll(async () => h?.close());

  const post = (url: string, payload: unknown, extra: Record<string, string> = {}) => h.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...headers, ...extra } });
  const patch = (url: string, payload: unknown, extra: Record<string, string> = {}) => h.app.inject({ method: 'PATCH', url, payload: payload as object, headers: { ...headers, ...extra } });
  const get = (url: string) => h.app.inject({ url, headers });
  const outboxFor = (entityId: string) => h.t.database.db.select().from(outbox).where(eq(outbox.entityId, entityId));

  it('creates, reads, renames and deletes a group with audit and outbox rows', async () => {
    const created = await post('/api/groups', { name: 'Support Team', description: 'Tier 1' });
    expect(created.statusCode).toBe(201);
    const g = created.json();
    expect(g).toMatchObject({ name: 'Support Team', description: 'Tier 1', version: 1, memberCounts: { users: 0, groups: 0 } });
    expect(created.headers.etag).toBe('"1"');

    const read = await get(`/api/groups/${g.id}`);
    expect(read.json().name).toBe('Support Team');
    expect(read.headers.etag).toBe('"1"');

    const renamed = await patch(`/api/groups/${g.id}`, { name: 'Support' }, { 'if-match': '"1"' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Support', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');

    const del = await h.app.inject({ method: 'DELETE', url: `/api/groups/${g.id}`, headers });
    expect(del.statusCode).toBe(204);
    expect((await get(`/api/groups/${g.id}`)).statusCode).toBe(404);

    const ops = (await outboxFor(g.id)).map((r) => `${r.entityType} ${r.op}`);
    expect(ops).toEqual(['group created', 'group updated', 'group deleted']);
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, g.id));
    expect(audit.map((a) => a.action)).toEqual(['group.create', 'group.update', 'group.delete']);
    expect(audit[1]).toMatchObject({ before: { name: 'Support Team' }, after: { name: 'Support' }, actorId: h.owner.adminId });
  });

  it('refuses a duplicate name ignoring case, and frees the name of a deleted group', async () => {
    const first = (await post('/api/groups', { name: 'Sales EMEA' })).json();
    const dup = await post('/api/groups', { name: 'sales emea' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.name' }] });
    await h.app.inject({ method: 'DELETE', url: `/api/groups/${first.id}`, headers });
    expect((await post('/api/groups', { name: 'SALES EMEA' })).statusCode).toBe(201);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = (await h.t.database.db.select().from(outbox)).length;
    const cases: [unknown, string][] = [
      [{ name: '' }, 'body.name'],
      [{ name: 42 }, 'body.name'],
      [{ name: 'x', colour: 'red' }, 'body.colour'],
      [{ description: 'no name' }, 'body.name'],
      [{ name: 'nul\u0000name' }, 'body.name'],
      [{ name: 'ok', description: 'nul\u0000' }, 'body.description'],
    ];
    for (const [payload, path] of cases) {
      const r = await post('/api/groups', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const malformed = await h.app.inject({ method: 'POST', url: '/api/groups', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_json');
    expect((await get('/api/groups/not-a-uuid')).json().error.issues[0].path).toBe('params.id');
    expect((await h.t.database.db.select().from(outbox)).length).toBe(before);
  });

  it('needs a current version to change a group', async () => {
    const g = (await post('/api/groups', { name: 'Versioned' })).json();
    const none = await patch(`/api/groups/${g.id}`, { name: 'V2' });
    expect(none.statusCode).toBe(428);
    expect(none.json().error.issues[0].path).toBe('headers.if-match');
    expect((await patch(`/api/groups/${g.id}`, { name: 'V2', version: 1 })).statusCode).toBe(200);
    const stale = await patch(`/api/groups/${g.id}`, { name: 'V3', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const staleDelete = await h.app.inject({ method: 'DELETE', url: `/api/groups/${g.id}`, headers: { ...headers, 'if-match': '"1"' } });
    expect(staleDelete.statusCode).toBe(409);
    expect((await get(`/api/groups/${g.id}`)).json().name).toBe('V2');
  });

  it('adds members idempotently and lists direct and transitive members', async () => {
    const db = h.t.database.db;
    const [ann, bob] = [await insertUser(db, 'Ann Able'), await insertUser(db, 'Bob Baker')];
    const parent = (await post('/api/groups', { name: 'Parent' })).json();
    const child = (await post('/api/groups', { name: 'Child' })).json();

    const first = await post(`/api/groups/${parent.id}/members`, { memberType: 'user', memberId: ann });
    expect(first.statusCode).toBe(201);
    const again = await post(`/api/groups/${parent.id}/members`, { memberType: 'user', memberId: ann });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ added: [], alreadyMembers: [{ memberType: 'user', memberId: ann }] });
    const memberRows = (await outboxFor(parent.id)).filter((r) => r.entityType === 'group_member');
    expect(memberRows).toHaveLength(1);
    expect(memberRows[0]!.data).toEqual({ groupId: parent.id, memberType: 'user', memberId: ann });

    expect((await post(`/api/groups/${child.id}/members`, { memberType: 'user', memberId: bob })).statusCode).toBe(201);
    expect((await post(`/api/groups/${parent.id}/members`, { memberType: 'group', memberId: child.id })).statusCode).toBe(201);

    const direct = (await get(`/api/groups/${parent.id}/members`)).json();
    expect(direct.items.map((m: { name: string }) => m.name)).toEqual(['Ann Able', 'Child']);
    expect(direct.items[0]).toMatchObject({ memberType: 'user', email: expect.stringContaining('@'), status: 'active', addedAt: expect.any(String) });
    const transitive = (await get(`/api/groups/${parent.id}/members?transitive=true`)).json();
    expect(transitive.items.map((m: { memberId: string }) => m.memberId)).toEqual([ann, bob]);
    expect((await get(`/api/groups/${parent.id}`)).json().memberCounts).toEqual({ users: 1, groups: 1 });

    const byMember = (await get(`/api/groups?memberUserId=${bob}`)).json();
    expect(byMember.items.map((g: { id: string }) => g.id)).toEqual([child.id]);
  });

  it('refuses a group that would contain itself, directly or through nesting', async () => {
    const a = (await post('/api/groups', { name: 'Cycle A' })).json();
    const b = (await post('/api/groups', { name: 'Cycle B' })).json();
    const c = (await post('/api/groups', { name: 'Cycle C' })).json();
    expect((await post(`/api/groups/${a.id}/members`, { memberType: 'group', memberId: b.id })).statusCode).toBe(201);
    expect((await post(`/api/groups/${b.id}/members`, { memberType: 'group', memberId: c.id })).statusCode).toBe(201);

    const self = await post(`/api/groups/${a.id}/members`, { memberType: 'group', memberId: a.id });
    expect(self.statusCode).toBe(409);
    expect(self.json().error).toMatchObject({ code: 'cycle', issues: [{ path: 'body.memberId', reason: 'a group cannot contain itself' }] });
    const loop = await post(`/api/groups/${c.id}/members`, { memberType: 'group', memberId: a.id });
    expect(loop.statusCode).toBe(409);
    expect(loop.json().error.issues[0].path).toBe('body.memberId');
    const rows = await h.t.database.db.select().from(groupMembers).where(eq(groupMembers.groupId, c.id));
    expect(rows).toHaveLength(0);
  });

  it('lets only one of two concurrent opposite nestings through', async () => {
    const a = (await post('/api/groups', { name: 'Race A' })).json();
    const b = (await post('/api/groups', { name: 'Race B' })).json();
    const results = await Promise.all([
      post(`/api/groups/${a.id}/members`, { memberType: 'group', memberId: b.id }),
      post(`/api/groups/${b.id}/members`, { memberType: 'group', memberId: a.id }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('adds a batch all or nothing, naming each missing member', async () => {
    const db = h.t.database.db;
    const g = (await post('/api/groups', { name: 'Batch' })).json();
    const ids = [await insertUser(db, 'Batch One'), await insertUser(db, 'Batch Two')];
    const missing = crypto.randomUUID();
    const bad = await post(`/api/groups/${g.id}/members/bulk`, {
      members: [{ memberType: 'user', memberId: ids[0] }, { memberType: 'user', memberId: missing }, { memberType: 'group', memberId: missing }],
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.issues).toEqual([
      { path: 'body.members.1.memberId', reason: 'no such user' },
      { path: 'body.members.2.memberId', reason: 'no such group' },
    ]);
    expect(await db.select().from(groupMembers).where(eq(groupMembers.groupId, g.id))).toHaveLength(0);

    const ok = await post(`/api/groups/${g.id}/members/bulk`, { members: ids.map((memberId) => ({ memberType: 'user', memberId })) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().added).toHaveLength(2);
    const tooMany = await post(`/api/groups/${g.id}/members/bulk`, { members: Array.from({ length: 1001 }, () => ({ memberType: 'user', memberId: ids[0] })) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.issues[0].path).toBe('body.members');
    const toMissingGroup = await post(`/api/groups/${missing}/members`, { memberType: 'user', memberId: ids[0] });
    expect(toMissingGroup.statusCode).toBe(404);
    expect(toMissingGroup.json().error.issues[0].path).toBe('params.id');
  });

  it('removes a member, and a deleted group leaves the groups it belonged to', async () => {
    const db = h.t.database.db;
    const user = await insertUser(db, 'Leaver');
    const outer = await insertGroup(db, 'Outer');
    const inner = await insertGroup(db, 'Inner', { users: [user] });
    await post(`/api/groups/${outer}/members`, { memberType: 'group', memberId: inner });

    const removeUser = await h.app.inject({ method: 'DELETE', url: `/api/groups/${inner}/members/user/${user}`, headers });
    expect(removeUser.statusCode).toBe(204);
    const again = await h.app.inject({ method: 'DELETE', url: `/api/groups/${inner}/members/user/${user}`, headers });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.issues[0].path).toBe('params.memberId');

    await h.app.inject({ method: 'DELETE', url: `/api/groups/${inner}`, headers });
    expect(await db.select().from(groupMembers).where(and(eq(groupMembers.groupId, outer), eq(groupMembers.memberId, inner)))).toHaveLength(0);
    const removed = (await outboxFor(outer)).filter((r) => r.op === 'removed');
    expect(removed.map((r) => r.data)).toEqual([{ groupId: outer, memberType: 'group', memberId: inner }]);
  });

  it('does not count or list members that were deleted', async () => {
    const db = h.t.database.db;
    const [stay, leave] = [await insertUser(db, 'Stays'), await insertUser(db, 'Leaves')];
    const gone = await insertGroup(db, 'Gone');
    const g = await insertGroup(db, 'Counted', { users: [stay, leave], groups: [gone] });
    expect((await get(`/api/groups/${g}`)).json().memberCounts).toEqual({ users: 2, groups: 1 });
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, leave));
    await h.app.inject({ method: 'DELETE', url: `/api/groups/${gone}`, headers });
    expect((await get(`/api/groups/${g}`)).json().memberCounts).toEqual({ users: 1, groups: 0 });
    expect((await get(`/api/groups/${g}/members`)).json().items.map((m: { memberId: string }) => m.memberId)).toEqual([stay]);
    const addDeleted = await post(`/api/groups/${g}/members`, { memberType: 'user', memberId: leave });
    expect(addDeleted.statusCode).toBe(404);
  });

  it('pages through groups by name with a prefix search', async () => {
    for (const n of ['Zeta 1', 'zeta 2', 'Zeta 3']) await post('/api/groups', { name: n });
    const first = (await get('/api/groups?q=zeta&limit=2')).json();
    expect(first.items.map((g: { name: string }) => g.name)).toEqual(['Zeta 1', 'zeta 2']);
    const second = (await get(`/api/groups?q=zeta&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((g: { name: string }) => g.name)).toEqual(['Zeta 3']);
    expect(second.nextCursor).toBeNull();
    expect((await get('/api/groups?cursor=bogus')).json().error.issues[0].path).toBe('query.cursor');
    expect((await get('/api/groups?q=%25')).json().items).toEqual([]);
    expect((await get('/api/groups?q=a%00')).json().error.issues[0].path).toBe('query.q');
    const nulCursor = Buffer.from(JSON.stringify(['a\u0000', crypto.randomUUID()])).toString('base64url');
    expect((await get(`/api/groups?cursor=${nulCursor}`)).json().error.issues[0].path).toBe('query.cursor');
  });

  it('checks permissions: any admin reads, manage_users writes', async () => {
    const reader = await createTestAdmin(h.t.database.db, { permissions: ['view_apps'] });
    expect((await h.app.inject({ url: '/api/groups', headers: reader.headers })).statusCode).toBe(200);
    const denied = await h.app.inject({ method: 'POST', url: '/api/groups', headers: reader.headers, payload: { name: 'Nope' } });
    expect(denied.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/groups' })).statusCode).toBe(401);
  });
});
