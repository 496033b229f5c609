/**
 * The key that encrypts secrets at rest: ROSTER_SECRET_KEY when set, otherwise `<dataDir>/secret.key`,
 * created on first start (mode 0600). Processes that share one PostgreSQL on several machines must
 * set ROSTER_SECRET_KEY to the same value.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface SecretKey {
  key: Buffer;
  source: 'setting' | 'file' | 'created-file';
  /** The key file, when the key came from one. */
  file?: string;
}

export const SECRET_KEY_FILE = 'secret.key';

/**
 * With `createIfMissing: false` (a worker, which must share the key `serve` made) a missing key is an
 * error instead of a new key that could not read the secrets already stored.
 */
export async function loadSecretKey(opts: { secretKey?: Buffer | undefined; dataDir: string }, { createIfMissing = true } = {}): Promise<SecretKey> {
  if (opts.secretKey) return { key: opts.secretKey, source: 'setting' };
  const file = path.join(opts.dataDir, SECRET_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, source: 'file', file };
  if (!createIfMissing) {
    throw new Error(`no secret key: set ROSTER_SECRET_KEY to the key the serve processes use (or give the --data-dir whose ${SECRET_KEY_FILE} they use); ${file} does not exist`);
  }
  await fs.mkdir(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx' fails if another process created the file meanwhile; then that file wins.
    await fs.writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const raced = await readKeyFile(file);
    if (!raced) throw new Error(`${file} exists but does not hold a key`, { cause: e });
    return { key: raced, source: 'file', file };
  }
  return { key, source: 'created-file', file };
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await fs.readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${file} must hold 64 hex characters (a 32-byte key); fix or remove it`);
  return Buffer.from(text, 'hex');
}
