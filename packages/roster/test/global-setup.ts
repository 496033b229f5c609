/** Vitest global setup: one migrated PGlite data folder per run, copied by each test file. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const templateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-test-template-'));
  const database = await openDatabase({ dataDir: templateDir });
  await database.close();
  // Test workers are forked after this and inherit the environment.
  process.env['ROSTER_TEST_TEMPLATE'] = templateDir;
  return async () => {
    await fs.rm(templateDir, { recursive: true, force: true });
  };
}
