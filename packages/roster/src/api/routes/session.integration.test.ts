import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSessions, auditLog, loginThrottle } from '../../db/schema.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { TEST_PASSWORD, signInOverHttp } from '../../../test/sign-in.ts';
import { buildApp } from '../app.ts';

describe.each(openTestDatabase.drivers())('sessions on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const admin = (opts: Parameters<typeof createTestAdmin>[1] = {}) => createTestAdmin(h.t.database.db, opts);
  const attempt = (email: string, password: string, remoteAddress: string) =>
    h.app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress });

  it('signs in with an HttpOnly SameSite=Lax cookie and answers who is signed in', async () => {
    const a = await admin({ permissions: ['view_logs'] });
    const r = await attempt(a.email.toUpperCase(), TEST_PASSWORD, '10.0.0.1');
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((c) => c.name === 'roster_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(r.json()).toMatchObject({ admin: { id: a.adminId, email: a.email, role: 'admin', permissions: ['view_logs'] }, csrfToken: expect.any(String) });
    expect(r.body).not.toMatch(/hash/i);
    // Only the cookie's sha256 is stored.
    const stored = await h.t.database.db.select().from(adminSessions).where(eq(adminSessions.adminId, a.adminId));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.idHash).not.toBe(cookie?.value);

    const me = await h.app.inject({ url: '/api/session', headers: { cookie: `roster_session=${cookie?.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ admin: { id: a.adminId }, csrfToken: r.json().csrfToken });
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const { app } = await buildApp({ database: h.t.database, config: { ...h.ctx.config, publicUrl: 'https://roster.example.com' } });
    try {
      const a = await admin();
      const r = await app.inject({ method: 'POST', url: '/api/session', payload: { email: a.email, password: TEST_PASSWORD }, remoteAddress: '10.0.0.2' });
      expect(r.cookies.find((c) => c.name === 'roster_session')?.secure).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('refuses an unsafe request by session without the CSRF header, and accepts it with the header', async () => {
    const a = await admin();
    const s = await signInOverHttp(h.app, a.email, TEST_PASSWORD, '10.0.0.3');
    const without = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: s.read, payload: { name: 'x' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error).toMatchObject({ code: 'csrf_failed', issues: [{ path: 'headers.x-csrf-token' }] });
    const wrong = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: { ...s.read, 'x-csrf-token': 'nope' }, payload: { name: 'x' } });
    expect(wrong.statusCode).toBe(403);
    const withHeader = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: s.write, payload: { name: 'x' } });
    expect(withHeader.statusCode).toBe(201);
  });

  it('signs out: the row is deleted, the cookie cleared, and the old cookie no longer works', async () => {
    const a = await admin();
    const s = await signInOverHttp(h.app, a.email, TEST_PASSWORD, '10.0.0.4');
    expect((await h.app.inject({ method: 'DELETE', url: '/api/session', headers: s.read })).statusCode).toBe(403);
    const out = await h.app.inject({ method: 'DELETE', url: '/api/session', headers: s.write });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'roster_session');
    expect(cleared?.value).toBe('');
    expect(await h.t.database.db.select().from(adminSessions).where(eq(adminSessions.adminId, a.adminId))).toHaveLength(0);
    const me = await h.app.inject({ url: '/api/session', headers: s.read });
    expect(me.statusCode).toBe(401);
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.actorId, a.adminId));
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['session.create', 'session.delete']));
  });

  it('answers an unknown email and a wrong password alike, and audits both without the password', async () => {
    const a = await admin();
    const unknown = await attempt('nobody-here@example.test', 'whatever-password-1', '10.0.0.5');
    const wrong = await attempt(a.email, 'wrong-password-123', '10.0.0.5');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('invalid_credentials');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    const failed = await h.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'session.failed'));
    const mine = failed.filter((e) => ['nobody-here@example.test', a.email].includes(e.actorEmail ?? ''));
    expect(mine.map((e) => (e.after as { reason: string }).reason).sort()).toEqual(['unknown_email', 'wrong_password']);
    expect(JSON.stringify(mine)).not.toMatch(/whatever-password|wrong-password/);
  });

  it('throttles an email from one address with growing delays, never locking it for other addresses', async () => {
    const a = await admin();
    for (let i = 0; i < 5; i++) expect((await attempt(a.email, `wrong-password-${i}`, '10.0.1.1')).statusCode).toBe(401);
    // Locked from that address: even the right password is refused, with Retry-After.
    const locked = await attempt(a.email, TEST_PASSWORD, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The owner of the account, elsewhere, signs in as usual.
    expect((await attempt(a.email, TEST_PASSWORD, '10.0.1.2')).statusCode).toBe(200);

    // The delay grows: once the first lock ends, the next failure locks for two minutes.
    const key = `email-ip:${a.email.toLowerCase()}|10.0.1.1`;
    await h.t.database.db.update(loginThrottle).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(loginThrottle.key, key));
    expect((await attempt(a.email, 'wrong-again-1', '10.0.1.1')).statusCode).toBe(401);
    const longer = await attempt(a.email, TEST_PASSWORD, '10.0.1.1');
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(110);

    // A success from that address, once unlocked, forgets the pair's failures.
    await h.t.database.db.update(loginThrottle).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(loginThrottle.key, key));
    expect((await attempt(a.email, TEST_PASSWORD, '10.0.1.1')).statusCode).toBe(200);
    expect(await h.t.database.db.select().from(loginThrottle).where(eq(loginThrottle.key, key))).toHaveLength(0);
    for (let i = 0; i < 4; i++) await attempt(a.email, `wrong-later-${i}`, '10.0.1.1');
    expect((await attempt(a.email, TEST_PASSWORD, '10.0.1.1')).statusCode).toBe(200);
  });

  it('does not let failures from many addresses lock an email out of another one', async () => {
    const a = await admin();
    for (let n = 0; n < 4; n++) for (let i = 0; i < 6; i++) await attempt(a.email, `guess-${n}-${i}`, `10.0.5.${n}`);
    expect((await attempt(a.email, TEST_PASSWORD, '10.0.5.100')).statusCode).toBe(200);
  });

  it('locks a client address after 20 failures across emails', async () => {
    for (let i = 0; i < 20; i++) expect((await attempt(`spray${i}@example.test`, 'guess-password-1', '10.0.2.1')).statusCode).toBe(401);
    const a = await admin();
    const locked = await attempt(a.email, TEST_PASSWORD, '10.0.2.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(a.email, TEST_PASSWORD, '10.0.2.2')).statusCode).toBe(200);
  });

  it('slides the expiry on use and refuses an expired session', async () => {
    const a = await admin();
    const s = await signInOverHttp(h.app, a.email, TEST_PASSWORD, '10.0.3.1');
    const db = h.t.database.db;
    await db.update(adminSessions).set({ lastSeenAt: sql`now() - interval '5 minutes'`, expiresAt: sql`now() + interval '1 minute'` }).where(eq(adminSessions.adminId, a.adminId));
    expect((await h.app.inject({ url: '/api/session', headers: s.read })).statusCode).toBe(200);
    const [row] = await db.select().from(adminSessions).where(eq(adminSessions.adminId, a.adminId));
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(11 * 3600_000);
    await db.update(adminSessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(adminSessions.adminId, a.adminId));
    expect((await h.app.inject({ url: '/api/session', headers: s.read })).statusCode).toBe(401);
  });

  it('holds a one-time password session to changing the password first', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/api/admins', headers: h.owner.headers, payload: { email: `otp-${Date.now()}@example.test`, name: 'Otp' } });
    expect(created.statusCode).toBe(201);
    const { admin: made, oneTimePassword } = created.json() as { admin: { email: string; mustChangePassword: boolean }; oneTimePassword: string };
    expect(made.mustChangePassword).toBe(true);
    const s = await signInOverHttp(h.app, made.email, oneTimePassword, '10.0.4.1');
    expect(s.body).toMatchObject({ admin: { mustChangePassword: true } });

    const blocked = await h.app.inject({ url: '/api/tokens', headers: s.read });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect((await h.app.inject({ url: '/api/session', headers: s.read })).statusCode).toBe(200);

    const change = (payload: object) => h.app.inject({ method: 'POST', url: '/api/session/password', headers: s.write, payload, remoteAddress: '10.0.4.1' });
    const wrongCurrent = await change({ currentPassword: 'not-it-at-all', newPassword: 'a-brand-new-password' });
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().error.issues).toEqual([{ path: 'body.currentPassword', reason: 'is wrong' }]);
    const short = await change({ currentPassword: oneTimePassword, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.issues[0].path).toBe('body.newPassword');
    const ok = await change({ currentPassword: oneTimePassword, newPassword: 'a-brand-new-password' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().admin.mustChangePassword).toBe(false);

    expect((await h.app.inject({ url: '/api/tokens', headers: s.read })).statusCode).toBe(200);
    await expect(signInOverHttp(h.app, made.email, oneTimePassword, '10.0.4.2')).rejects.toThrow(/401/);
    await signInOverHttp(h.app, made.email, 'a-brand-new-password', '10.0.4.2');
  });

  it('rejects unknown fields in the sign-in body', async () => {
    const r = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: 'a@b.c', password: 'x', remember: true } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues).toContainEqual({ path: 'body.remember', reason: 'unknown field' });
  });
});
