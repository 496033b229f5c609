import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from './data-lock.ts';

describe('lockDataDir', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-lock-'));
    dirs.push(d);
    return d;
  };

  it('refuses a folder held by a live process and names it', async () => {
    const dir = await tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await fs.writeFile(path.join(dir, LOCK_FILE), `${other.pid}\n`);
      await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`another Roster process \\(pid ${other.pid}\\) uses the embedded database in`));
    } finally {
      other.kill();
    }
  });

  it('takes over a stale lock, and releases only its own', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, LOCK_FILE), '999999999\n');
    const lock = await lockDataDir(dir);
    expect((await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
    await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
    const again = await lockDataDir(dir);
    await again.release();
  });
});
