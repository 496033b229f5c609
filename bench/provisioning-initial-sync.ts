/**
 * Initial sync: N assigned users (group → Agent) into an empty Enterprise sandbox account
 * (700 requests/min, bulk on, default job pace: 3 s queue delay, 70 ms per user, one job at a
 * time). Prints wall time, requests, 429s and the ratio to the floor: jobs run one at a time, so
 * the floor is queueDelay + N × perItem, or the request budget's minimum if that is larger.
 * Target: ≤ 1.25× the floor, 0 unplanned 429s.
 *
 *   npx tsx bench/provisioning-initial-sync.ts [--users 10000] [--database-url postgres://…]
 */
import { parseArgs } from 'node:util';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { provisioningCycles } from '../packages/roster/src/db/provisioning-schema.ts';
import { eq } from 'drizzle-orm';
import { setUpProvisioningBench } from './provisioning-common.ts';

const { values: args } = parseArgs({ options: { users: { type: 'string', default: '10000' }, 'database-url': { type: 'string' } } });
const N = Number(args.users);
const TARGET_RATIO = 1.25;

const bench = await setUpProvisioningBench({ directoryUsers: N, assignedUsers: N, databaseUrl: args['database-url'] ?? process.env['DATABASE_URL'] });
try {
  const account = await bench.account();
  const before = await bench.counters();
  const t0 = performance.now();
  const r = await runProvisioning(engineEnvFrom(bench.ctx), bench.applicationId, 'initial');
  const wallS = (performance.now() - t0) / 1000;
  const after = await bench.counters();
  const [cycle] = await bench.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, r.status === 'done' ? r.cycleId : ''));
  const requests = after.requests - before.requests;
  const r429 = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
  const rpm = Number(account.plan.requestsPerMinute ?? 700);
  const pace = account.pace;
  const jobs = Math.ceil(N / 100);
  const paceFloorS = (pace.queueDelayMs + (N * pace.perItemMs) / Math.max(1, pace.concurrency)) / 1000;
  const rateFloorS = (requests / rpm) * 60;
  const floorS = Math.max(paceFloorS, rateFloorS);
  console.log(`initial sync of ${N} assigned users (${bench.database.driver}); sandbox Enterprise, ${rpm} requests/min, bulk on, job pace ${JSON.stringify(pace)}`);
  console.log(`  outcome ${r.status}; counts ${JSON.stringify(cycle?.counts)}`);
  console.log(`  wall ${wallS.toFixed(1)} s; requests ${requests} (${jobs} bulk jobs); 429s ${r429}`);
  console.log(`  floor ${floorS.toFixed(1)} s (job pace ${paceFloorS.toFixed(1)} s, request budget ${rateFloorS.toFixed(1)} s); ratio ${(wallS / floorS).toFixed(3)} (target ≤ ${TARGET_RATIO})`);
  console.log(`  users/s ${(N / wallS).toFixed(1)}`);
} finally {
  await bench.close();
}
