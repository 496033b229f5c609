/**
 * Stopping a real `roster serve` (PGlite in a temp folder) the way a terminal does: Ctrl+C signals the
 * whole foreground process group, and wrappers in it (npm run) forward the signal to their child again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestContext, describe, it } from 'vitest';
import { copyTemplateInto } from '../../test/test-database.ts';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = path.resolve(packageDir, '../..');
const bin = path.join(packageDir, 'bin/roster.js');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url: string;
}

/** What a test gives `start`: its own `expect` and end-of-test hook (the tests run concurrently). */
type TestHooks = Pick<TestContext, 'expect' | 'onTestFinished'>;

/** Starts `command` in its own process group (as a terminal runs a foreground job) and waits for the banner; killed and its folder removed when the test ends. */
async function start({ expect, onTestFinished }: TestHooks, command: string, args: string[], env: Record<string, string>): Promise<Running> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-stop-'));
  await copyTemplateInto(dataDir);
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ROSTER_DATA_DIR: dataDir, ROSTER_PORT: '0', ROSTER_SANDBOX_PORT: '0', ROSTER_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  onTestFinished(async () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toMatch(/Stop with Ctrl\+C\./);
  const url = /admin UI\s+(http:\/\/\S+?)\/?\s/.exec(out)?.[1] as string;
  return { child, output: () => out, exited, url };
}

/** A request that stays in flight: a sign-in whose body never finishes arriving. */
async function holdRequest(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`POST /api/session HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":`);
  socket.on('error', () => undefined);
  await new Promise((r) => setTimeout(r, 300));
  return socket;
}

// The three tests run at once: each starts its own `roster serve` (own process group, data folder and
// ports), and most of their time is that process starting and stopping.
describe.concurrent('stopping roster serve with one Ctrl+C', () => {
  it('drains once when the signal arrives twice at once (the terminal and a forwarding wrapper)', async (test) => {
    const { expect } = test;
    const s = await start(test, process.execPath, [bin, 'serve'], {});
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    process.kill(-(s.child.pid as number), 'SIGINT');
    // The wrapper's copy comes a moment later (two signals sent at once would merge into one pending signal).
    await new Promise((r) => setTimeout(r, 60));
    s.child.kill('SIGINT');
    expect(await s.exited, s.output()).toEqual({ code: 0, signal: null });
    expect(s.output()).toMatch(/SIGINT: stopping[\s\S]*Roster stopped\./);
    expect(s.output()).not.toMatch(/again: exiting without waiting/);
  }, 120_000);

  it('through `npm start`\'s wrapper chain (npm run → roster serve --with-sandbox), one Ctrl+C to the group stops it cleanly', async (test) => {
    const { expect } = test;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const s = await start(test, npm, ['run', 'start', '-w', 'packages/roster'], {});
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    process.kill(-(s.child.pid as number), 'SIGINT');
    const exit = await s.exited;
    // npm re-raises the signal on itself once its script has ended, as shells expect of Ctrl+C.
    expect(exit.code === 0 || exit.signal === 'SIGINT' || exit.code === 130, JSON.stringify(exit)).toBe(true);
    expect(s.output()).toMatch(/SIGINT: stopping[\s\S]*Roster stopped\./);
    expect(s.output()).not.toMatch(/again: exiting without waiting/);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  }, 150_000);

  it('waits for a request in flight, and a second signal sent later exits without waiting', async (test) => {
    const { expect } = test;
    const s = await start(test, process.execPath, [bin, 'serve'], {});
    const socket = await holdRequest(s.url);
    test.onTestFinished(() => void socket.destroy());
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(s.output()).toMatch(/SIGTERM: stopping/);
    expect(s.output()).not.toMatch(/Roster stopped\./);
    s.child.kill('SIGTERM');
    expect(await s.exited, s.output()).toEqual({ code: 1, signal: null });
    expect(s.output()).toMatch(/SIGTERM again: exiting without waiting\./);
  }, 120_000);
});
