/**
 * Who holds a lease, and how another process knows the holder died without waiting for its heartbeat
 * to go stale (issue 11, item 4).
 *
 * - **PostgreSQL**: each process takes a session-level advisory lock on a key of its own, on a
 *   dedicated connection it keeps for its whole life, and writes `pg:<key>:<pid>` into the leases it
 *   takes. The server releases that lock the moment the process's connection drops (SIGKILL, crash,
 *   lost machine), so a lease whose holder's lock is no longer in `pg_locks` is dead at once.
 * - **PGlite**: one process owns the data folder, so a lease written in another boot (`boot:<id>:<pid>`)
 *   belongs to a process that no longer exists and is dead as soon as this one starts.
 *
 * A lease taken by a database with no holder started (unit tests) carries none and dies by heartbeat.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';

/** Lease renewal period. */
export const HEARTBEAT_MS = 2_000;
/** A lease whose heartbeat is older than this is dead even if its holder looks alive (a hung process; holder-less leases). */
export const LEASE_STALE_SECONDS = 10;

/** The advisory-lock namespace of lease holders ('Rost'): pg_locks shows it as `classid`. */
export const HOLDER_LOCK_SPACE = 0x526f7374;
/** This process's boot: leases of an earlier boot on PGlite are dead. */
export const BOOT_ID = crypto.randomUUID();

interface Holder {
  current: string | null;
  users: number;
  close(): Promise<void>;
}

const holders = new WeakMap<Db, Holder>();

/** The holder to write into a lease taken on `db` (null: no holder started on it). */
export function holderOf(db: Db): string | null {
  return holders.get(db)?.current ?? null;
}

/**
 * Starts (or shares) this process's lease holder on `database`; the returned function gives it up.
 * Every worker starts one; a process with several workers on one database shares it.
 */
export async function startLeaseHolder(database: Database, log?: { error(obj: object, msg?: string): void }): Promise<() => Promise<void>> {
  const existing = holders.get(database.db);
  if (existing) {
    existing.users += 1;
    return () => release(database.db);
  }
  const holder: Holder =
    database.driver === 'postgres' && database.connectionString
      ? await pgHolder(database.connectionString, log)
      : { current: `boot:${BOOT_ID}:${process.pid}`, users: 1, close: async () => undefined };
  holders.set(database.db, holder);
  return () => release(database.db);
}

async function release(db: Db): Promise<void> {
  const h = holders.get(db);
  if (!h) return;
  h.users -= 1;
  if (h.users > 0) return;
  holders.delete(db);
  await h.close();
}

async function pgHolder(connectionString: string, log?: { error(obj: object, msg?: string): void }): Promise<Holder> {
  let client: pg.Client | null = null;
  let closed = false;
  const holder: Holder = {
    current: null,
    users: 1,
    async close() {
      closed = true;
      holder.current = null;
      await client?.end().catch(() => undefined);
    },
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'roster-lease-holder' });
    // A dropped connection released the lock: leases written with it are dead to everyone now; take a new key.
    const lost = () => {
      if (client !== c) return;
      client = null;
      holder.current = null;
      if (closed) return;
      log?.error({}, 'the lease-holder connection dropped; its leases are taken over by other workers; reconnecting');
      setTimeout(() => void connect().catch(() => setTimeout(lost, 1_000)), 1_000).unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    for (;;) {
      const key = 1 + crypto.randomInt(0x7ffffffe);
      const r = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int, $2::int) as ok', [HOLDER_LOCK_SPACE, key]);
      if (r.rows[0]?.ok) {
        client = c;
        holder.current = `pg:${key}:${process.pid}`;
        return;
      }
    }
  };
  await connect();
  return holder;
}

/**
 * SQL true when the holder named by `holderColumn` is gone: its PostgreSQL session no longer holds
 * its advisory lock, or (PGlite) it was written by an earlier boot. False for no holder.
 */
export function holderGone(holderColumn: SQL): SQL {
  const h = sql`coalesce(${holderColumn}, '')`;
  return sql`(
    (${h} like 'pg:%' and not exists (
      select 1 from pg_locks l
      where l.locktype = 'advisory' and l.granted and l.objsubid = 2
        and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = ${HOLDER_LOCK_SPACE}::oid and l.objid::text = split_part(${h}, ':', 2)))
    or (${h} like 'boot:%' and split_part(${h}, ':', 2) <> ${BOOT_ID}::text))`;
}

/** SQL true for a `provisioning_cycles` lease whose worker is gone: its holder died, or its heartbeat is stale. */
export function leaseDead(): SQL {
  return sql`(${provisioningCycles.heartbeatAt} < now() - make_interval(secs => ${LEASE_STALE_SECONDS}) or ${holderGone(sql`${provisioningCycles.holder}`)})`;
}
