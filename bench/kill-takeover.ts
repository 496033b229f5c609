/**
 * Kill → visible, long variant of packages/roster/src/provisioning/kill.integration.test.ts: per job
 * kind (incremental batch, initial cycle, approved-plan apply) and round, a run creating --users
 * accounts is started, the `roster worker` holding its lease is SIGKILLed mid-run with a second
 * worker running, and the time until every change is visible (all accounts in Zendesk with their
 * external id, linked in Roster, no duplicate) is measured. Prints each run, then p95 and max per
 * kind and overall with the ratio to the 20 s target; exits 1 if a run missed it or never converged.
 *
 *   npx tsx bench/kill-takeover.ts [--rounds 5] [--users 200] [--database-url postgres://…]   (or DATABASE_URL)
 */
import { parseArgs } from 'node:util';
import { KILL_KINDS, percentile, runKill } from '../packages/roster/test/kill/run-kill.ts';

const TARGET_SECONDS = 20;
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    users: { type: 'string', default: '200' },
    'database-url': { type: 'string' },
  },
});
const serverUrl = args['database-url'] ?? process.env['DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
if (!serverUrl) throw new Error('set --database-url or DATABASE_URL to a PostgreSQL server: the workers are separate processes sharing it');
const rounds = Number(args.rounds);
const users = Number(args.users);

console.log(`kill → visible: ${KILL_KINDS.join(', ')} × ${rounds} rounds, ${users} accounts per run, 2 worker processes`);
const result = await runKill({ serverUrl, kinds: KILL_KINDS, rounds, users, visibleTimeoutMs: 120_000, log: (l) => console.log(`  ${l}`) });
const row = (label: string, values: number[]) => {
  if (values.length === 0) return `${label}: no run became visible`;
  const p95 = percentile(values, 95);
  const max = Math.max(...values);
  return `${label}: ${values.length} runs, p95 ${p95.toFixed(1)} s, max ${max.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s: ratio ${(p95 / TARGET_SECONDS).toFixed(2)} p95, ${(max / TARGET_SECONDS).toFixed(2)} max)`;
};
for (const kind of KILL_KINDS) console.log(row(kind, result.runs.filter((r) => r.kind === kind && r.visibleSeconds !== null).map((r) => r.visibleSeconds!)));
const all = result.runs.flatMap((r) => (r.visibleSeconds === null ? [] : [r.visibleSeconds]));
console.log(row('all kinds', all));
console.log(row('kill → lease taken over (all kinds)', result.runs.flatMap((r) => (r.takeoverSeconds === null ? [] : [r.takeoverSeconds]))));
const failed = result.runs.filter((r) => r.visibleSeconds === null || r.visibleSeconds > TARGET_SECONDS);
for (const r of result.runs) for (const p of r.problems) console.log(`  problem: ${p}`);
console.log(`worker logs: ${result.logDir}`);
process.exit(failed.length ? 1 : 0);
