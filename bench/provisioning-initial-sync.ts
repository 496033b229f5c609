/**
 * Initial sync: N assigned users (group → Agent) into an empty Enterprise sandbox account
 * (700 requests/min, bulk on, 30 jobs in flight; job pace by default 3 s queue delay, 70 ms per
 * user, one job at a time; `--concurrency 30` runs 30 jobs at once). The engine writes through bulk
 * jobs and single calls at the same time. Prints wall time, requests, 429s, users/s, how many users
 * each channel took, peak RSS of this process (engine + database; the sandbox runs in its own), and
 * the ratio to the combined floor of both channels (bench/provisioning-floor.ts):
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
 *   npx tsx bench/provisioning-initial-sync.ts [--users 10000] [--concurrency 1] [--groups on|off] [--database-url postgres://…]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { provisioningCycles } from '../packages/roster/src/db/provisioning-schema.ts';
import { eq } from 'drizzle-orm';
import { setUpProvisioningBench } from './provisioning-common.ts';
import { channelFloor, FLOOR_FORMULA } from './provisioning-floor.ts';

const { values: args } = parseArgs({ options: { users: { type: 'string', default: '10000' }, concurrency: { type: 'string' }, groups: { type: 'string', default: 'on' }, 'database-url': { type: 'string' } } });
const GROUPS = args.groups !== 'off';
const N = Number(args.users);
const TARGET_RATIO = 1.1;
const JOB_CAP = 30;
const BULK_SIZE = 100;

const bench = await setUpProvisioningBench({ directoryUsers: N, assignedUsers: N, databaseUrl: args['database-url'] ?? process.env['DATABASE_URL'], ...(args.concurrency ? { pace: { concurrency: Number(args.concurrency) } } : {}) });
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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runProvisioning(engineEnvFrom(bench.ctx), bench.applicationId, 'initial');
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const load1 = loadavg()[0]!;
  const after = await bench.counters();
  const jobsAfter = await bench.jobUsers();
  const [cycle] = await bench.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, r.status === 'done' ? r.cycleId : ''));
  const requests = after.requests - before.requests;
  const r429 = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
  const rpm = Number(account.plan.requestsPerMinute ?? 700);
  const pace = account.pace;
  const floor = channelFloor({ n: N, r: rpm, q: pace.queueDelayMs / 1000, p: pace.perItemMs / 1000, c: pace.concurrency, b: BULK_SIZE, j: JOB_CAP });
  const bulkUsers = jobsAfter.users - jobsBefore.users;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const spanS = await bench.createSpan();
  console.log(`initial sync of ${N} assigned users (${bench.database.driver}), group provisioning ${GROUPS ? 'on' : 'off'}; sandbox Enterprise, ${rpm} requests/min, bulk on, ${JOB_CAP} jobs in flight, job pace ${JSON.stringify(pace)}; load ${load0.toFixed(1)} → ${load1.toFixed(1)}`);
  console.log(`  outcome ${r.status}; counts ${JSON.stringify(cycle?.counts)}`);
  console.log(`  wall ${wallS.toFixed(1)} s; requests ${requests}; 429s ${r429}; users/s ${(N / wallS).toFixed(1)}; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; peak RSS ${rssMb.toFixed(0)} MB`);
  console.log(`  channels: ${bulkUsers} users in ${jobsAfter.jobs - jobsBefore.jobs} bulk jobs, ${N - bulkUsers} by single calls (the floor's split: ${floor.bulkUsers.toFixed(0)} / ${(N - floor.bulkUsers).toFixed(0)})`);
  console.log(`  combined floor ${floor.combinedS.toFixed(1)} s — ${FLOOR_FORMULA}; N=${N}, R=${rpm}/min, q=${pace.queueDelayMs / 1000} s, p=${pace.perItemMs / 1000} s, c=${pace.concurrency}, b=${BULK_SIZE}, J=${JOB_CAP}, B=${floor.bulkPerS.toFixed(2)} users/s`);
  console.log(`  (jobs alone ${floor.jobsOnlyS.toFixed(1)} s, single calls alone ${floor.singlesOnlyS.toFixed(1)} s)`);
  console.log(`  ratio to the combined floor ${(wallS / floor.combinedS).toFixed(3)} (target ≤ ${TARGET_RATIO}); to the jobs-alone floor ${(wallS / floor.jobsOnlyS).toFixed(3)}`);
  if (spanS !== null) console.log(`  writes: first to last account created ${spanS.toFixed(0)} s (sandbox clock, whole seconds), ${(spanS / floor.combinedS).toFixed(3)}× the combined floor; the rest of the wall (${(wallS - spanS).toFixed(0)} s) is the plan before and the records after`);
  if (GROUPS) {
    // Memberships go one request each after the users (until the group contract has a bulk call).
    const withMembers = floor.combinedS + N / (rpm / 60);
    console.log(`  with the group's ${N} memberships at one request each after the users: floor ${withMembers.toFixed(1)} s; ratio ${(wallS / withMembers).toFixed(3)}`);
  }
} finally {
  await bench.close();
}
