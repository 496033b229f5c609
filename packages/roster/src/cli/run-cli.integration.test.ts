import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/test-app.ts';
import { copyTemplateInto, openTestDatabase } from '../../test/test-database.ts';
import type { Command } from 'commander';
import { buildProgram } from './run-cli.ts';
import { cli, openCliServer } from './cli.test-support.ts';

describe.each(openTestDatabase.drivers())('roster CLI against a running server on %s', (driver) => {
  let h: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ h, env } = await openCliServer(driver));
  });
  afterAll(async () => h?.close());

  it('adds, finds, changes, deactivates and deletes a user', async () => {
    const add = await cli(['users', 'add', 'ada@cli.test', '--given-name', 'Ada', '--family-name', 'Lovelace', '--department', 'Math'], env);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(/^created user [0-9a-f-]{36} \(ada@cli\.test\)/);

    const list = await cli(['users', 'list', '-q', 'ada'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+EMAIL\s+NAME\s+STATUS\s+DEPARTMENT/);
    expect(list.stdout).toMatch(/ada@cli\.test\s+Ada Lovelace\s+active\s+Math/);

    const got = await cli(['users', 'get', 'ada@cli.test', '--json'], env);
    const user = JSON.parse(got.stdout) as { id: string; version: number; department: string };
    expect(user.department).toBe('Math');

    const stale = await cli(['users', 'update', user.id, '--job-title', 'Analyst', '--version', String(user.version + 5)], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^error version_conflict: /);

    const updated = await cli(['users', 'update', 'ada@cli.test', '--job-title', 'Analyst', '--version', String(user.version), '--json'], env);
    expect(JSON.parse(updated.stdout)).toMatchObject({ jobTitle: 'Analyst', version: user.version + 1 });
    const unversioned = await cli(['users', 'update', 'ada@cli.test', '--department', 'Ops', '--json'], env);
    expect(JSON.parse(unversioned.stdout)).toMatchObject({ department: 'Ops', version: user.version + 2 });

    expect((await cli(['users', 'deactivate', 'ada@cli.test'], env)).stdout).toMatch(/ada@cli\.test is now inactive/);
    expect((await cli(['users', 'list', '--status', 'inactive', '--json'], env)).stdout).toContain('ada@cli.test');
    expect((await cli(['users', 'delete', user.id], env)).code).toBe(0);
    const gone = await cli(['users', 'get', user.id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error not_found: /);
  });

  it('pages with --all', async () => {
    for (const n of [1, 2, 3]) expect((await cli(['users', 'add', `page${n}@cli.test`], env)).code).toBe(0);
    const first = await cli(['users', 'list', '-q', 'page', '--limit', '2'], env);
    expect(first.stdout).toMatch(/… more: add --cursor \S+/);
    const all = JSON.parse((await cli(['users', 'list', '-q', 'page', '--limit', '2', '--all', '--json'], env)).stdout) as { items: { email: string }[]; nextCursor: null };
    expect(all.items.map((u) => u.email).sort()).toEqual(['page1@cli.test', 'page2@cli.test', 'page3@cli.test']);
    expect(all.nextCursor).toBeNull();
  });

  it('creates a group and manages its members by email and name', async () => {
    await cli(['users', 'add', 'grace@cli.test', '--display-name', 'Grace Hopper'], env);
    expect((await cli(['groups', 'add', 'CLI Support', '--description', 'agents'], env)).code).toBe(0);
    const added = await cli(['groups', 'members', 'add', 'CLI Support', 'grace@cli.test'], env);
    expect(added).toMatchObject({ code: 0, stdout: 'added 1, already members 0\n' });
    const members = await cli(['groups', 'members', 'list', 'CLI Support'], env);
    expect(members.stdout).toMatch(/user\s+[0-9a-f-]{36}\s+Grace Hopper\s+grace@cli\.test/);
    expect((await cli(['groups', 'list', '-q', 'CLI'], env)).stdout).toMatch(/CLI Support\s+1\s+0\s+agents/);
    expect((await cli(['groups', 'members', 'remove', 'CLI Support', 'grace@cli.test'], env)).code).toBe(0);
    expect((await cli(['groups', 'members', 'list', 'CLI Support'], env)).stdout).toBe('(none)\n');
    expect((await cli(['groups', 'delete', 'CLI Support'], env)).code).toBe(0);
  });

  it('prints API errors with their code and each field, exit 1', async () => {
    const r = await cli(['users', 'add', 'not-an-email'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const [first, ...issues] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^error validation_failed: /);
    expect(issues).toContainEqual(expect.stringMatching(/^ {2}body\.email: /));
  });

  it('refuses a missing or wrong token and an unreachable server', async () => {
    const none = await cli(['users', 'list'], { ROSTER_URL: env['ROSTER_URL'] });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no API token: pass --token or set ROSTER_TOKEN/);
    const wrong = await cli(['users', 'list', '--token', 'rst_wrong'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error unauthenticated: /);
    const badUrl = await cli(['users', 'list', '--url', 'ftp://x'], env);
    expect(badUrl).toMatchObject({ code: 2, stderr: expect.stringMatching(/--url: must be an http\(s\) URL/) });
    const down = await cli(['users', 'list', '--url', 'http://127.0.0.1:9'], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Roster at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('roster CLI usage errors', () => {
  it('names a bad --port and exits 2 without starting anything', async () => {
    const r = await cli(['serve', '--port', 'abc'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid configuration:\n {2}--port: /);
  });

  it('names every bad setting flag at once, including --worker', async () => {
    const r = await cli(['serve', '--worker', 'maybe', '--sandbox-port', '-1', '--admin-email', 'nope'], {});
    expect(r.code).toBe(2);
    for (const flag of ['--worker', '--sandbox-port', '--admin-email']) expect(r.stderr).toMatch(new RegExp(`\\n {2}${flag}: `));
  });

  it('names a bad environment variable the same way', async () => {
    const r = await cli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL: must start with postgres/);
  });

  it('refuses a separate worker on embedded PGlite', async () => {
    const r = await cli(['worker'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/roster worker needs PostgreSQL \(DATABASE_URL/);
  });

  it('exits 2 on unknown commands, options and missing arguments', async () => {
    expect((await cli(['nope'], {})).code).toBe(2);
    expect((await cli(['users', 'list', '--colour', 'red'], {})).stderr).toMatch(/unknown option '--colour'/);
    expect((await cli(['users', 'get'], {})).code).toBe(2);
    expect((await cli(['users', 'list', '--limit', '0'], {})).stderr).toMatch(/must be a whole number above 0/);
  });

  it('shows help with examples on every command and subcommand, exit 0', async () => {
    const paths: string[][] = [[]];
    const walk = (cmd: Command, prefix: string[]) => {
      for (const sub of cmd.commands) {
        if (sub.name() === 'help') continue;
        paths.push([...prefix, sub.name()]);
        walk(sub, [...prefix, sub.name()]);
      }
    };
    walk(buildProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} }), []);
    expect(paths.length).toBeGreaterThan(30);
    for (const c of paths) {
      const r = await cli([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout, c.join(' ')).toMatch(/Examples:\n {2}\$ .*roster /);
    }
    const serve = await cli(['serve', '--help']);
    for (const flag of ['--port', '--data-dir', '--database-url', '--secret-key', '--no-worker', '--with-sandbox', 'ROSTER_PORT']) expect(serve.stdout).toContain(flag);
  });
});

describe('bin/roster.js', () => {
  it('runs the CLI through tsx from any working directory', async () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/roster.js');
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bin-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help'], { cwd });
      expect(stdout).toMatch(/Usage: roster/);
      expect(stdout).toMatch(/serve \[options\]/);
      await expect(promisify(execFile)(process.execPath, [bin, 'serve', '--port', 'x'], { cwd })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--port/) });
    } finally {
      await fs.rm(cwd, { recursive: true, force: true });
    }
  });

  it('serves until SIGTERM, then stops gracefully with exit code 0', async () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/roster.js');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bin-serve-'));
    await copyTemplateInto(dataDir);
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toMatch(/Stop with Ctrl\+C\./);
      const url = /admin UI\s+(http:\/\/\S+)\//.exec(out)?.[1];
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited, out).toBe(0);
      expect(out).toMatch(/SIGTERM: stopping[\s\S]*Roster stopped\./);
    } finally {
      child.kill('SIGKILL');
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
