import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/database.ts';
import { admins, auditLog } from '../db/schema.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { DEFAULT_OWNER_EMAIL, ensureOwner } from './bootstrap.ts';
import { verifyPassword } from './secrets.ts';

describe.each(openTestDatabase.drivers())('owner bootstrap on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.database.db.delete(admins);
  });

  const owners = () => t.database.db.select().from(admins).where(eq(admins.role, 'owner'));

  it('creates the owner from the configured email and password, once', async () => {
    const first = await ensureOwner(t.database.db, { email: 'boss@acme.test', password: 'configured-password-1' });
    expect(first).toEqual({ created: true, email: 'boss@acme.test' });
    const [row] = await owners();
    expect(row).toMatchObject({ email: 'boss@acme.test', role: 'owner', status: 'active', mustChangePassword: false });
    expect(await verifyPassword('configured-password-1', row!.passwordHash)).toBe(true);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, row!.id));
    expect(audit.map((a) => [a.action, a.via])).toEqual([['admin.bootstrap', 'system']]);

    const again = await ensureOwner(t.database.db, { email: 'someone-else@acme.test', password: 'another-password-1' });
    expect(again).toEqual({ created: false, email: 'boss@acme.test' });
    expect(await owners()).toHaveLength(1);
  });

  it('without a password, creates owner@roster.local with a one-time password that must be changed', async () => {
    const r = await ensureOwner(t.database.db);
    expect(r.created).toBe(true);
    expect(r.email).toBe(DEFAULT_OWNER_EMAIL);
    expect(r.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const [row] = await owners();
    expect(row?.mustChangePassword).toBe(true);
    expect(await verifyPassword(r.oneTimePassword!, row!.passwordHash)).toBe(true);
    expect((await ensureOwner(t.database.db)).oneTimePassword).toBeUndefined();
  });

  it('creates exactly one owner when several processes start at once', async () => {
    // On PostgreSQL each caller gets its own pool, as separate processes would.
    const extra: Database[] = [];
    if (t.location.databaseUrl) {
      for (let i = 0; i < 2; i++) extra.push(await openDatabase({ databaseUrl: t.location.databaseUrl, dataDir: t.location.dataDir, migrate: false, poolSize: 2 }));
    }
    try {
      const dbs = [t.database.db, t.database.db, ...extra.map((d) => d.db)];
      const results = await Promise.all(dbs.map((db) => ensureOwner(db, { email: 'race@acme.test', password: 'configured-password-1' })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.email))).toEqual(new Set(['race@acme.test']));
      expect(await owners()).toHaveLength(1);
    } finally {
      for (const d of extra) await d.close();
    }
  });

  it('refuses a configured password shorter than 12 characters, naming the variable', async () => {
    await expect(ensureOwner(t.database.db, { password: 'short' })).rejects.toMatchObject({ code: 'validation_failed', issues: [{ path: 'ROSTER_ADMIN_PASSWORD' }] });
    expect(await owners()).toHaveLength(0);
  });
});
