/**
 * Processes started together on one fresh PostgreSQL database (a fleet rolling out, `roster serve`
 * beside `roster worker`s) would each create the same tables at once: drizzle's migrator and
 * pg-boss's installer both race, and all but one process exit (`CREATE TABLE … already exists`, or
 * a deadlock). A session-level advisory lock, held on its own connection, makes them take turns;
 * the ones that wait then find the schema in place and do nothing.
 */
import pg from 'pg';

/** One fixed key for every Roster process sharing a database ("roster" in ASCII). */
const STARTUP_LOCK_KEY = 0x726f73746572;

export async function withStartupLock<T>(connectionString: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
