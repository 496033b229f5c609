import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyTemplateInto, openTestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config/config.ts';
import { cli } from '../cli/cli.test-support.ts';
import { startWorkerProcess } from './worker-process.ts';

describe('roster migrate', () => {
  it('migrates an embedded database folder and names it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-migrate-'));
    try {
      await copyTemplateInto(dataDir);
      const r = await cli(['migrate', '--data-dir', dataDir], {});
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain(`Migrations applied to embedded PGlite in ${path.join(dataDir, 'pglite')}.`);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(openTestDatabase.drivers().filter((d) => d === 'postgres'))('processes on %s', (driver) => {
  it('migrates through DATABASE_URL and runs a worker process that closes cleanly', async () => {
    const t = await openTestDatabase(driver);
    try {
      const url = t.location.databaseUrl as string;
      const r = await cli(['migrate'], { DATABASE_URL: url });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Migrations applied to PostgreSQL postgres:\/\//);

      const keyless = loadConfig({ DATABASE_URL: url, ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: path.join(os.tmpdir(), 'roster-no-such-dir') });
      if (!keyless.ok) throw new Error(keyless.error.join());
      await expect(startWorkerProcess(keyless.value, () => undefined)).rejects.toThrow(/no secret key: set ROSTER_SECRET_KEY/);

      const config = loadConfig({ DATABASE_URL: url, ROSTER_LOG_LEVEL: 'silent', ROSTER_SECRET_KEY: 'ab'.repeat(32) });
      if (!config.ok) throw new Error(config.error.join());
      const printed: string[] = [];
      const worker = await startWorkerProcess(config.value, (l) => printed.push(l));
      expect(printed.join('\n')).toMatch(/Roster worker running on PostgreSQL/);
      await worker.close();
    } finally {
      await t.close();
    }
  });
});
