/**
 * Vitest global setup of the integration project: one migrated PGlite data folder per run, copied
 * by each test file; with TEST_DATABASE_URL, also one migrated PostgreSQL database per run that each
 * test file's database is created from (`create database … template …`) instead of migrating it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { createScratchDatabase } from './scratch-database.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const templateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-test-template-'));
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const [, pgTemplate] = await Promise.all([
    (async () => {
      const database = await openDatabase({ dataDir: templateDir });
      await database.close();
    })(),
    (async () => {
      if (!serverUrl) return undefined;
      const scratch = await createScratchDatabase(serverUrl, 'roster_template');
      try {
        const database = await openDatabase({ databaseUrl: scratch.url, dataDir: os.tmpdir(), poolSize: 1 });
        await database.close();
      } catch (e) {
        await scratch.drop().catch(() => undefined);
        throw e;
      }
      return scratch;
    })(),
  ]);
  // Test workers are forked after this and inherit the environment.
  process.env['ROSTER_TEST_TEMPLATE'] = templateDir;
  if (pgTemplate) process.env['ROSTER_TEST_PG_TEMPLATE'] = pgTemplate.name;
  return async () => {
    await fs.rm(templateDir, { recursive: true, force: true });
    await pgTemplate?.drop();
  };
}
