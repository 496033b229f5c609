/**
 * Shared plumbing of the zendesk-sandbox benchmarks: the sandbox runs in its own Node process,
 * pinned to CPU 0 with `taskset` when available, and the load generator (this process) is pinned
 * to CPU 1, so the figures measure the sandbox and not the client.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../packages/zendesk-sandbox/src/main.ts', import.meta.url));

export const SUBDOMAIN = 'bench';
export const ADMIN_EMAIL = 'admin@bench.example.com';
export const API_TOKEN = 'bench-token';
export const AUTH = `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${API_TOKEN}`).toString('base64')}`;

export interface RunningSandbox {
  readonly url: string;
  readonly pid: number;
  /** How the processes were placed, for the printed report. */
  readonly placement: string;
  /** Milliseconds from spawning the process to its "listening" line (state file loading included). */
  readonly startMs: number;
  /** Everything the process printed on stdout up to "listening" and the banner after it. */
  output(): string;
  stop(): Promise<void>;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return cpus().length >= 2;
  } catch {
    return false;
  }
}

/** Starts `zendesk-sandbox` (plan unlimited, every limit off) in a child process and waits for its URL. */
export async function startSandboxProcess(opts: { stateFile?: string } = {}): Promise<RunningSandbox> {
  const pin = hasTaskset();
  const args = ['--import', 'tsx', MAIN, '--port', '0', '--subdomain', SUBDOMAIN, '--plan', 'unlimited', '--admin-email', ADMIN_EMAIL, '--api-token', API_TOKEN, ...(opts.stateFile ? ['--state-file', opts.stateFile] : [])];
  const spawned = performance.now();
  let out = '';
  const child: ChildProcess = pin ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (pin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  const startMs = performance.now() - spawned;
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await control(url, 'PATCH', `/__sandbox/accounts/${SUBDOMAIN}`, { plan: 'unlimited', limits: false });
  return {
    url,
    pid: child.pid as number,
    startMs,
    output: () => out,
    placement: pin ? 'sandbox process pinned to CPU 0, load generator to CPU 1 (taskset)' : 'no taskset / single CPU: sandbox and load generator share CPUs',
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux; clock ticks of 1/100 s). On a
 * shared machine the wall-clock rate depends on how much CPU the sandbox got; requests per CPU
 * second is what it would do with a core to itself.
 */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The 1-minute load average, printed with every figure: the machine is shared. */
export function loadAverage(): string {
  return `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`;
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Seeds `count` end users in batches; returns the ids of the first and last one. */
export async function seedUsers(url: string, count: number): Promise<{ firstId: number; lastId: number }> {
  let firstId = 0;
  let lastId = 0;
  for (let left = count; left > 0; left -= 25_000) {
    const r = (await control(url, 'POST', `/__sandbox/accounts/${SUBDOMAIN}/seed`, { count: Math.min(left, 25_000) })) as { firstId: number; lastId: number };
    firstId ||= r.firstId;
    lastId = r.lastId;
  }
  return { firstId, lastId };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** A keep-alive HTTP client with a fixed number of sockets. */
export function keepAliveClient(url: string, sockets: number) {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const call = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: { authorization: AUTH, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

/** One row of a summary table: a figure, its target and how far it is from it. */
export interface BenchRow {
  readonly bench: string;
  readonly measured: string;
  readonly target: string;
  /** measured ÷ target for "at least" targets, target ÷ measured for "at most" targets; ≥ 1 passes. */
  readonly ratio: number;
}

export function printTable(title: string, rows: readonly BenchRow[], notes: readonly string[] = []): void {
  const cells = rows.map((r) => [r.bench, r.measured, r.target, `${r.ratio.toFixed(2)}×`, r.ratio >= 1 ? 'PASS' : 'FAIL']);
  const head = ['bench', 'measured', 'target', 'ratio', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  for (const n of notes) console.log(`  ${n}`);
}

/** True when the module is the script being run (`npx tsx bench/x.ts`), not imported by another bench. */
export const isMain = (metaUrl: string): boolean => process.argv[1] !== undefined && fileURLToPath(metaUrl) === process.argv[1];
