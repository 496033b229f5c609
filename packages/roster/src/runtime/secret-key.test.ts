import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey } from './secret-key.ts';

describe('loadSecretKey', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-key-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });

  it('creates a 0600 key file on first use and reads the same key afterwards', async () => {
    const dataDir = path.join(await tempDir(), 'nested');
    const first = await loadSecretKey({ dataDir });
    expect(first.source).toBe('created-file');
    expect(first.key).toHaveLength(32);
    const stat = await fs.stat(path.join(dataDir, 'secret.key'));
    expect(stat.mode & 0o777).toBe(0o600);
    const second = await loadSecretKey({ dataDir });
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('prefers the configured key and writes no file', async () => {
    const dataDir = await tempDir();
    const key = Buffer.alloc(32, 7);
    const r = await loadSecretKey({ dataDir, secretKey: key });
    expect(r).toEqual({ key, source: 'setting' });
    await expect(fs.stat(path.join(dataDir, 'secret.key'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses to invent a key when asked not to (a worker must share the existing one)', async () => {
    const dataDir = await tempDir();
    await expect(loadSecretKey({ dataDir }, { createIfMissing: false })).rejects.toThrow(/no secret key: set ROSTER_SECRET_KEY/);
    await expect(fs.stat(path.join(dataDir, 'secret.key'))).rejects.toThrow(/ENOENT/);
    const made = await loadSecretKey({ dataDir });
    expect((await loadSecretKey({ dataDir }, { createIfMissing: false })).key.equals(made.key)).toBe(true);
  });

  it('refuses a damaged key file instead of replacing it', async () => {
    const dataDir = await tempDir();
    await fs.writeFile(path.join(dataDir, 'secret.key'), 'not a key');
    await expect(loadSecretKey({ dataDir })).rejects.toThrow(/64 hex characters/);
  });
});
