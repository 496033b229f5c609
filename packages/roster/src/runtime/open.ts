/**
 * Opening the database with visible progress (creating PGlite's data folder takes seconds on first
 * start, and a silent terminal looks hung), holding the embedded folder's lock while it is open.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { describeDatabase } from './banner.ts';
import { lockDataDir } from './data-lock.ts';

export interface OpenedDatabase {
  database: Database;
  /** For the banner: which database, without passwords. */
  description: string;
}

export async function openConfiguredDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, print: (line: string) => void): Promise<OpenedDatabase> {
  const where = config.databaseUrl ?? path.join(config.dataDir, 'pglite');
  const description = describeDatabase(config.databaseUrl ? 'postgres' : 'pglite', where);
  const fresh = !config.databaseUrl && !existsSync(path.join(where, 'PG_VERSION'));
  print(fresh ? `Creating the embedded database in ${where} (first start: takes a few seconds)…` : `Opening ${description} and applying migrations…`);
  const lock = config.databaseUrl ? undefined : await lockDataDir(config.dataDir);
  const started = Date.now();
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    await lock?.release();
    throw e;
  }
  print(`Database ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  const close = database.close;
  return {
    database: {
      ...database,
      async close() {
        await close();
        await lock?.release();
      },
    },
    description,
  };
}
