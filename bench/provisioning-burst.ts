/**
 * A burst (issue 17 item 3): N directory users already provisioned to an Enterprise sandbox account
 * (700 requests/min, bulk on, 30 jobs in flight, default job pace 3 s queue delay + 70 ms per user,
 * one job at a time), then ONE directory transaction setting the department of `--burst` of them to a
 * new name (a mapped field: Zendesk's `details`, so one Zendesk update per user), while a stream of
 * single changes (`--singles` renames of other provisioned users, one every `--interval-ms`) runs
 * during the burst. The engine runs as in production: one worker with the registered job handlers
 * (outbox relay, incremental syncs).
 *
 * Prints the burst's wall time (commit → the last of its updates applied in the sandbox), its floor
 * (the same formula as an initial sync's, bench/provisioning-floor.ts, for the burst's updates plus the
 * singles, which share the budget; Zendesk's `update_many` jobs have the create jobs' pace) and the
 * ratio (target ≤ 1.15×), the singles' change → visible latency p50 / p95 / max (target p95 ≤ 5 s),
 * requests and 429s. "Visible" is the moment the sandbox applied the write (its write record, ms).
 *
 * Set-up: the initial sync runs at a fast job pace (it is not what is measured), then the account is
 * put back to the default pace before the burst. Group provisioning is off (the burst touches users only).
 *
 *   npx tsx bench/provisioning-burst.ts [--burst 10000] [--singles 50] [--interval-ms 4000] [--database-url postgres://…]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { and, eq, inArray } from 'drizzle-orm';
import { provisioningCycles } from '../packages/roster/src/db/provisioning-schema.ts';
import { systemPrincipal } from '../packages/roster/src/admins/permissions.ts';
import { users } from '../packages/roster/src/db/schema.ts';
import { writeUsers } from '../packages/roster/src/directory/users/user-writer.ts';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { createProvisioningJobs } from '../packages/roster/src/provisioning/jobs/provisioning-jobs.ts';
import { startWorker } from '../packages/roster/src/runtime/worker.ts';
import { ACCOUNT, setUpProvisioningBench } from './provisioning-common.ts';
import { channelFloor, FLOOR_FORMULA } from './provisioning-floor.ts';
import { control } from './sandbox-common.ts';

const { values: args } = parseArgs({ options: { burst: { type: 'string', default: '10000' }, singles: { type: 'string', default: '50' }, 'interval-ms': { type: 'string', default: '4000' }, 'database-url': { type: 'string' } } });
const BURST = Number(args.burst);
const SINGLES = Number(args.singles);
const INTERVAL_MS = Number(args['interval-ms']);
const TARGET_RATIO = 1.15;
const TARGET_P95_S = 5;
const JOB_CAP = 30;
const BULK_SIZE = 100;
const DEFAULT_PACE = { queueDelayMs: 3000, perItemMs: 70, concurrency: 1 };
const NEW_DEPARTMENT = 'Customer Care';

const N = BURST + SINGLES;
// Set-up at a fast pace (many jobs at once): the initial sync is not what this bench measures.
const bench = await setUpProvisioningBench({ directoryUsers: N, assignedUsers: N, databaseUrl: args['database-url'] ?? process.env['DATABASE_URL'], pace: { queueDelayMs: 50, perItemMs: 1, concurrency: 30 } });

interface Write {
  seq: number;
  path: string;
  at: string;
  kind: string;
  before: { external_id: string | null } | null;
  body: { name?: string; details?: string } | null;
}
let lastSeq = 0;
/** The sandbox's record of writes applied since the last read (bulk jobs: one per item, when it runs). */
async function newWrites(): Promise<Write[]> {
  const read = () => control(bench.sandboxUrl, 'GET', `/__sandbox/accounts/${ACCOUNT}/writes?since=${lastSeq}`) as Promise<{ writes: Write[]; lastSeq: number }>;
  // A kept-alive socket the sandbox closed meanwhile fails once: read again.
  const r = await read().catch(() => sleep(200).then(read));
  lastSeq = r.lastSeq;
  return r.writes;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const version = (await bench.inject('GET', `/api/apps/${bench.applicationId}/provisioning`)).json().version;
  const patched = await bench.inject('PATCH', `/api/apps/${bench.applicationId}/provisioning`, { settings: { provisionGroups: false }, version });
  if (patched.statusCode >= 400) throw new Error(`cannot turn group provisioning off: ${JSON.stringify(patched.json())}`);
  const setUp0 = performance.now();
  const initial = await runProvisioning(engineEnvFrom(bench.ctx), bench.applicationId, 'initial');
  if (initial.status !== 'done') throw new Error(`initial cycle: ${JSON.stringify(initial)}`);
  console.log(`set-up: ${N} users provisioned in ${((performance.now() - setUp0) / 1000).toFixed(1)} s (fast pace)`);
  await control(bench.sandboxUrl, 'PATCH', `/__sandbox/accounts/${ACCOUNT}`, { pace: DEFAULT_PACE });
  const account = await bench.account();
  await newWrites();

  const abort = new AbortController();
  const worker = await startWorker({ ...bench.ctx, handlers: createProvisioningJobs({ signal: abort.signal }) });
  // Let the relay chain start and drain (set-up wrote nothing to the outbox after the cycle).
  await sleep(2_000);
  const before = await bench.counters();
  const jobsBefore = await bench.jobUsers();
  const load0 = loadavg()[0]!;
  const cpu0 = process.cpuUsage();

  const burstIds = bench.userIds.slice(0, BURST);
  const singleIds = bench.userIds.slice(BURST, N);
  const pendingBurst = new Set(burstIds);
  const singles = new Map<string, { name: string; startedAt: number; visibleAt: number | null }>();
  let burstLastAt = 0;
  let byJobs = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const w of await newWrites()) {
        if (w.kind !== 'user.update' || !w.before?.external_id) continue;
        const id = w.before.external_id;
        const at = Date.parse(w.at);
        if (w.body?.details?.includes(NEW_DEPARTMENT) && pendingBurst.delete(id)) {
          burstLastAt = Math.max(burstLastAt, at);
          if (w.path.includes('update_many')) byJobs += 1;
        }
        const s = singles.get(id);
        if (s && s.visibleAt === null && w.body?.name === s.name) s.visibleAt = at;
      }
      if (pendingBurst.size === 0 && [...singles.values()].every((s) => s.visibleAt !== null) && singles.size === SINGLES) break;
      await sleep(100);
    }
  })();

  // The burst: one transaction, as a department rename through the directory writes it (audit + outbox).
  const rows = await bench.database.db.select().from(users).where(inArray(users.id, burstIds));
  const commitStart = Date.now();
  await bench.database.db.transaction((tx) => writeUsers(tx, { updates: rows.map((current) => ({ current, next: { ...current, department: NEW_DEPARTMENT }, fields: ['department'] })) }, { actor: systemPrincipal }));
  const committedAt = Date.now();
  console.log(`burst committed: ${BURST} users in one transaction (${((committedAt - commitStart) / 1000).toFixed(1)} s to write)`);

  // Single changes during the burst, each a rename through the API.
  for (const [i, id] of singleIds.entries()) {
    await sleep(INTERVAL_MS);
    const name = `Renamed ${i}`;
    const current = (await bench.inject('GET', `/api/users/${id}`)).json();
    singles.set(id, { name, startedAt: Date.now(), visibleAt: null });
    const r = await bench.inject('PATCH', `/api/users/${id}`, { displayName: name, version: current.version });
    if (r.statusCode >= 400) throw new Error(`rename: ${JSON.stringify(r.json())}`);
  }
  const deadline = Date.now() + 3_600_000;
  while ((pendingBurst.size > 0 || [...singles.values()].some((s) => s.visibleAt === null)) && Date.now() < deadline) await sleep(500);
  watching = false;
  await watcher;
  abort.abort();
  await worker.stop();
  const cpu = process.cpuUsage(cpu0);
  const load1 = loadavg()[0]!;
  const after = await bench.counters();
  const jobsAfter = await bench.jobUsers();

  const wallS = (burstLastAt - committedAt) / 1000;
  const pace = account.pace;
  const rpm = Number(account.plan.requestsPerMinute ?? 700);
  const floor = channelFloor({ n: BURST + SINGLES, r: rpm, q: pace.queueDelayMs / 1000, p: pace.perItemMs / 1000, c: pace.concurrency, b: BULK_SIZE, j: JOB_CAP });
  const lat = [...singles.values()].map((s) => (s.visibleAt === null ? Number.POSITIVE_INFINITY : (s.visibleAt - s.startedAt) / 1000));
  const p95 = pct(lat, 95);
  console.log(`burst of ${BURST} department changes + ${SINGLES} single renames every ${INTERVAL_MS} ms (${bench.database.driver}); sandbox Enterprise, ${rpm} requests/min, ${JOB_CAP} jobs in flight, job pace ${JSON.stringify(pace)}; load ${load0.toFixed(1)} → ${load1.toFixed(1)}`);
  console.log(`  burst: commit → last update visible ${wallS.toFixed(1)} s${pendingBurst.size ? ` (${pendingBurst.size} NEVER seen)` : ''}; ${byJobs} updates by bulk jobs (${jobsAfter.jobs - jobsBefore.jobs} jobs), ${BURST - byJobs} by single calls (the floor's split ${floor.bulkUsers.toFixed(0)} / ${(BURST + SINGLES - floor.bulkUsers).toFixed(0)})`);
  console.log(`  floor ${floor.combinedS.toFixed(1)} s — ${FLOOR_FORMULA}; N=${BURST + SINGLES}, R=${rpm}/min, q=${pace.queueDelayMs / 1000} s, p=${pace.perItemMs / 1000} s, c=${pace.concurrency}, b=${BULK_SIZE}, J=${JOB_CAP} (jobs alone ${floor.jobsOnlyS.toFixed(1)} s, single calls alone ${floor.singlesOnlyS.toFixed(1)} s)`);
  console.log(`  ratio to the floor ${(wallS / floor.combinedS).toFixed(3)} (target ≤ ${TARGET_RATIO})`);
  console.log(`  singles during the burst: p50 ${pct(lat, 50).toFixed(2)} s  p95 ${p95.toFixed(2)} s  max ${Math.max(...lat).toFixed(2)} s (target p95 ≤ ${TARGET_P95_S} s, ratio ${(p95 / TARGET_P95_S).toFixed(2)})`);
  // Where a single's time went: rename → its quick run's start (relay, queue), and the run itself (plan, pacer, write).
  const quick = await bench.database.db.select().from(provisioningCycles).where(and(eq(provisioningCycles.applicationId, bench.applicationId), eq(provisioningCycles.lane, 'quick')));
  const waits: number[] = [];
  const runs: number[] = [];
  for (const [id, s] of singles) {
    const r = quick.filter((c) => c.scope?.userIds?.includes(id) && c.startedAt.getTime() >= s.startedAt - 1000).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())[0];
    if (!r?.finishedAt) continue;
    waits.push((r.startedAt.getTime() - s.startedAt) / 1000);
    runs.push((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000);
  }
  console.log(`  singles through the quick lane ${waits.length}/${SINGLES}: change → run start p50 ${pct(waits, 50).toFixed(2)} s (p95 ${pct(waits, 95).toFixed(2)} s); run p50 ${pct(runs, 50).toFixed(2)} s (p95 ${pct(runs, 95).toFixed(2)} s)`);
  console.log(`  requests ${after.requests - before.requests}; 429s ${(after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0)}; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await bench.close();
}
