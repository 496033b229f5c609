/**
 * Initial sync: N assigned users (group → Agent) into an empty Enterprise sandbox account
 * (700 requests/min, bulk on, 30 jobs in flight; job pace by default 3 s queue delay, 70 ms per
 * user, one job at a time; `--concurrency 30` runs 30 jobs at once). The engine writes through bulk
 * jobs and single calls at the same time. Prints wall time, requests, 429s, users/s, how many users
 * each channel took, the peak RSS of the process that provisions, and the ratio to the combined floor
 * of both channels (bench/provisioning-floor.ts):
 *
 *   T = (N + k·q) / (k + R/60), k = B·(1 − 1/b), B = min(c/p, J·b/(q + b·p))
 *
 * for N users, request budget R per minute, job queue delay q, p seconds per user, c jobs at once,
 * b users per job and J jobs in flight. Target: ≤ 1.10× the combined floor, 0 unplanned 429s, peak
 * RSS ≤ 600 MB.
 *
 * `--groups off` turns group provisioning off, so only the users are written (the group's
 * memberships otherwise follow, one request each).
 *
 * Memory: this process sets up (sandbox account, N directory users, the application) and then closes
 * its database; the cycle runs in a fresh child process started as `bin/roster.js` starts Roster
 * (packages/roster/bin/v8-flags.js with the embedded database) that reopens the data folder
 * (or PostgreSQL), starts the queue and builds the app as `roster serve` does, then runs the initial
 * cycle. The peak RSS reported is that child's: Roster's, not the set-up's (`--process same` runs
 * the cycle in this process, as before, and reports the whole process).
 *
 *   npx tsx bench/provisioning-initial-sync.ts [--users 10000] [--concurrency 1] [--groups on|off] [--process child|same] [--database-url postgres://…] [--trace-memory] [--live-heap] [--heap-at S]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { provisioningCycles } from '../packages/roster/src/db/provisioning-schema.ts';
import type { WorkerContext } from '../packages/roster/src/jobs/handler.ts';
import { openWorkerContext, setUpProvisioningBench } from './provisioning-common.ts';
import { channelFloor, FLOOR_FORMULA } from './provisioning-floor.ts';
import { createScratchDatabase } from '../packages/roster/test/scratch-database.ts';
import { describePeak, sampleMemory, wasmMb, watchPglite, type MemoryPeak } from './memory-sampler.ts';
import { embeddedV8Flags } from '../packages/roster/bin/v8-flags.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    concurrency: { type: 'string' },
    groups: { type: 'string', default: 'on' },
    process: { type: 'string', default: 'child' },
    // Diagnosis: the child collects garbage every 5 s and prints the live JS heap over time (this changes the RSS figures).
    'live-heap': { type: 'boolean', default: false },
    // Diagnosis: the child prints RSS, JS heap and PGlite memory every 2 s as they are (no collection forced, so the RSS figures stand).
    'trace-memory': { type: 'boolean', default: false },
    // Diagnosis: the child samples allocations (V8's sampling heap profiler) and prints, `heap-at` seconds into the cycle, where the live JS heap was allocated.
    'heap-at': { type: 'string' },
    'database-url': { type: 'string' },
    // Internal: the child process's role and what the parent hands it.
    phase: { type: 'string' },
    'data-dir': { type: 'string' },
    'sandbox-url': { type: 'string' },
    'application-id': { type: 'string' },
  },
});
const GROUPS = args.groups !== 'off';
const N = Number(args.users);
const TARGET_RATIO = 1.1;
const TARGET_MB = 600;
const JOB_CAP = 30;
const BULK_SIZE = 100;
let databaseUrl = args['database-url'] ?? process.env['DATABASE_URL'];
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface CycleFigures {
  status: string;
  counts: unknown;
  wallS: number;
  cpuS: number;
  /** RSS once the database was reopened and the app built, before the cycle. */
  rssBeforeMb: number;
  /** Sampled every 100 ms during the cycle. */
  peak: MemoryPeak;
  /** The process's whole life (getrusage). */
  maxRssMb: number;
}

/** Runs the initial cycle in this process with `ctx`, sampling memory. */
async function runCycle(ctx: WorkerContext, applicationId: string): Promise<CycleFigures> {
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const gc = (globalThis as { gc?: () => void }).gc;
  const t00 = performance.now();
  const live = args['live-heap'] && gc
    ? setInterval(() => {
        const before = process.memoryUsage();
        gc();
        const after = process.memoryUsage();
        console.log(`LIVE t=${((performance.now() - t00) / 1000).toFixed(0)} s: RSS ${mb(before.rss)} MB, JS heap ${mb(before.heapUsed)} MB used → ${mb(after.heapUsed)} MB live after a full collection (external ${mb(after.external)} MB, array buffers ${mb(after.arrayBuffers)} MB)`);
      }, 5000)
    : null;
  const trace = args['trace-memory']
    ? setInterval(() => {
        const m = process.memoryUsage();
        console.log(`MEM t=${((performance.now() - t00) / 1000).toFixed(0)} s: RSS ${mb(m.rss)} MB, JS heap ${mb(m.heapUsed)} MB used of ${mb(m.heapTotal)} MB, PGlite ${wasmMb()} MB`);
      }, 2000)
    : null;
  const heapAt = args['heap-at'] ? await sampleLiveHeapAt(Number(args['heap-at']) * 1000) : null;
  const stop = sampleMemory(100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runProvisioning(engineEnvFrom(ctx), applicationId, 'initial');
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = stop();
  if (live) clearInterval(live);
  if (trace) clearInterval(trace);
  if (heapAt) await heapAt.done;
  const [cycle] = await ctx.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, r.status === 'done' ? r.cycleId : ''));
  return { status: r.status, counts: cycle?.counts ?? null, wallS, cpuS: (cpu.user + cpu.system) / 1e6, rssBeforeMb, peak, maxRssMb: mb(process.resourceUsage().maxRSS * 1024) };
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * Starts V8's sampling heap profiler (live objects only) and, `ms` later, prints the allocation
 * sites holding the most of the live JS heap: by the nearest frame in Roster's or a dependency's code.
 */
async function sampleLiveHeapAt(ms: number): Promise<{ done: Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64 * 1024 });
  const done = new Promise<void>((resolve) => {
    setTimeout(() => {
      void (async () => {
        const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as { profile: { head: SamplingNode } };
        await session.post('HeapProfiler.stopSampling');
        const bySite = new Map<string, number>();
        const byStack = new Map<string, number>();
        const walk = (node: SamplingNode, stack: string[]) => {
          const f = node.callFrame;
          const file = f.url.replace(/^.*\/(packages|node_modules)\//, '$1/');
          const here = f.url ? `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}` : f.functionName;
          const next = f.url.includes('/packages/roster/src/') ? [...stack, here] : stack;
          if (node.selfSize > 0) {
            bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
            const key = next.slice(-3).join(' ← ') || '(outside Roster)';
            byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
          }
          for (const c of node.children) walk(c, next);
        };
        walk(profile.head, []);
        const total = [...bySite.values()].reduce((a, b) => a + b, 0);
        console.log(`HEAP at ${ms / 1000} s: ${mb(total)} MB of live JS heap sampled; RSS ${mb(process.memoryUsage().rss)} MB`);
        for (const [k, v] of [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`HEAP   site ${mb(v)} MB  ${k}`);
        for (const [k, v] of [...byStack.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`HEAP   roster ${mb(v)} MB  ${k}`);
        session.disconnect();
        resolve();
      })();
    }, ms);
  });
  return { done };
}

/** The flags `bin/roster.js` starts Roster with: with the embedded database, those of packages/roster/bin/v8-flags.js. */
const rosterFlags = (): string[] => (!databaseUrl && process.env['ROSTER_PGLITE_OPTIMIZE'] !== 'true' && !process.execArgv.includes('--liftoff-only') ? [...embeddedV8Flags] : []);

/** Runs the cycle in a fresh process (this script as `--phase provision`); resolves with its figures. */
async function runCycleInChild(dataDir: string, sandboxUrl: string, applicationId: string): Promise<CycleFigures> {
  const child = spawn(
    process.execPath,
    [...rosterFlags(), ...(args['live-heap'] ? ['--expose-gc'] : []), ...process.execArgv, fileURLToPath(import.meta.url), '--phase', 'provision', ...(args['live-heap'] ? ['--live-heap'] : []), ...(args['trace-memory'] ? ['--trace-memory'] : []), ...(args['heap-at'] ? ['--heap-at', args['heap-at']] : []), '--data-dir', dataDir, '--sandbox-url', sandboxUrl, '--application-id', applicationId, ...(databaseUrl ? ['--database-url', databaseUrl] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const line of chunk.split('\n')) if (line.startsWith('LIVE ') || line.startsWith('HEAP ') || line.startsWith('MEM ')) console.log(`  ${line}`);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`the provisioning process exited with ${code}: ${out}`);
  return JSON.parse(line.slice('RESULT '.length)) as CycleFigures;
}

if (args.phase === 'provision') {
  watchPglite();
  const opened = await openWorkerContext({ dataDir: args['data-dir']!, sandboxUrl: args['sandbox-url']!, databaseUrl });
  try {
    const figures = await runCycle(opened.ctx, args['application-id']!);
    console.log(`RESULT ${JSON.stringify(figures)}`);
  } finally {
    await opened.close();
  }
} else {
  // PostgreSQL: a scratch database of its own (dropped at the end), not the server's given database.
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl, 'roster_prov_bench') : null;
  if (scratch) databaseUrl = scratch.url;
  const bench = await setUpProvisioningBench({ directoryUsers: N, assignedUsers: N, databaseUrl, ...(args.concurrency ? { pace: { concurrency: Number(args.concurrency) } } : {}) });
  try {
    if (!GROUPS) {
      // Users only: the group's memberships (one request each today) are not pushed.
      const version = (await bench.inject('GET', `/api/apps/${bench.applicationId}/provisioning`)).json().version;
      const patched = await bench.inject('PATCH', `/api/apps/${bench.applicationId}/provisioning`, { settings: { provisionGroups: false }, version });
      if (patched.statusCode >= 400) throw new Error(`cannot turn group provisioning off: ${JSON.stringify(patched.json())}`);
    }
    const account = await bench.account();
    const before = await bench.counters();
    const jobsBefore = await bench.jobUsers();
    const load0 = loadavg()[0]!;
    const inChild = args.process !== 'same';
    const setUpMaxRssMb = mb(process.resourceUsage().maxRSS * 1024);
    let figures: CycleFigures;
    if (inChild) {
      const { dataDir, sandboxUrl } = await bench.detach();
      // Progress every minute (a run at the default pace lasts about an hour), from the sandbox.
      const t0 = performance.now();
      const progress = setInterval(() => {
        void Promise.all([bench.counters(), bench.jobUsers()]).then(([c, j]) =>
          console.log(`  progress ${new Date().toISOString().slice(11, 19)} UTC, ${((performance.now() - t0) / 1000).toFixed(0)} s: ${c.requests - before.requests} requests, ${j.users - jobsBefore.users} users in ${j.jobs - jobsBefore.jobs} jobs, load ${loadavg()[0]!.toFixed(1)}`),
        );
      }, 60_000);
      try {
        figures = await runCycleInChild(dataDir, sandboxUrl, bench.applicationId);
      } finally {
        clearInterval(progress);
      }
    } else {
      figures = await runCycle(bench.ctx, bench.applicationId);
    }
    const wallS = figures.wallS;
    const load1 = loadavg()[0]!;
    const after = await bench.counters();
    const jobsAfter = await bench.jobUsers();
    const requests = after.requests - before.requests;
    const r429 = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
    const rpm = Number(account.plan.requestsPerMinute ?? 700);
    const pace = account.pace;
    const floor = channelFloor({ n: N, r: rpm, q: pace.queueDelayMs / 1000, p: pace.perItemMs / 1000, c: pace.concurrency, b: BULK_SIZE, j: JOB_CAP });
    const bulkUsers = jobsAfter.users - jobsBefore.users;
    const spanS = await bench.createSpan();
    const times = (await bench.jobTimes()).filter((j) => j.finished !== null && j.total > 0);
    console.log(`initial sync of ${N} assigned users (${databaseUrl ? 'postgres' : 'pglite'}), group provisioning ${GROUPS ? 'on' : 'off'}; sandbox Enterprise, ${rpm} requests/min, bulk on, ${JOB_CAP} jobs in flight, job pace ${JSON.stringify(pace)}; load ${load0.toFixed(1)} → ${load1.toFixed(1)}`);
    console.log(`  outcome ${figures.status}; counts ${JSON.stringify(figures.counts)}`);
    console.log(`  wall ${wallS.toFixed(1)} s; requests ${requests}; 429s ${r429}; users/s ${(N / wallS).toFixed(1)}; CPU ${figures.cpuS.toFixed(1)} s`);
    if (inChild) {
      console.log(`  memory of the provisioning process (a fresh process as bin/roster.js starts Roster${rosterFlags().length ? ` with ${rosterFlags().join(' ')}` : ''}; data reopened, queue and app started): ${figures.rssBeforeMb} MB before the cycle; during the cycle ${describePeak(figures.peak)}; whole life ${figures.maxRssMb} MB (target ≤ ${TARGET_MB} MB, ratio ${(figures.maxRssMb / TARGET_MB).toFixed(2)})`);
      console.log(`  (the set-up process — sandbox account, ${N} directory users, the application — peaked at ${setUpMaxRssMb} MB before handing over; not Roster's figure)`);
    } else {
      console.log(`  memory of this one process (set-up, database and cycle together): during the cycle ${describePeak(figures.peak)}; whole life ${figures.maxRssMb} MB`);
    }
    console.log(`  channels: ${bulkUsers} users in ${jobsAfter.jobs - jobsBefore.jobs} bulk jobs, ${N - bulkUsers} by single calls (the floor's split: ${floor.bulkUsers.toFixed(0)} / ${(N - floor.bulkUsers).toFixed(0)})`);
    console.log(`  combined floor ${floor.combinedS.toFixed(1)} s — ${FLOOR_FORMULA}; N=${N}, R=${rpm}/min, q=${pace.queueDelayMs / 1000} s, p=${pace.perItemMs / 1000} s, c=${pace.concurrency}, b=${BULK_SIZE}, J=${JOB_CAP}, B=${floor.bulkPerS.toFixed(2)} users/s`);
    console.log(`  (jobs alone ${floor.jobsOnlyS.toFixed(1)} s, single calls alone ${floor.singlesOnlyS.toFixed(1)} s)`);
    console.log(`  ratio to the combined floor ${(wallS / floor.combinedS).toFixed(3)} (target ≤ ${TARGET_RATIO}); to the jobs-alone floor ${(wallS / floor.jobsOnlyS).toFixed(3)}`);
    if (times.length > 0) {
      // The job cap counts a job from its submission until Roster sees it finished: what the sandbox
      // holds (submitted → finished) against the cap shows how long Roster keeps a slot after a job ends.
      const first = Math.min(...times.map((j) => j.created));
      const last = Math.max(...times.map((j) => j.finished!));
      const held = times.reduce((s, j) => s + (j.finished! - j.created), 0);
      const paced = times.reduce((s, j) => s + pace.queueDelayMs + j.total * pace.perItemMs, 0);
      const late = times.map((j) => j.finished! - (j.started ?? j.created) - j.total * pace.perItemMs).sort((a, b) => a - b);
      // In the middle of the run (20 s after the first submission to 20 s before the last finish): the steady state.
      const from = first + 20_000;
      const to = last - 20_000;
      const steady = to > from ? times.reduce((s, j) => s + Math.max(0, Math.min(j.finished!, to) - Math.max(j.created, from)), 0) / (to - from) : NaN;
      // A slot freed at the sandbox (a job finished) is taken again by the next submission: finish k ↔
      // submission k + cap. The gap is how long Roster took to see the job finished and submit another.
      const finishes = times.map((j) => j.finished!).sort((a, b) => a - b);
      const submits = times.map((j) => j.created).sort((a, b) => a - b);
      const turn = finishes.flatMap((f, k) => (submits[k + JOB_CAP] === undefined || submits[k + JOB_CAP]! < f ? [] : [submits[k + JOB_CAP]! - f])).sort((a, b) => a - b);
      if (turn.length > 0) console.log(`  slot turnover (a job finished → the next submitted, ${turn.length} slots): p50 ${turn[Math.floor(turn.length / 2)]} ms, p90 ${turn[Math.floor(turn.length * 0.9)]} ms, max ${turn.at(-1)} ms, mean ${(turn.reduce((a, b) => a + b, 0) / turn.length).toFixed(0)} ms`);
      console.log(`  jobs at the sandbox: ${times.length}, submitted → finished ${(held / times.length / 1000).toFixed(2)} s on average (the pace: ${(paced / times.length / 1000).toFixed(2)} s; work ran late by p50 ${late[Math.floor(late.length / 2)]!.toFixed(0)} ms, max ${late.at(-1)!.toFixed(0)} ms: the sandbox's timers on a loaded machine); in flight at the sandbox ${(held / (last - first)).toFixed(1)} on average over ${((last - first) / 1000).toFixed(0)} s, ${steady.toFixed(1)} in the middle (cap ${JOB_CAP}: the rest is slots Roster holds after a job ended, or leaves unused)`);
    }
    if (spanS !== null) console.log(`  writes: first to last account created ${spanS.toFixed(0)} s (sandbox clock, whole seconds), ${(spanS / floor.combinedS).toFixed(3)}× the combined floor; the rest of the wall (${(wallS - spanS).toFixed(0)} s) is the plan before and the records after`);
    if (GROUPS) {
      // Memberships go one request each after the users (until the group contract has a bulk call).
      const withMembers = floor.combinedS + N / (rpm / 60);
      console.log(`  with the group's ${N} memberships at one request each after the users: floor ${withMembers.toFixed(1)} s; ratio ${(wallS / withMembers).toFixed(3)}`);
    }
  } finally {
    await bench.close();
    await scratch?.drop();
  }
}
