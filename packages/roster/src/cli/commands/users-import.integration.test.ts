import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { cli, openCliServer } from '../cli.test-support.ts';

describe.each(openTestDatabase.drivers())('roster users import on %s', (driver) => {
  let h: TestApp;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    ({ h, env } = await openCliServer(driver));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-cli-csv-'));
    await fs.writeFile(path.join(dir, 'people.csv'), 'E-mail,First name,Last name,Dept\nada@imp.test,Ada,Lovelace,Math\ngrace@imp.test,Grace,Hopper,Navy\n,No,Email,X\n');
    await fs.writeFile(path.join(dir, 'members.csv'), 'group,user\nImporters,ada@imp.test\nImporters,grace@imp.test\n');
  });
  afterAll(async () => {
    await h?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const mapped = ['--map', 'E-mail=email', '--map', 'First name=givenName', '--map', 'Last name=familyName', '--map', 'Dept=department'];

  it('dry-runs with a mapping: counts and the failing row, nothing written, exit 1', async () => {
    const r = await cli(['users', 'import', 'people.csv', '--dry-run', ...mapped], env, { cwd: dir, tty: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/dry run\s+yes, nothing was changed/);
    expect(r.stdout).toMatch(/\n {2}row 4 email: \S/);
    expect(r.stderr).toMatch(/checking \[#+\] 100%/);
    expect(r.stderr).toMatch(/error: some rows were not imported/);
    expect((await cli(['users', 'list', '-q', 'ada@imp', '--json'], env)).stdout).toContain('"items": []');
  });

  it('imports for real and then the memberships, printing JSON summaries with --json', async () => {
    const r = await cli(['users', 'import', 'people.csv', ...mapped, '--json'], env, { cwd: dir });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { dryRun: boolean; counts: Record<string, number>; errors: unknown[] };
    expect(summary.dryRun).toBe(false);
    expect(summary.counts['failed']).toBe(1);
    expect((await cli(['users', 'get', 'grace@imp.test', '--json'], env)).stdout).toMatch(/"department": "Navy"/);

    await cli(['groups', 'add', 'Importers'], env);
    const m = await cli(['users', 'memberships-import', path.join(dir, 'members.csv')], env);
    expect(m).toMatchObject({ code: 0, stderr: '' });
    expect((await cli(['groups', 'members', 'list', 'Importers'], env)).stdout).toMatch(/ada@imp\.test[\s\S]*grace@imp\.test/);
  });

  it('names an unreadable file and a bad mapping', async () => {
    const missing = await cli(['users', 'import', 'nope.csv'], env, { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read nope\.csv: ENOENT/) });
    const bad = await cli(['users', 'import', 'people.csv', '--map', 'Nope=email'], env, { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error validation_failed: [\s\S]*query\.mapping\.Nope: is not a column/);
  });
});
