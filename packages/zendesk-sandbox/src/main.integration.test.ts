import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
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

  it('refuses bad flags with exit code 2', async () => {
    const child = spawn(process.execPath, [bin, '--plan', 'gold'], { cwd: tmpdir() });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--plan');
  });
});
