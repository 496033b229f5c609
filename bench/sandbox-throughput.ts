/**
 * Requests per second the sandbox answers for `GET /api/v2/users/{id}` and `PUT /api/v2/users/{id}`
 * (target ≥ 3,000/s each), over keep-alive connections from another process.
 * Run: `npx tsx bench/sandbox-throughput.ts`.
 */
import { cpuSeconds, isMain, keepAliveClient, loadAverage, printTable, seedUsers, startSandboxProcess, type BenchRow } from './sandbox-common.ts';

const TARGET_RPS = 3000;
const SOCKETS = 16;
const WARMUP_MS = 1500;
const MEASURE_MS = 5000;

async function drive(pid: number, ms: number, next: (i: number) => Promise<number>): Promise<{ count: number; errors: number; elapsedMs: number; cpuSec: number; clientCpuSec: number }> {
  const until = Date.now() + ms;
  const started = performance.now();
  const cpuBefore = cpuSeconds(pid);
  const clientBefore = process.cpuUsage();
  let count = 0;
  let errors = 0;
  let i = 0;
  await Promise.all(
    Array.from({ length: SOCKETS }, async () => {
      while (Date.now() < until) {
        const status = await next(i++);
        if (status === 200) count += 1;
        else errors += 1;
      }
    }),
  );
  const client = process.cpuUsage(clientBefore);
  return { count, errors, elapsedMs: performance.now() - started, cpuSec: cpuSeconds(pid) - cpuBefore, clientCpuSec: (client.user + client.system) / 1e6 };
}

/** With `stateFile` every write is journaled to that file, as `zendesk-sandbox --state-file` does. */
export async function runThroughput(opts: { stateFile?: string } = {}): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const sandbox = await startSandboxProcess(opts);
  const label = opts.stateFile ? ', state file on' : '';
  try {
    const { firstId, lastId } = await seedUsers(sandbox.url, 10_000);
    const span = lastId - firstId;
    const client = keepAliveClient(sandbox.url, SOCKETS);
    // Ids are increasing but not contiguous; a miss would be a 404, counted as an error.
    const ids: number[] = [];
    for (let after = ''; ids.length < 10_000; ) {
      const page = JSON.parse((await client.call('GET', `/api/v2/users?page[size]=100${after}`)).body) as { users: Array<{ id: number }>; meta: { has_more: boolean; after_cursor: string } };
      ids.push(...page.users.map((u) => u.id));
      if (!page.meta.has_more) break;
      after = `&page[after]=${encodeURIComponent(page.meta.after_cursor)}`;
    }
    const idAt = (i: number) => ids[(i * 7919) % ids.length] as number;
    const show = (i: number) => client.call('GET', `/api/v2/users/${idAt(i)}`).then((r) => r.status);
    const update = (i: number) => client.call('PUT', `/api/v2/users/${idAt(i)}`, { user: { notes: `bench ${i}`, phone: `+1555${String(i % 1e7).padStart(7, '0')}` } }).then((r) => r.status);

    await drive(sandbox.pid, WARMUP_MS, show);
    const s = await drive(sandbox.pid, MEASURE_MS, show);
    await drive(sandbox.pid, WARMUP_MS, update);
    const u = await drive(sandbox.pid, MEASURE_MS, update);
    client.close();

    const rps = (r: { count: number; elapsedMs: number }) => (r.count / r.elapsedMs) * 1000;
    const perCpu = (r: { count: number; cpuSec: number }) => (r.cpuSec > 0 ? r.count / r.cpuSec : NaN);
    const rows: BenchRow[] = [
      { bench: `show user (GET /users/{id})${label}`, measured: `${rps(s).toFixed(0)} req/s`, target: `≥ ${TARGET_RPS} req/s`, ratio: rps(s) / TARGET_RPS },
      { bench: `update user (PUT /users/{id})${label}`, measured: `${rps(u).toFixed(0)} req/s`, target: `≥ ${TARGET_RPS} req/s`, ratio: rps(u) / TARGET_RPS },
      // On a shared machine the sandbox gets a slice of its CPU; per CPU-second is the rate with a core to itself.
      { bench: `show, per sandbox CPU-second (estimate)${label}`, measured: `${perCpu(s).toFixed(0)} req/s`, target: `≥ ${TARGET_RPS} req/s`, ratio: perCpu(s) / TARGET_RPS },
      { bench: `update, per sandbox CPU-second (estimate)${label}`, measured: `${perCpu(u).toFixed(0)} req/s`, target: `≥ ${TARGET_RPS} req/s`, ratio: perCpu(u) / TARGET_RPS },
    ];
    const notes = [
      sandbox.placement,
      `${SOCKETS} keep-alive sockets, ${MEASURE_MS / 1000} s per figure after ${WARMUP_MS / 1000} s warm-up, 10,000 seeded users (id span ${span}), plan unlimited with limits off`,
      `non-200 answers: show ${s.errors}, update ${u.errors}`,
      `sandbox CPU used: show ${s.cpuSec.toFixed(2)} s, update ${u.cpuSec.toFixed(2)} s in ${MEASURE_MS / 1000} s each → ${perCpu(s).toFixed(0)} / ${perCpu(u).toFixed(0)} requests per sandbox CPU-second; load generator CPU ${s.clientCpuSec.toFixed(2)} s / ${u.clientCpuSec.toFixed(2)} s (neither process near 5 s = CPU starved by other work on the machine)`,
      loadAverage(),
    ];
    return { rows, notes };
  } finally {
    await sandbox.stop();
  }
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await runThroughput();
  printTable('zendesk-sandbox throughput', rows, notes);
}
