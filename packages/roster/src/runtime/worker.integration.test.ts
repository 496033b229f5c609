import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config/config.ts';
import type { AnyJobHandler } from '../jobs/handler.ts';
import { enqueue, startQueue, type Queue } from '../jobs/queue.ts';
import { startWorker } from './worker.ts';

const silent = { info: () => undefined, error: () => undefined };
const loaded = loadConfig({ ROSTER_LOG_LEVEL: 'silent' });
if (!loaded.ok) throw new Error(loaded.error.join('\n'));
const runtime = { config: loaded.value, secretKey: Buffer.alloc(32, 7) };

describe.each(openTestDatabase.drivers())('worker on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
  });
  afterAll(async () => {
    // Graceful: the real registry's handlers may still be working a job; the database must outlive them.
    await queue?.stop({ graceful: true, wait: true, timeout: 10_000 });
    await t?.close();
  });

  it('creates its queues, runs a job from the registry it is given, and stops taking jobs', async () => {
    const seen: unknown[] = [];
    let resolveSeen: () => void = () => undefined;
    const handled = new Promise<void>((r) => (resolveSeen = r));
    const handler: AnyJobHandler = {
      queue: 'worker-test',
      pollingIntervalSeconds: 0.5,
      async handle(jobs, ctx) {
        expect(ctx.database).toBe(t.database);
        seen.push(...jobs.map((j) => j.data));
        resolveSeen();
      },
    };
    const worker = await startWorker({ database: t.database, queue, ...runtime, log: silent, handlers: [handler] });
    expect(worker.queues).toEqual(['worker-test']);
    await t.database.db.transaction((tx) => enqueue(queue, tx, 'worker-test', { n: 1 }));
    await handled;
    expect(seen).toEqual([{ n: 1 }]);

    await worker.stop();
    const id = await queue.send('worker-test', { n: 2 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual([{ n: 1 }]);
    expect((await queue.getJobById('worker-test', id as string))?.state).toBe('created');
  });

  it('starts with the real (empty for now) registry', async () => {
    const worker = await startWorker({ database: t.database, queue, ...runtime, log: silent });
    expect(Array.isArray(worker.queues)).toBe(true);
    await worker.stop();
  });
});
