import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiTokens, auditLog } from '../../db/schema.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';

describe.each(openTestDatabase.drivers())('personal API tokens on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const admin = () => createTestAdmin(h.t.database.db, { permissions: ['view_logs'] });
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  it('creates a token shown once, lists it without value or hash, uses it, then revokes it', async () => {
    const a = await admin();
    const created = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: 'ci script', expiresInDays: 30 } });
    expect(created.statusCode).toBe(201);
    const { token, value } = created.json() as { token: { id: string; prefix: string; expiresAt: string }; value: string };
    expect(value).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(value.slice(0, 12));
    expect(new Date(token.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const list = await h.app.inject({ url: '/api/tokens', headers: a.headers });
    expect(list.json().items.map((t: { name: string }) => t.name)).toEqual(['ci script', 'test']);
    expect(list.body).not.toContain(value);
    expect(list.body).not.toMatch(/hash/i);

    const use = await h.app.inject({ url: '/api/session', headers: bearer(value) });
    expect(use.statusCode).toBe(200);
    expect(use.json()).toMatchObject({ admin: { id: a.adminId }, csrfToken: null });
    const [row] = await h.t.database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);

    const revoke = await h.app.inject({ method: 'DELETE', url: `/api/tokens/${token.id}`, headers: a.headers });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedAt).toEqual(expect.any(String));
    const after = await h.app.inject({ url: '/api/session', headers: bearer(value) });
    expect(after.statusCode).toBe(401);

    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, token.id));
    expect(audit.map((e) => e.action).sort()).toEqual(['admin.token.create', 'admin.token.revoke']);
    expect(JSON.stringify(audit)).not.toContain(value);
  });

  it('writes lastUsedAt at most once a minute, without an UPDATE on the calls in between', async () => {
    const a = await admin();
    const { token, value } = (await h.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: 'busy script' } })).json() as { token: { id: string }; value: string };
    expect((await h.app.inject({ url: '/api/session', headers: bearer(value) })).statusCode).toBe(200);
    const db = h.ctx.db;
    const lastUsed = async () => (await db.select({ at: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, token.id)))[0]?.at;
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    // Observes the real database's update calls; nothing is replaced.
    const updates = vi.spyOn(db, 'update');
    try {
      for (let i = 0; i < 3; i++) expect((await h.app.inject({ url: '/api/session', headers: bearer(value) })).statusCode).toBe(200);
      expect(updates).not.toHaveBeenCalled();
      expect(await lastUsed()).toEqual(first);
      await db.update(apiTokens).set({ lastUsedAt: sql`now() - interval '2 minutes'` }).where(eq(apiTokens.id, token.id));
      updates.mockClear();
      await h.app.inject({ url: '/api/session', headers: bearer(value) });
      expect(updates).toHaveBeenCalledTimes(1);
      expect((await lastUsed())!.getTime()).toBeGreaterThan(Date.now() - 30_000);
    } finally {
      updates.mockRestore();
    }
  });

  it('refuses an expired token', async () => {
    const a = await admin();
    const created = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: 'short-lived', expiresInDays: 1 } });
    const { token, value } = created.json() as { token: { id: string }; value: string };
    expect((await h.app.inject({ url: '/api/tokens', headers: bearer(value) })).statusCode).toBe(200);
    await h.t.database.db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.id, token.id));
    const r = await h.app.inject({ url: '/api/tokens', headers: bearer(value) });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthenticated');
  });

  it("cannot see or revoke another admin's token through /api/tokens", async () => {
    const a = await admin();
    const b = await admin();
    const created = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: 'mine' } });
    const id = created.json().token.id as string;
    expect(created.json().token.expiresAt).toBeNull();
    const list = await h.app.inject({ url: '/api/tokens', headers: b.headers });
    expect(list.json().items.map((t: { id: string }) => t.id)).not.toContain(id);
    const r = await h.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: b.headers });
    expect(r.statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/tokens', headers: bearer(created.json().value) })).statusCode).toBe(200);
  });

  it('names bad input: empty name, expiry out of range, unknown field', async () => {
    const a = await admin();
    const r = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: ' ', expiresInDays: 0, scope: 'all' } });
    expect(r.statusCode).toBe(400);
    const paths = r.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.expiresInDays', 'body.scope']));
    expect((await h.app.inject({ url: '/api/tokens' })).statusCode).toBe(401);
  });
});
