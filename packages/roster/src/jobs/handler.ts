/**
 * What a job handler is and what it gets. The queue knows no job: each domain exports its handlers
 * and the worker's entry point (runtime/job-handlers.ts) registers them.
 */
import type PgBoss from 'pg-boss';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Queue } from './queue.ts';

/** What a handler gets besides its jobs: the database, the queue (to enqueue follow-ups), the configuration, the secret key and a logger. */
export interface WorkerContext {
  database: Database;
  queue: Queue;
  /** The process configuration (target URL templates already pointed at the embedded sandbox when one runs). */
  config: Config;
  /** The 32-byte key that decrypts stored connection secrets (db/crypto.ts). */
  secretKey: Buffer;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void; warn?(obj: object, msg?: string): void };
  /** The claimed queues this worker runs, with the options a lost job of each is sent again with (jobs/claims.ts). */
  resend?: ReadonlyMap<string, PgBoss.SendOptions>;
}

/** One queue and the function that works its jobs. A thrown error fails the batch; pg-boss retries it. */
export interface JobHandler<T extends object = object> {
  queue: string;
  /** Jobs fetched per call (default 1). */
  batchSize?: number;
  /** Seconds between polls when the queue is empty (default 1; pg-boss minimum 0.5). */
  pollingIntervalSeconds?: number;
  handle(jobs: PgBoss.Job<T>[], ctx: WorkerContext): Promise<void>;
  /**
   * Claimed queue: the worker records a claim for each job before handling it, and a job whose
   * worker dies (even before its run recorded anything) is sent again within seconds with these
   * options (jobs/claims.ts). Absent: a lost job waits for pg-boss's expiry (relay, tick, emails).
   */
  resend?: PgBoss.SendOptions;
  /**
   * Runs once when a worker starts, after the queues exist (e.g. to register a pg-boss schedule). May
   * return a function the worker calls when it stops (e.g. to end a timer it started).
   */
  start?(ctx: WorkerContext): Promise<void | (() => Promise<void>)>;
}

// Widened on purpose: handlers for different payloads share one list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler narrows its own payload type
export type AnyJobHandler = JobHandler<any>;
