/**
 * The job queue: pg-boss on the same database as the directory, on either driver. A job can be
 * enqueued inside a directory transaction, so it exists exactly when the change commits.
 */
import PgBoss from 'pg-boss';
import type { Database, Executor } from '../db/database.ts';
import { executeText } from '../db/sql-text.ts';
import { withStartupLock } from '../db/startup-lock.ts';

export type Queue = PgBoss;

export interface QueueOptions {
  /** Seconds between polls for new jobs (pg-boss minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** Run pg-boss's maintenance and scheduling in this process. */
  supervise?: boolean;
}

export async function startQueue(database: Database, opts: QueueOptions = {}): Promise<Queue> {
  const common = {
    schema: 'pgboss',
    supervise: opts.supervise ?? true,
    schedule: opts.supervise ?? true,
    migrate: true,
  } as const;
  let stopped = false;
  // PGlite: once the queue has stopped, a handler that outlived the graceful stop may still report its
  // job to pg-boss while the database closes; that write is dropped (the job stays active, and the job
  // claims' watchdog sends it again at the next start) instead of rejecting where nothing catches it.
  // A dropped write still answers in its command's shape: pg-boss reads `rows[0].count` of the
  // complete/fail/cancel commands (`… SELECT COUNT(*) FROM results`), and `rows` of the others.
  const dropped = (text: string) => ({ rows: /select count\(\*\) from results\s*$/i.test(text.trim()) ? [{ count: '0' }] : [] });
  const executeSql = (text: string, values?: unknown[]) => (stopped ? Promise.resolve(dropped(text)) : database.raw.query(text, values));
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ ...common, connectionString: database.connectionString as string, max: 4 })
      : new PgBoss({ ...common, db: { executeSql } });
  const stop = boss.stop.bind(boss);
  boss.stop = async (options) => {
    try {
      await stop(options);
    } finally {
      stopped = true;
    }
  };
  // Errors from pg-boss's background loops are logged by the caller's handler; never unhandled.
  boss.on('error', () => undefined);
  // pg-boss installs its schema on first start: processes starting together on PostgreSQL take turns.
  if (database.driver === 'postgres') await withStartupLock(database.connectionString as string, () => boss.start());
  else await boss.start();
  return boss;
}

/** A pg-boss `db` that runs inside the given drizzle transaction (or database). */
export function inTransaction(executor: Executor): PgBoss.Db {
  return { executeSql: (text, values) => executeText(executor, text, values) };
}

/**
 * Enqueues a job as part of `executor`'s transaction: if the transaction rolls back, the job was
 * never there. The queue must exist (see `ensureQueues`).
 */
export async function enqueue(queue: Queue, executor: Executor, name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  return queue.send(name, data, { ...options, db: inTransaction(executor) });
}

/** Creates the named queues if they do not exist (pg-boss 10 requires a queue before `send`). */
export async function ensureQueues(queue: Queue, names: readonly string[]): Promise<void> {
  const existing = new Set((await queue.getQueues()).map((q) => q.name));
  for (const name of names) if (!existing.has(name)) await queue.createQueue(name);
}
