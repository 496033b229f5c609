import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/zendesk-sandbox.js', import.meta.url));

describe('zendesk-sandbox CLI', () => {
  it('starts from any cwd, prints the URL and credentials, and serves the flagged account', async () => {
    const child = spawn(process.execPath, [bin, '--port', '0', '--subdomain', 'cli', '--api-token', 'cli-token', '--admin-email', 'boss@cli.test'], { cwd: tmpdir() });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('control API')) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      expect(out).toContain('boss@cli.test');
      expect(out).toContain('cli-token');
      const url = /listening on (\S+)/.exec(out)?.[1] as string;
      const res = await fetch(`${url}/cli/api/v2/users/me.json`, { headers: { authorization: `Basic ${Buffer.from('boss@cli.test/token:cli-token').toString('base64')}` } });
      expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('--state-file: a second start has the first one\'s users; a file from a newer sandbox stops it with exit 1 naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-state-'));
    const file = join(dir, 'state');
    const start = async () => {
      const child = spawn(process.execPath, [bin, '--port', '0', '--api-token', 't', '--state-file', file], { cwd: tmpdir() });
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('state  ')) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      const stop = () => new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return { url: /listening on (\S+)/.exec(out)?.[1] as string, out, stop };
    };
    const auth = { authorization: `Basic ${Buffer.from('admin@roster.example.com/token:t').toString('base64')}`, 'content-type': 'application/json' };
    try {
      const first = await start();
      expect(first.out).toContain(`${file} (new)`);
      const made = await fetch(`${first.url}/api/v2/users`, { method: 'POST', headers: auth, body: JSON.stringify({ user: { name: 'Kept', email: 'kept@cli.test' } }) });
      const id = ((await made.json()) as { user: { id: number } }).user.id;
      await first.stop();
      const second = await start();
      expect(second.out).toMatch(/loaded in \d+ ms: 1 accounts, 2 users/);
      const shown = await fetch(`${second.url}/api/v2/users/${id}`, { headers: auth });
      expect(((await shown.json()) as { user: { email: string } }).user.email).toBe('kept@cli.test');
      await second.stop();

      const newer = join(dir, 'newer');
      writeFileSync(newer, '{"format":"zendesk-sandbox-state","version":2}\n');
      const child = spawn(process.execPath, [bin, '--port', '0', '--state-file', newer], { cwd: tmpdir() });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(1);
      expect(err).toContain(`${newer}: was written by a newer sandbox`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with exit code 2', async () => {
    const child = spawn(process.execPath, [bin, '--plan', 'gold'], { cwd: tmpdir() });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--plan');
  });
});
