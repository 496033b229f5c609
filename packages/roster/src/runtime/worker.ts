/**
 * A job worker: registers every handler of the registry on the queue and stops cleanly. Used by
 * `roster worker` (its own process) and by `roster serve` (in-process, unless --no-worker).
 */
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { AnyJobHandler, WorkerContext } from '../jobs/handler.ts';
import { jobHandlers } from './job-handlers.ts';
import { claimJobs, finishClaims } from '../jobs/claims.ts';
import { type Queue, ensureQueues } from '../jobs/queue.ts';
import { startLeaseHolder } from '../provisioning/run/lease-holder.ts';

export interface Worker {
  /** The queues this worker polls. */
  queues: string[];
  /** Stops fetching new jobs; jobs in progress finish when the queue itself stops gracefully. */
  stop(): Promise<void>;
  /**
   * Polls each of its queues now instead of at the end of its polling interval (a queue busy with a
   * job polls again as soon as the job is done). Tests waiting on a job's outcome call it as they
   * poll (test/engine-harness.ts `until`); production never does.
   */
  wake(): void;
}

export async function startWorker(opts: {
  database: Database;
  queue: Queue;
  config: Config;
  secretKey: Buffer;
  log: WorkerContext['log'];
  handlers?: readonly AnyJobHandler[];
  /**
   * TEST ONLY (test/kill/stalling-worker.ts): called after pg-boss handed jobs over and before
   * anything else, to hold a worker in the fetch→claim window until the test kills it. Production
   * never passes it.
   */
  testOnlyAfterFetch?: (queue: string, jobs: readonly { id: string; data: unknown }[]) => Promise<void>;
}): Promise<Worker> {
  const handlers = opts.handlers ?? jobHandlers;
  const resend = new Map(handlers.flatMap((h) => (h.resend ? [[h.queue, h.resend] as const] : [])));
  const ctx: WorkerContext = { database: opts.database, queue: opts.queue, config: opts.config, secretKey: opts.secretKey, log: opts.log, resend };
  const queues = handlers.map((h) => h.queue);
  await ensureQueues(opts.queue, queues);
  // Leases this process takes name it, so others see at once when it dies (provisioning/run/lease-holder.ts).
  const stoppers: (() => Promise<void>)[] = [await startLeaseHolder(opts.database, opts.log)];
  for (const h of handlers) {
    const stop = await h.start?.(ctx);
    if (stop) stoppers.unshift(stop);
  }
  const ids: string[] = [];
  for (const h of handlers) {
    const id = await opts.queue.work(h.queue, { batchSize: h.batchSize ?? 1, pollingIntervalSeconds: h.pollingIntervalSeconds ?? 1 }, async (jobs) => {
      if (opts.testOnlyAfterFetch) await opts.testOnlyAfterFetch(h.queue, jobs);
      // First step: who holds these jobs, so a kill from here on is taken over in seconds (jobs/claims.ts).
      if (h.resend) await claimJobs(opts.database.db, h.queue, jobs).catch((e: unknown) => opts.log.error({ err: e, queue: h.queue }, 'could not claim jobs; a lost one waits for its expiry'));
      try {
        await h.handle(jobs, ctx);
      } catch (e) {
        opts.log.error({ err: e, queue: h.queue, jobs: jobs.map((j) => j.id) }, 'job failed');
        throw e;
      } finally {
        if (h.resend) await finishClaims(opts.database.db, jobs.map((j) => j.id)).catch(() => undefined);
      }
    });
    ids.push(id);
  }
  return {
    queues,
    async stop() {
      for (const q of queues) await opts.queue.offWork(q);
      for (const stop of stoppers) await stop();
    },
    wake() {
      for (const id of ids) opts.queue.notifyWorker(id);
    },
  };
}
