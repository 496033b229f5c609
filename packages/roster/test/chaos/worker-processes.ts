/**
 * Real `roster worker` processes for the chaos test: spawned through bin/roster.js on a shared
 * PostgreSQL, SIGKILLed at chosen moments (no shutdown hook runs, as when a machine dies) and
 * started again. Each process's output goes to a log file, read when a run fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/roster.js');
const READY = /Roster worker running/;

export interface WorkerPoolOptions {
  databaseUrl: string;
  secretKeyHex: string;
  /** `ROSTER_ZENDESK_URL`, e.g. `http://127.0.0.1:4010/{subdomain}`. */
  zendeskUrl: string;
  /** Where each process's output goes (`worker-<slot>-<n>.log`). */
  logDir: string;
  size: number;
  /** Another entry script than bin/roster.js (run as `node <entry>`; test/kill/stalling-worker.js), and extra environment for it. */
  entry?: string;
  extraEnv?: Record<string, string>;
}

interface Slot {
  child: ChildProcess | null;
  ready: Promise<void> | null;
  starts: number;
}

export interface WorkerPool {
  /** Starts every slot's process; resolves once all are ready to work jobs. */
  start(): Promise<void>;
  /** SIGKILLs the process in the slot (if one runs). */
  kill(slot: number): void;
  /** Starts the slot's process again if it is not running; resolves when it is ready. */
  restart(slot: number): Promise<void>;
  alive(slot: number): boolean;
  /** Kills, starts and exits seen so far. */
  stats(): { kills: number; starts: number; crashes: number };
  logFiles(): string[];
  /** SIGKILLs everything (the chaos test never waits for a graceful stop). */
  stop(): Promise<void>;
}

export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const slots: Slot[] = Array.from({ length: opts.size }, () => ({ child: null, ready: null, starts: 0 }));
  const files: string[] = [];
  let kills = 0;
  let starts = 0;
  let crashes = 0;
  fs.mkdirSync(opts.logDir, { recursive: true });

  const launch = (index: number): Promise<void> => {
    const slot = slots[index]!;
    slot.starts += 1;
    starts += 1;
    const file = path.join(opts.logDir, `worker-${index}-${slot.starts}.log`);
    files.push(file);
    const log = fs.openSync(file, 'a');
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      TMPDIR: process.env['TMPDIR'] ?? '/tmp',
      DATABASE_URL: opts.databaseUrl,
      ROSTER_SECRET_KEY: opts.secretKeyHex,
      ROSTER_ZENDESK_URL: opts.zendeskUrl,
      ROSTER_LOG_LEVEL: 'warn',
      ...opts.extraEnv,
    };
    const child = spawn(process.execPath, opts.entry ? [opts.entry] : [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', log] });
    slot.child = child;
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        fs.appendFileSync(file, d);
        if (out.length < 4_000) out += d.toString();
        if (READY.test(out)) resolve();
      });
      child.on('exit', (code, signal) => {
        fs.closeSync(log);
        if (slot.child === child) slot.child = null;
        if (signal !== 'SIGKILL') crashes += 1;
        reject(new Error(`worker ${index} exited (${signal ?? code}) before it was ready; see ${file}`));
      });
    });
    // A kill before ready is a normal chaos event: nobody waits on the rejection then.
    ready.catch(() => undefined);
    slot.ready = ready;
    return ready;
  };

  return {
    async start() {
      // One after the other: processes starting at the same instant on a fresh pg-boss schema were seen to fail with "deadlock detected".
      for (let i = 0; i < slots.length; i++) await launch(i);
    },
    kill(index) {
      const child = slots[index]?.child;
      if (!child) return;
      kills += 1;
      child.kill('SIGKILL');
      slots[index]!.child = null;
    },
    async restart(index) {
      // A start that fails (not a kill) is retried: the chaos is in the kills, not in the start-up.
      for (let attempt = 1; ; attempt++) {
        try {
          if (slots[index]!.child) return await (slots[index]!.ready ?? undefined);
          return await launch(index);
        } catch (e) {
          if (attempt >= 3) throw e;
        }
      }
    },
    alive: (index) => slots[index]?.child !== null,
    stats: () => ({ kills, starts, crashes }),
    logFiles: () => [...files],
    async stop() {
      const exits = slots.flatMap((s) => (s.child ? [new Promise<void>((resolve) => s.child!.once('exit', () => resolve()))] : []));
      for (const s of slots) s.child?.kill('SIGKILL');
      await Promise.all(exits);
    },
  };
}

export interface KillerOptions {
  pool: WorkerPool;
  workers: number;
  /** Pause before each kill, ms (uniform in the range). */
  killEveryMs: [number, number];
  random: () => number;
  log: (line: string) => void;
  seed: number;
  /** After each kill and restart: maybe a new fault set (a storm). */
  afterKill: () => Promise<void> | void;
}

/**
 * SIGKILLs a worker now and then while the directory changes, restarting it a moment later, until
 * `stop()`. At least one kill happens: when the changes end before the first pause does (a fast
 * machine), the first kill comes at once, so a run always proves a worker's death loses nothing.
 */
export function startKiller(o: KillerOptions): { stop(): Promise<void> } {
  let stopping = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const between = ([a, b]: [number, number]) => a + o.random() * (b - a);
  const done = (async () => {
    for (let kills = 0; ; kills++) {
      await pause(between(o.killEveryMs));
      if (stopping && kills > 0) return;
      const slot = Math.floor(o.random() * o.workers);
      o.pool.kill(slot);
      o.log(`seed ${o.seed}: SIGKILL worker ${slot}${stopping ? ' (the changes ended before the first kill)' : ''}`);
      await new Promise((resolve) => setTimeout(resolve, between([200, 3_000])));
      void o.pool.restart(slot).catch(() => undefined);
      await o.afterKill();
      if (stopping) return;
    }
  })();
  return {
    stop: () => {
      stopping = true;
      wake?.();
      return done;
    },
  };
}
