import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog } from '../../db/schema.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { TEST_PASSWORD, signInOverHttp } from '../../../test/sign-in.ts';

describe.each(openTestDatabase.drivers())('admin accounts on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  let n = 0;
  const email = () => `made${++n}-${Date.now()}@example.test`;
  const admin = (opts: Parameters<typeof createTestAdmin>[1] = {}) => createTestAdmin(h.t.database.db, opts);
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('refuses an admin without manage_admins with 403 naming the permission', async () => {
    const a = await admin({ permissions: ['view_logs', 'manage_users'] });
    const r = await call('GET', '/api/admins', a.headers);
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: 'forbidden', details: { missing: ['manage_admins'] } });
    expect(r.json().error.message).toMatch(/manage_admins/);
    expect((await call('GET', '/api/admins', {})).statusCode).toBe(401);
  });

  it('creates an admin with a given password, never returning a hash, and audits it', async () => {
    const e = email();
    const r = await call('POST', '/api/admins', h.owner.headers, { email: e, name: 'Ada', permissions: ['view_logs'], password: 'given-password-123', mustChangePassword: false });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toEqual({ admin: expect.objectContaining({ email: e, name: 'Ada', role: 'admin', permissions: ['view_logs'], status: 'active', mustChangePassword: false, version: 1 }) });
    expect(r.body).not.toMatch(/hash|given-password/i);
    const s = await signInOverHttp(h.app, e, 'given-password-123');
    expect(s.body).toMatchObject({ admin: { email: e } });
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, r.json().admin.id));
    expect(audit[0]).toMatchObject({ action: 'admin.create', actorId: h.owner.adminId, via: 'token' });
    expect(JSON.stringify(audit)).not.toMatch(/given-password/);
  });

  it('generates a one-time password when none is given and gives the default permissions', async () => {
    const r = await call('POST', '/api/admins', h.owner.headers, { email: email(), name: 'Bo' });
    expect(r.statusCode).toBe(201);
    expect(r.json().oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(r.json().admin).toMatchObject({ mustChangePassword: true, permissions: ['view_apps', 'assign_apps', 'import_users', 'manage_users', 'view_logs'] });
  });

  it('names the bad fields: a duplicate email, an unknown field, a short password, an unknown permission', async () => {
    const a = await admin();
    const dup = await call('POST', '/api/admins', h.owner.headers, { email: a.email.toUpperCase(), name: 'Dup' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.email' }] });
    const bad = await call('POST', '/api/admins', h.owner.headers, { email: 'not-an-email', name: 'X', password: 'short', permissions: ['fly'], shoeSize: 42 });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.permissions.0', 'body.shoeSize']));
  });

  it('answers two concurrent creations of one email with one 201 and one 409', async () => {
    const e = email();
    const both = await Promise.all([0, 1].map(() => call('POST', '/api/admins', h.owner.headers, { email: e, name: 'Twin', password: 'twin-password-123' })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('lists the permissions with descriptions for any signed-in admin', async () => {
    const a = await admin();
    const r = await call('GET', '/api/permissions', a.headers);
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toContainEqual({ name: 'manage_admins', description: expect.any(String) });
    expect(r.json().items).toHaveLength(7);
  });

  it('lists admins by email with a cursor, and reads one with an ETag', async () => {
    const first = await call('GET', '/api/admins?limit=2', h.owner.headers);
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.body).not.toMatch(/hash/i);
    const second = await call('GET', `/api/admins?limit=2&cursor=${first.json().nextCursor}`, h.owner.headers);
    const emails = [...first.json().items, ...second.json().items].map((a: { email: string }) => a.email.toLowerCase());
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(emails.length);
    const one = await call('GET', `/api/admins/${h.owner.adminId}`, h.owner.headers);
    expect(one.json()).toMatchObject({ id: h.owner.adminId, role: 'owner', permissions: expect.arrayContaining(['manage_admins']) });
    expect(one.headers.etag).toBe(`"${one.json().version}"`);
    expect((await call('GET', '/api/admins/00000000-0000-4000-8000-000000000000', h.owner.headers)).statusCode).toBe(404);
    expect((await call('GET', '/api/admins/nope', h.owner.headers)).json().error.issues[0].path).toMatch(/id/);
  });

  it('updates with optimistic concurrency: version required, stale refused, audit holds before and after', async () => {
    const a = await admin({ permissions: ['view_logs'] });
    const url = `/api/admins/${a.adminId}`;
    const none = await call('PATCH', url, h.owner.headers, { name: 'Renamed' });
    expect(none.statusCode).toBe(428);
    const ok = await call('PATCH', url, { ...h.owner.headers, 'if-match': '"1"' }, { name: 'Renamed', permissions: ['view_logs', 'view_apps'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ name: 'Renamed', version: 2, permissions: ['view_apps', 'view_logs'] });
    const stale = await call('PATCH', url, h.owner.headers, { name: 'Again', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const [entry] = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, a.adminId));
    expect(entry).toMatchObject({ action: 'admin.update', before: expect.objectContaining({ version: 1 }), after: expect.objectContaining({ name: 'Renamed', version: 2 }) });
  });

  it('keeps a non-owner admin away from owners and from permissions they lack', async () => {
    const manager = await admin({ permissions: ['manage_admins', 'view_logs'] });
    const asOwner = await call('POST', '/api/admins', manager.headers, { email: email(), name: 'O', role: 'owner' });
    expect(asOwner.statusCode).toBe(403);
    const grant = await call('POST', '/api/admins', manager.headers, { email: email(), name: 'G', permissions: ['manage_provisioning'] });
    expect(grant.statusCode).toBe(403);
    expect(grant.json().error.details).toEqual({ missing: ['manage_provisioning'] });
    const owner = await call('GET', `/api/admins/${h.owner.adminId}`, manager.headers);
    const touch = await call('PATCH', `/api/admins/${h.owner.adminId}`, manager.headers, { name: 'Hijacked', version: owner.json().version });
    expect(touch.statusCode).toBe(403);
    expect((await call('DELETE', `/api/admins/${h.owner.adminId}`, manager.headers)).statusCode).toBe(403);
    expect((await call('POST', `/api/admins/${h.owner.adminId}/password`, manager.headers, {})).statusCode).toBe(403);
    // Nobody removes their own manage_admins.
    const self = await call('PATCH', `/api/admins/${manager.adminId}`, manager.headers, { permissions: ['view_logs'], version: 1 });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.details).toEqual({ reason: 'own_admin_rights' });
    expect((await call('DELETE', `/api/admins/${manager.adminId}`, manager.headers)).statusCode).toBe(409);
  });

  it('disabling an admin ends their sessions and revokes their tokens', async () => {
    const a = await admin({ permissions: ['view_logs'] });
    const s = await signInOverHttp(h.app, a.email, TEST_PASSWORD);
    expect((await call('GET', '/api/session', a.headers)).statusCode).toBe(200);
    const r = await call('PATCH', `/api/admins/${a.adminId}`, h.owner.headers, { status: 'disabled', version: 1 });
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('disabled');
    expect((await call('GET', '/api/session', a.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/session', s.read)).statusCode).toBe(401);
    const tokens = await h.t.database.db.select().from(apiTokens).where(eq(apiTokens.adminId, a.adminId));
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    // A disabled admin cannot sign in, with the same answer as a wrong password.
    const again = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: a.email, password: TEST_PASSWORD }, remoteAddress: '10.9.0.1' });
    expect(again.statusCode).toBe(401);
  });

  it('resets a password: one-time value, sessions ended, change required', async () => {
    const a = await admin();
    const s = await signInOverHttp(h.app, a.email, TEST_PASSWORD);
    const r = await call('POST', `/api/admins/${a.adminId}/password`, h.owner.headers, {});
    expect(r.statusCode).toBe(200);
    const otp = r.json().oneTimePassword as string;
    expect(r.json().admin.mustChangePassword).toBe(true);
    expect((await call('GET', '/api/session', s.read)).statusCode).toBe(401);
    const fresh = await signInOverHttp(h.app, a.email, otp);
    expect(fresh.body).toMatchObject({ admin: { mustChangePassword: true } });
    const own = await call('POST', `/api/admins/${h.owner.adminId}/password`, h.owner.headers, { password: 'my-own-new-password' });
    expect(own.statusCode).toBe(409);
  });

  it('deletes an admin with their tokens, and audits the deletion', async () => {
    const a = await admin();
    const stale = await call('DELETE', `/api/admins/${a.adminId}`, { ...h.owner.headers, 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    expect((await call('DELETE', `/api/admins/${a.adminId}`, h.owner.headers)).statusCode).toBe(204);
    expect((await call('GET', `/api/admins/${a.adminId}`, h.owner.headers)).statusCode).toBe(404);
    expect((await call('GET', '/api/session', a.headers)).statusCode).toBe(401);
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, a.adminId));
    expect(audit.map((e) => e.action)).toContain('admin.delete');
  });

  it("lets an owner, or an admin holding every permission of the target, list and revoke another admin's tokens", async () => {
    const a = await admin({ permissions: ['view_logs'] });
    const manager = await admin({ permissions: ['manage_admins'] });
    const refused = await call('GET', `/api/admins/${a.adminId}/tokens`, manager.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'outranked', details: { missing: ['view_logs'] } });
    const peer = await admin({ permissions: ['manage_admins', 'view_logs'] });
    expect((await call('GET', `/api/admins/${a.adminId}/tokens`, peer.headers)).statusCode).toBe(200);
    const list = await call('GET', `/api/admins/${a.adminId}/tokens`, h.owner.headers);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toMatch(/hash|rst_[A-Za-z0-9_-]{20}/i);
    const tokenId = list.json().items[0].id as string;
    const revoked = await call('DELETE', `/api/admins/${a.adminId}/tokens/${tokenId}`, h.owner.headers);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect((await call('GET', '/api/session', a.headers)).statusCode).toBe(401);
    expect((await call('DELETE', `/api/admins/${manager.adminId}/tokens/${tokenId}`, h.owner.headers)).statusCode).toBe(404);
  });

  it('never removes the last owner, and transfers ownership in one step', async () => {
    // h.owner is the only owner: it cannot step down.
    const me = await call('GET', `/api/admins/${h.owner.adminId}`, h.owner.headers);
    const down = await call('PATCH', `/api/admins/${h.owner.adminId}`, h.owner.headers, { role: 'admin', permissions: ['manage_admins'], version: me.json().version });
    expect(down.statusCode).toBe(409);
    expect(down.json().error.details).toEqual({ reason: 'last_owner' });

    const second = await admin({ role: 'owner' });
    const target = await admin({ permissions: ['view_logs'] });
    const transfer = await call('POST', `/api/admins/${target.adminId}/transfer-ownership`, second.headers);
    expect(transfer.statusCode).toBe(200);
    expect(transfer.json()).toMatchObject({ from: { id: second.adminId, role: 'admin', permissions: expect.arrayContaining(['manage_admins']) }, to: { id: target.adminId, role: 'owner' } });
    // The former owner, now an admin, cannot touch owners any more.
    expect((await call('POST', `/api/admins/${target.adminId}/transfer-ownership`, second.headers)).statusCode).toBe(403);
    // With another owner present, an owner may step down.
    const now = await call('GET', `/api/admins/${target.adminId}`, target.headers);
    const step = await call('PATCH', `/api/admins/${target.adminId}`, target.headers, { role: 'admin', version: now.json().version });
    expect(step.statusCode).toBe(200);
    expect(step.json().permissions).toContain('manage_admins');
  });
});
