/**
 * Managers named by rows of earlier batches: a real import finds them in the database (its batches
 * committed), a dry run remembers them (nothing is committed); both report the same outcome.
 */
import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { effectivePermissions, type Principal } from '../admins/permissions.ts';
import { users } from '../db/schema.ts';
import { importUsersCsv } from './import-users.ts';

const system: Principal = { adminId: null, email: null, role: 'system', permissions: effectivePermissions('system', []), via: 'system' };

describe.each(openTestDatabase.drivers())('CSV import managers across batches on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  // Batches of two rows: every manager is named by a row of an earlier batch (by email or employee id).
  const csv = (p: string) =>
    [
      'email,employeeId,manager',
      `${p}.boss@example.test,${p}-1,`,
      `${p}.a@example.test,${p}-2,`,
      `${p}.b@example.test,${p}-3,${p}.boss@example.test`,
      `${p}.c@example.test,${p}-4,${p}-2`,
      `${p}.d@example.test,${p}-5,${p}-9`,
      `${p}.e@example.test,${p}-6,${p}-3`,
    ].join('\n');
  const run = (p: string, dryRun: boolean) =>
    importUsersCsv(t.database.db, system, (async function* () { yield csv(p); })(), { dryRun, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 100_000, batchSize: 2 });

  it('resolves managers from earlier batches in a dry run and in a real run alike', async () => {
    const p = `m${driver}`;
    const dry = await run(p, true);
    expect(dry.counts).toMatchObject({ rows: 6, created: 5, failed: 1 });
    expect(dry.errors).toEqual([{ row: 6, field: 'manager', reason: 'no user has this email or employee id' }]);
    expect(await t.database.db.select().from(users).where(like(users.email, `${p}.%`))).toEqual([]);

    const real = await run(p, false);
    expect(real.counts).toEqual(dry.counts);
    expect(real.errors).toEqual(dry.errors);
    const byEmail = new Map((await t.database.db.select().from(users).where(like(users.email, `${p}.%`))).map((u) => [u.email, u]));
    const id = (local: string) => byEmail.get(`${p}.${local}@example.test`)?.id;
    expect(byEmail.get(`${p}.b@example.test`)?.managerId).toBe(id('boss'));
    expect(byEmail.get(`${p}.c@example.test`)?.managerId).toBe(id('a'));
    expect(byEmail.get(`${p}.e@example.test`)?.managerId).toBe(id('b'));
    expect(byEmail.has(`${p}.d@example.test`)).toBe(false);
  });
});
