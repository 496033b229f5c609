/**
 * Starts Roster for the browser tests as `roster serve --with-sandbox` would run it, in a child
 * process (its own event loop, a real port), on a fresh data folder copied from a migrated PGlite
 * template, or on a scratch PostgreSQL database when TEST_DATABASE_URL is set. On PGlite it runs with
 * V8's defaults (ROSTER_PGLITE_OPTIMIZE=true), not bin/roster.js's memory flags.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../../packages/roster/test/scratch-database.ts';
import { artifactsDir, repoDir, templateCacheDir } from './paths.ts';

const rosterBin = path.join(repoDir, 'packages', 'roster', 'bin', 'roster.js');
const migrationsDir = path.join(repoDir, 'packages', 'roster', 'migrations');

export interface ServerFacts {
  url: string;
  sandboxUrl: string;
  sandboxSubdomain: string;
  ownerEmail: string;
  oneTimePassword: string;
  driver: 'pglite' | 'postgres';
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Environment of the child: this process's, minus every Roster setting, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ROSTER_') && k !== 'DATABASE_URL') env[k] = v;
  return { ...env, ...extra };
}

/** A migrated PGlite folder for the current migrations, made once and reused by later runs. */
export async function pgliteTemplate(): Promise<string> {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    const p = path.join(migrationsDir, f);
    if (f.endsWith('.sql') || f.endsWith('.json')) h.update(f).update(readFileSync(p));
  }
  h.update(readFileSync(path.join(repoDir, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  const dir = path.join(templateCacheDir, `pglite-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(path.join(dir, 'pglite'))) return dir;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-e2e-template-'));
  execFileSync(process.execPath, [rosterBin, 'migrate'], { env: childEnv({ ROSTER_DATA_DIR: tmp, ROSTER_LOG_LEVEL: 'warn', ROSTER_PGLITE_OPTIMIZE: 'true' }), stdio: 'inherit' });
  await fs.mkdir(templateCacheDir, { recursive: true });
  await fs.cp(path.join(tmp, 'pglite'), path.join(dir, 'pglite'), { recursive: true });
  await fs.rm(tmp, { recursive: true, force: true });
  return dir;
}

export interface StartedRoster {
  facts: ServerFacts;
  stop(): Promise<void>;
}

/**
 * `env`: more settings (e.g. ROSTER_SMTP_URL); `host`: the host name the browser uses, which becomes
 * ROSTER_PUBLIC_URL's (passkeys need a name such as localhost: browsers refuse an IP address as RP id).
 */
export async function startRoster(opts: { ownerEmail: string; env?: Record<string, string>; host?: string }): Promise<StartedRoster> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-e2e-'));
  const cleanups: (() => Promise<void>)[] = [() => fs.rm(dataDir, { recursive: true, force: true })];
  const env: Record<string, string> = { ROSTER_DATA_DIR: dataDir, ROSTER_ADMIN_EMAIL: opts.ownerEmail, ROSTER_LOG_LEVEL: 'warn', ROSTER_HOST: '127.0.0.1' };
  const pgServer = process.env['TEST_DATABASE_URL'];
  if (pgServer) {
    const scratch = await createScratchDatabase(pgServer, 'roster_e2e');
    env['DATABASE_URL'] = scratch.url;
    cleanups.push(() => scratch.drop());
  } else {
    await fs.cp(path.join(await pgliteTemplate(), 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
    // The browser tests check the UI, not the embedded database's memory flags: this Roster keeps V8's
    // optimizing compiler (bin/roster.js would run it with --liftoff-only; docs/testing.md).
    env['ROSTER_PGLITE_OPTIMIZE'] = 'true';
  }
  const port = await freePort();
  env['ROSTER_PORT'] = String(port);
  env['ROSTER_SANDBOX_PORT'] = String(await freePort());
  const baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  if (opts.host) env['ROSTER_PUBLIC_URL'] = baseUrl;
  Object.assign(env, opts.env ?? {});

  await fs.mkdir(artifactsDir, { recursive: true });
  const log = createWriteStream(path.join(artifactsDir, opts.host || opts.env ? `roster-${port}.log` : 'roster.log'));
  const child: ChildProcess = spawn(process.execPath, [rosterBin, 'serve', '--with-sandbox'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };

  try {
    const banner = await waitForBanner(child, exited);
    const oneTimePassword = /one-time pw\s+(\S+)/.exec(banner)?.[1];
    const sandbox = /Zendesk sandbox (\S+)\s+\(subdomain (\S+)\)/.exec(banner);
    if (!oneTimePassword || !sandbox) throw new Error(`unexpected banner:\n${banner}`);
    return {
      facts: { url: baseUrl, sandboxUrl: sandbox[1]!, sandboxSubdomain: sandbox[2]!, ownerEmail: opts.ownerEmail, oneTimePassword, driver: pgServer ? 'postgres' : 'pglite' },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Resolves with the banner text once `serve` prints it; rejects if the process exits first. */
function waitForBanner(child: ChildProcess, exited: Promise<number | null>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Roster did not start within 180 s:\n${out}`)), 180_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const start = out.indexOf('Roster is running');
      if (start >= 0 && out.indexOf('Stop with Ctrl+C.', start) > 0) {
        clearTimeout(timer);
        resolve(out.slice(start));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Roster exited (${code}) before it was ready:\n${out}`));
    });
  });
}
