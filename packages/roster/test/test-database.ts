/**
 * Databases for integration tests. PGlite: a migrated data folder is made once per run (see
 * global-setup.ts) and copied for each test file, because creating one takes seconds. PostgreSQL
 * (when TEST_DATABASE_URL is set): a fresh database per test file on that server, dropped after,
 * created from the run's migrated template database (global-setup.ts) when there is one.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Database, openDatabase } from '../src/db/database.ts';
import { createScratchDatabase, pgTemplateOf } from './scratch-database.ts';

export type Driver = 'pglite' | 'postgres';

export interface TestDatabase {
  driver: Driver;
  database: Database;
  /** The PGlite data folder or the PostgreSQL URL, to open a second connection (e.g. a CLI). */
  location: { dataDir: string; databaseUrl?: string };
  close(): Promise<void>;
}

/** Made per vitest run by global-setup.ts (so concurrent runs do not share it), passed by environment. */
export const templateDirOf = (): string | undefined => process.env['ROSTER_TEST_TEMPLATE'];

function testDatabaseUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL'];
  return url && url.length > 0 ? url : undefined;
}

/** Copies this run's migrated PGlite template into `<dataDir>/pglite` (no-op without a template). */
export async function copyTemplateInto(dataDir: string): Promise<void> {
  const templateDir = templateDirOf();
  if (templateDir) await fs.cp(path.join(templateDir, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
}

async function openPglite(): Promise<TestDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-test-'));
  // Without a template (a run without global setup) PGlite creates and migrates a fresh folder.
  await copyTemplateInto(dataDir);
  const database = await openDatabase({ dataDir });
  return {
    driver: 'pglite',
    database,
    location: { dataDir },
    async close() {
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(serverUrl: string): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(serverUrl, 'roster_test', { template: pgTemplateOf() });
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: os.tmpdir(), poolSize: 5 });
  return {
    driver: 'postgres',
    database,
    location: { dataDir: os.tmpdir(), databaseUrl: scratch.url },
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * Opens a migrated, empty database on the given driver. Always `close()` it. PostgreSQL: on the server
 * of `serverUrl` (default TEST_DATABASE_URL), e.g. a benchmark's.
 */
export async function openTestDatabase(driver: Driver = 'pglite', opts: { serverUrl?: string } = {}): Promise<TestDatabase> {
  if (driver === 'pglite') return openPglite();
  const url = opts.serverUrl ?? testDatabaseUrl();
  if (!url) throw new Error('TEST_DATABASE_URL is not set, so the postgres driver cannot be tested');
  return openPostgres(url);
}

/** The drivers this run tests: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
openTestDatabase.drivers = (): Driver[] => (testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite']);
