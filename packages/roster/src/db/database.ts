/**
 * Opens the one database Roster uses: embedded PGlite in a folder by default, PostgreSQL when a
 * URL is given. Both are driven through the same drizzle schema, so everything above this module
 * sees one `Db` type.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { withStartupLock } from './startup-lock.ts';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as coreSchema from './schema.ts';
import * as provisioningSchema from './provisioning-schema.ts';
import * as peopleSchema from './people-schema.ts';
import * as ssoSchema from './sso-schema.ts';

const schema = { ...coreSchema, ...provisioningSchema, ...peopleSchema, ...ssoSchema };

export type Schema = typeof coreSchema & typeof provisioningSchema & typeof peopleSchema & typeof ssoSchema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: functions that write take this. */
export type Executor = Db | Tx;

/** A raw SQL client, for pg-boss and for code that needs driver-level access. */
export interface RawSql {
  /** Runs one statement with `$n` parameters, or several statements when there are no parameters. */
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface Database {
  driver: 'pglite' | 'postgres';
  db: Db;
  raw: RawSql;
  /** Where PostgreSQL lives, for pg-boss to open its own pool (postgres driver only). */
  connectionString: string | undefined;
  close(): Promise<void>;
}

/** Buffer pool of the embedded database (PostgreSQL's own setting; PGlite defaults to 128MB). */
export const PGLITE_SHARED_BUFFERS = '64MB';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface OpenOptions {
  /** PostgreSQL URL; when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's data; `memory://` for an in-memory instance. */
  dataDir: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : await openPglite(opts.dataDir);
  if (opts.migrate !== false) {
    try {
      await migrateDatabase(database);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

async function openPglite(dataDir: string): Promise<Database> {
  const target = dataDir.startsWith('memory://') ? dataDir : path.join(dataDir, 'pglite');
  if (!target.startsWith('memory://')) await fs.mkdir(target, { recursive: true });
  // A laptop-sized buffer pool: PGlite's 128 MB default costs that much resident memory once a large
  // import has touched it, and the operating system's file cache backs the smaller pool.
  const client = await PGlite.create(target, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    driver: 'pglite',
    db,
    raw: {
      async query(text, values) {
        // PGlite's `query` takes one statement; parameterless multi-statement SQL (pg-boss's
        // migrations) goes to `exec`, which returns one result per statement.
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
        }
        const r = await client.query<Record<string, unknown>>(text, values);
        return { rows: r.rows };
      },
    },
    connectionString: undefined,
    close: () => client.close(),
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    driver: 'postgres',
    db,
    raw: {
      async query(text, values) {
        const r = await pool.query(text, values as unknown[] | undefined);
        const last = Array.isArray(r) ? r.at(-1) : r;
        return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
      },
    },
    connectionString: url,
    close: () => pool.end(),
  };
}

/** Applies the versioned SQL migrations in `packages/roster/migrations`. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.driver === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    await withStartupLock(database.connectionString as string, () => migratePg(database.db as never, { migrationsFolder }));
  }
}
