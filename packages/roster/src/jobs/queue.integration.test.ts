import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { enqueue, ensureQueues, startQueue, type Queue } from './queue.ts';
import { outbox } from '../db/schema.ts';

describe.each(openTestDatabase.drivers())('job queue on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
    await ensureQueues(queue, ['tx-test']);
  });
  afterAll(async () => {
    await queue?.stop({ graceful: false, wait: true });
    await t?.close();
  });

  it('keeps a job enqueued in a committed transaction, with the row written beside it', async () => {
    const id = await t.database.db.transaction(async (tx) => {
      await tx.insert(outbox).values({ entityType: 'user', entityId: 'committed', op: 'created' });
      return enqueue(queue, tx, 'tx-test', { marker: 'committed' });
    });
    expect(id).toBeTruthy();
    const job = await queue.getJobById('tx-test', id as string);
    expect(job?.data).toEqual({ marker: 'committed' });
  });

  it('drops a job enqueued in a transaction that rolls back, together with the row', async () => {
    let jobId: string | null = null;
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.insert(outbox).values({ entityType: 'user', entityId: 'rolled-back', op: 'created' });
        jobId = await enqueue(queue, tx, 'tx-test', { marker: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(jobId).toBeTruthy();
    expect(await queue.getJobById('tx-test', jobId as unknown as string)).toBeNull();
    const rows = await t.database.db.execute(sql`select count(*)::int as n from outbox where entity_id = 'rolled-back'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
  });

  it('delivers a committed job to a worker', async () => {
    const seen = new Promise<unknown>((resolve) => {
      void queue.work('tx-test-work', { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job?.data));
    });
    await ensureQueues(queue, ['tx-test-work']);
    await t.database.db.transaction((tx) => enqueue(queue, tx, 'tx-test-work', { hello: 'worker' }));
    await expect(seen).resolves.toEqual({ hello: 'worker' });
  });
});

describe('a PGlite queue after it stopped', () => {
  it('answers a late job report in its command shape (no unhandled TypeError), and the job stays as it was', async () => {
    const t = await openTestDatabase('pglite');
    try {
      const queue = await startQueue(t.database, { supervise: false });
      await ensureQueues(queue, ['late-report']);
      const id = (await queue.send('late-report', { n: 1 })) as string;
      await queue.stop({ graceful: false, wait: true });
      // A handler that outlived the stop reports its job: pg-boss reads `rows[0].count` of these answers.
      await expect(queue.complete('late-report', id)).resolves.toMatchObject({ jobs: [id], affected: 0 });
      await expect(queue.fail('late-report', id, { message: 'late' })).resolves.toMatchObject({ affected: 0 });
      const [row] = (await t.database.raw.query(`select state from pgboss.job where id = $1`, [id])).rows as { state: string }[];
      expect(row?.state).toBe('created');
    } finally {
      await t.close();
    }
  });
});
