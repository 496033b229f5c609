/**
 * No admin gains rights they lack through another admin's account: acting on an admin needs every
 * permission they hold (owners excepted, and only owners act on owners); a password reset or a
 * disable revokes the admin's API tokens and says how many; tokens of an admin whose password must
 * change are refused until it is changed.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admins, apiTokens, auditLog } from '../../db/schema.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { TEST_PASSWORD, signInOverHttp } from '../../../test/sign-in.ts';

describe.each(openTestDatabase.drivers())('admin ranks and tokens on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const admin = (opts: Parameters<typeof createTestAdmin>[1] = {}) => createTestAdmin(h.t.database.db, opts);
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const versionOf = async (id: string) => (await call('GET', `/api/admins/${id}`, h.owner.headers)).json().version as number;

  it('refuses to act on an admin holding a permission the actor lacks, names it, and audits the refusal', async () => {
    const manager = await admin({ permissions: ['manage_admins', 'view_logs'] });
    const target = await admin({ permissions: ['view_logs', 'manage_provisioning'] });
    const url = `/api/admins/${target.adminId}`;
    const version = await versionOf(target.adminId);
    const attempts = [
      await call('POST', `${url}/password`, manager.headers, { password: 'taken-over-password-1' }),
      await call('PATCH', url, manager.headers, { email: `hijack-${Date.now()}@example.test`, version }),
      await call('PATCH', url, manager.headers, { status: 'disabled', version }),
      await call('PATCH', url, manager.headers, { permissions: ['view_logs'], version }),
      await call('DELETE', url, manager.headers),
      await call('GET', `${url}/tokens`, manager.headers),
    ];
    for (const r of attempts) {
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatchObject({ code: 'outranked', details: { missing: ['manage_provisioning'] } });
      expect(r.json().error.message).toMatch(/manage_provisioning/);
    }
    // Nothing changed: the old password still signs in, the token still works.
    await signInOverHttp(h.app, target.email, TEST_PASSWORD, '10.20.0.1');
    expect((await call('GET', '/api/session', target.headers)).statusCode).toBe(200);
    expect(await versionOf(target.adminId)).toBe(version);
    const refusals = await h.t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'admin.refused'), eq(auditLog.targetId, target.adminId)));
    expect(refusals.map((e) => (e.after as { attempted: string }).attempted).sort()).toEqual(['admin.delete', 'admin.password.reset', 'admin.token.list', 'admin.update', 'admin.update', 'admin.update']);
    expect(refusals.every((e) => e.actorId === manager.adminId && (e.after as { missing: string[] }).missing[0] === 'manage_provisioning')).toBe(true);
  });

  it('lets an admin act on one whose permissions they all hold, and the owner act on anyone', async () => {
    const manager = await admin({ permissions: ['manage_admins', 'view_logs', 'manage_users'] });
    const lesser = await admin({ permissions: ['view_logs'] });
    const r = await call('PATCH', `/api/admins/${lesser.adminId}`, manager.headers, { name: 'Renamed by a peer', version: await versionOf(lesser.adminId) });
    expect(r.statusCode).toBe(200);
    const stronger = await admin({ permissions: ['manage_admins', 'manage_provisioning'] });
    expect((await call('POST', `/api/admins/${stronger.adminId}/password`, h.owner.headers, {})).statusCode).toBe(200);
    // Only an owner acts on an owner: an admin holding every permission still cannot.
    const everything = await admin({ permissions: ['view_apps', 'assign_apps', 'import_users', 'manage_users', 'manage_provisioning', 'view_logs', 'manage_admins'] });
    const onOwner = await call('POST', `/api/admins/${h.owner.adminId}/password`, everything.headers, {});
    expect(onOwner.statusCode).toBe(403);
    expect(onOwner.json().error.code).toBe('forbidden');
    const otherOwner = await admin({ role: 'owner' });
    expect((await call('POST', `/api/admins/${otherOwner.adminId}/password`, h.owner.headers, {})).statusCode).toBe(200);
  });

  it('revokes the API tokens on a password reset, audits each, and says how many', async () => {
    const target = await admin({ permissions: ['view_logs'] });
    const second = await call('POST', '/api/tokens', target.headers, { name: 'second' });
    expect(second.statusCode).toBe(201);
    const r = await call('POST', `/api/admins/${target.adminId}/password`, h.owner.headers, {});
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ tokensRevoked: 2, sessionsEnded: 0, admin: { mustChangePassword: true } });
    expect((await call('GET', '/api/session', target.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/session', { authorization: `Bearer ${second.json().value}` })).statusCode).toBe(401);
    const rows = await h.t.database.db.select().from(apiTokens).where(eq(apiTokens.adminId, target.adminId));
    expect(rows.every((t) => t.revokedAt !== null)).toBe(true);
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'admin.token.revoke'));
    const mine = audit.filter((e) => (e.after as { adminId: string }).adminId === target.adminId);
    expect(mine).toHaveLength(2);
    expect(mine.every((e) => (e.after as { reason: string }).reason === 'password_reset' && e.actorId === h.owner.adminId)).toBe(true);
    const reset = await h.t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.password.reset'), eq(auditLog.targetId, target.adminId)));
    expect(reset[0]?.after).toMatchObject({ sessionsEnded: 0 });
  });

  it('says how many tokens a disable revoked', async () => {
    const target = await admin({ permissions: ['view_logs'] });
    await signInOverHttp(h.app, target.email, TEST_PASSWORD, '10.20.0.2');
    const r = await call('PATCH', `/api/admins/${target.adminId}`, h.owner.headers, { status: 'disabled', version: await versionOf(target.adminId) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'disabled', tokensRevoked: 1, sessionsEnded: 1 });
    const renamed = await call('PATCH', `/api/admins/${target.adminId}`, h.owner.headers, { name: 'Still disabled', version: r.json().version });
    expect(renamed.json()).not.toHaveProperty('tokensRevoked');
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'admin.token.revoke'));
    expect(audit.filter((e) => (e.after as { adminId: string; reason: string }).adminId === target.adminId).map((e) => (e.after as { reason: string }).reason)).toEqual(['admin_disabled']);
  });

  it("refuses the API tokens of an admin who must change their password, with a clear code, until it is changed", async () => {
    const target = await admin({ permissions: ['view_logs'] });
    await h.t.database.db.update(admins).set({ mustChangePassword: true }).where(eq(admins.id, target.adminId));
    const r = await call('GET', '/api/audit', target.headers);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('password_change_required');
    expect(r.json().error.message).toMatch(/API tokens/);
    const s = await signInOverHttp(h.app, target.email, TEST_PASSWORD, '10.20.0.3');
    const changed = await h.app.inject({ method: 'POST', url: '/api/session/password', headers: s.write, payload: { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-for-tokens' } });
    expect(changed.statusCode).toBe(200);
    expect((await call('GET', '/api/audit', target.headers)).statusCode).toBe(200);
  });
});
