/**
 * A CSV import whose process dies part-way: its run keeps the counts of the committed batches, and
 * the next start marks it interrupted instead of leaving it `running` forever.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { effectivePermissions, type Principal } from '../admins/permissions.ts';
import { importRuns, users } from '../db/schema.ts';
import { importUsersCsv } from './import-users.ts';
import { markInterruptedImports } from './import-runs.ts';

const system: Principal = { adminId: null, email: null, role: 'system', permissions: effectivePermissions('system', []), via: 'system' };

/** A CSV upload that sends `rows` rows and then never ends, as a client whose server process is killed mid-import. */
async function* stalledUpload(prefix: string, rows: number): AsyncGenerator<string> {
  yield 'email,givenName\n';
  for (let i = 0; i < rows; i++) yield `${prefix}.${i}@stalled.example,Row${i}\n`;
  await new Promise(() => undefined);
}

describe.each(openTestDatabase.drivers())('interrupted CSV imports on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  const runsOf = () => t.database.db.select().from(importRuns).where(eq(importRuns.status, 'running'));

  it('keeps the committed counts while running and is marked interrupted, with them, on the next start', async () => {
    const prefix = `p${driver}`;
    void importUsersCsv(t.database.db, system, stalledUpload(prefix, 2_500), { dryRun: false, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 10_000_000, batchSize: 1000 });
    // Two batches of 1,000 commit; the last 500 rows wait for an end of file that never comes.
    await expect
      .poll(async () => (await runsOf()).find((r) => (r.counts['created'] ?? 0) >= 2000)?.counts, { timeout: 30_000, interval: 100 })
      .toMatchObject({ created: 2000, rows: 2000, failed: 0 });
    const [committed] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(users).where(sql`${users.email} like ${`${prefix}.%`}`);
    expect(Number(committed?.n)).toBe(2000);
    const [run] = await runsOf();

    // Another process's import that is alive (fresh heartbeat) is left alone on PostgreSQL…
    expect(await markInterruptedImports(t.database.db, { everyRunning: false })).toBe(0);
    // …and a start that knows no other process can be importing (PGlite), or a stale heartbeat, marks it.
    await t.database.db.update(importRuns).set({ heartbeatAt: sql`now() - interval '11 minutes'` }).where(eq(importRuns.id, run!.id));
    expect(await markInterruptedImports(t.database.db, { everyRunning: driver === 'pglite' })).toBe(1);
    const [after] = await t.database.db.select().from(importRuns).where(eq(importRuns.id, run!.id));
    expect(after).toMatchObject({ status: 'interrupted', counts: { created: 2000, rows: 2000 } });
    expect(after?.finishedAt).toBeInstanceOf(Date);
    expect(after?.errors.at(-1)).toMatchObject({ row: 2001, reason: expect.stringMatching(/^interrupted: /) });
    expect(await markInterruptedImports(t.database.db, { everyRunning: true })).toBe(0);
  });
});
