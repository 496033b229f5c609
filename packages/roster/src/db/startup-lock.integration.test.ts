/**
 * Several processes starting at once on one fresh PostgreSQL database (PostgreSQL only: the
 * embedded database has one process by construction). Each `openDatabase` + `startQueue` here has
 * its own pool, as separate processes would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { startQueue } from '../jobs/queue.ts';
import { type Database, openDatabase } from './database.ts';

const serverUrl = process.env['TEST_DATABASE_URL'];

describe('starting together on a fresh PostgreSQL database', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: this test needs PostgreSQL (see README, Tests)');
    scratch = await createScratchDatabase(serverUrl, 'startup_lock');
  });
  afterAll(async () => scratch?.drop());

  it('four processes migrate and install the job queue at the same moment, and all of them start', async () => {
    const opened = await Promise.allSettled([1, 2, 3, 4].map(() => openDatabase({ databaseUrl: scratch.url, dataDir: '', poolSize: 3 })));
    const databases = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const queues = await Promise.allSettled(databases.map((d: Database) => startQueue(d, { supervise: false })));
      try {
        expect(queues.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      } finally {
        await Promise.all(queues.flatMap((q) => (q.status === 'fulfilled' ? [q.value.stop({ graceful: false, wait: true })] : [])));
      }
      const applied = await databases[0]!.raw.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows[0]?.['n']).toBeGreaterThanOrEqual(7);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  }, 120_000);
});
