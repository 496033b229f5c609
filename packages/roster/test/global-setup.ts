/** Vitest global setup: one migrated PGlite data folder per run, copied by each test file. */
import fs from 'node:fs/promises';
import { openDatabase } from '../src/db/database.ts';
import { templateDir } from './test-database.ts';

export default async function setup(): Promise<() => Promise<void>> {
  await fs.rm(templateDir, { recursive: true, force: true });
  const database = await openDatabase({ dataDir: templateDir });
  await database.close();
  return async () => {
    await fs.rm(templateDir, { recursive: true, force: true });
  };
}
