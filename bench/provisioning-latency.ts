/**
 * Propagation latency of single directory changes (create = a new user added to the assigned
 * group, rename, suspend = deactivate) with a large directory: from the API call's return until
 * the sandbox shows the change. The engine runs as in production: one worker with the registered
 * job handlers (outbox relay, incremental syncs). Target: p95 ≤ 5 s.
 *
 *   npx tsx bench/provisioning-latency.ts [--directory 100000] [--assigned 200] [--samples 20]
 */
import { parseArgs } from 'node:util';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { createProvisioningJobs } from '../packages/roster/src/provisioning/jobs/provisioning-jobs.ts';
import { startWorker } from '../packages/roster/src/runtime/worker.ts';
import { ACCOUNT, setUpProvisioningBench } from './provisioning-common.ts';
import { control } from './sandbox-common.ts';

const { values: args } = parseArgs({ options: { directory: { type: 'string', default: '100000' }, assigned: { type: 'string', default: '200' }, samples: { type: 'string', default: '20' }, 'database-url': { type: 'string' } } });
const SAMPLES = Number(args.samples);
const TARGET_P95_S = 5;

const bench = await setUpProvisioningBench({ directoryUsers: Number(args.directory), assignedUsers: Number(args.assigned), databaseUrl: args['database-url'] ?? process.env['DATABASE_URL'] });
type ZUser = { external_id: string | null; name: string; suspended: boolean; active: boolean };
const zendesk = async (): Promise<Map<string, ZUser>> => {
  const snap = (await control(bench.sandboxUrl, 'GET', `/__sandbox/accounts/${ACCOUNT}/snapshot`)) as { users: ZUser[] };
  return new Map(snap.users.filter((u) => u.external_id).map((u) => [u.external_id as string, u]));
};
async function visible(check: (users: Map<string, ZUser>) => boolean, started: number): Promise<number> {
  for (;;) {
    if (check(await zendesk())) return (performance.now() - started) / 1000;
    if (performance.now() - started > 60_000) return Number.POSITIVE_INFINITY;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;

try {
  const initial = await runProvisioning(engineEnvFrom(bench.ctx), bench.applicationId, 'initial');
  if (initial.status !== 'done') throw new Error(`initial cycle: ${JSON.stringify(initial)}`);
  const abort = new AbortController();
  const worker = await startWorker({ ...bench.ctx, handlers: createProvisioningJobs({ signal: abort.signal }) });
  const results: Record<string, number[]> = { create: [], rename: [], suspend: [] };
  const provisioned = bench.userIds.slice(0, Number(args.assigned));
  for (let i = 0; i < SAMPLES; i++) {
    const email = `new${i}@bench.example.com`;
    const created = await bench.inject('POST', '/api/users', { email, givenName: 'New', familyName: String(i), displayName: `New ${i}` });
    const id = created.json().id as string;
    let t = performance.now();
    await bench.inject('POST', `/api/groups/${bench.groupId}/members`, { memberType: 'user', memberId: id });
    results['create']!.push(await visible((u) => u.has(id), t));

    const target = provisioned[i]!;
    t = performance.now();
    await bench.inject('PATCH', `/api/users/${target}`, { displayName: `Renamed ${i}`, version: (await bench.inject('GET', `/api/users/${target}`)).json().version });
    results['rename']!.push(await visible((u) => u.get(target)?.name === `Renamed ${i}`, t));

    const victim = provisioned[provisioned.length - 1 - i]!;
    t = performance.now();
    await bench.inject('POST', `/api/users/${victim}/deactivate`);
    results['suspend']!.push(await visible((u) => u.get(victim)?.suspended === true, t));
  }
  abort.abort();
  await worker.stop();
  const c = await bench.counters();
  console.log(`propagation latency, directory of ${args.directory} users (${args.assigned} provisioned), ${SAMPLES} samples per change, ${bench.database.driver}`);
  for (const [kind, xs] of Object.entries(results)) {
    const p95 = pct(xs, 95);
    console.log(`  ${kind.padEnd(8)} p50 ${pct(xs, 50).toFixed(2)} s  p95 ${p95.toFixed(2)} s  max ${Math.max(...xs).toFixed(2)} s  (target p95 ≤ ${TARGET_P95_S} s, ratio ${(p95 / TARGET_P95_S).toFixed(2)})`);
  }
  console.log(`  sandbox requests ${c.requests}, 429s ${c.byStatus['429'] ?? 0}`);
} finally {
  await bench.close();
}
