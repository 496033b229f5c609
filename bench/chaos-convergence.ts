/**
 * Convergence under chaos, long variant of src/provisioning/chaos.integration.test.ts: per seed, a
 * directory of --users users takes --changes random changes while the sandbox injects faults
 * (strong rates by default: 20% 500, 6% 503 + Retry-After, 429 storms, latency up to 1 s, 4% dropped
 * connections, 10% failed jobs; --classic for issue 5's 10% / 3% / 2 s / 2%), --workers `roster
 * worker` processes are SIGKILLed and restarted, and Zendesk is edited by hand (renames, suspensions,
 * group moves), gets duplicates by hand and one target reset with ids reused (--no-hand to leave
 * Zendesk alone, --no-reset to skip only the reset). Faults stay on for --soak-ms after the last
 * kill; then they stop, a full cycle runs, the queue drains, and the sandbox must equal the
 * directory's expected state with no write of Roster's on an account whose identity did not match.
 * Prints one line per seed and the totals; exits 1 if any seed failed.
 *
 * `--target scim`: the SCIMMY test peer instead of the sandbox (test/chaos/run-chaos-scim.ts): the
 * same changes, kills, soak and fault rates from the peer's proxy (including answers lost after the
 * app did the work), the state verdict and the write audit (from the peer's write record) — no
 * edits by hand, no target reset.
 *
 *   npx tsx bench/chaos-convergence.ts [--target zendesk|scim] [--seeds 20] [--first-seed 1] [--users 500] [--changes 300] [--workers 2] [--soak-ms 30000] [--classic] [--no-hand] [--no-reset] [--keep-failed] [--database-url postgres://…]   (or DATABASE_URL)
 */
import { parseArgs } from 'node:util';
import { type ChaosResult, runChaos } from '../packages/roster/test/chaos/run-chaos.ts';
import { runChaosScim } from '../packages/roster/test/chaos/run-chaos-scim.ts';

const { values: args } = parseArgs({
  options: {
    target: { type: 'string', default: 'zendesk' },
    seeds: { type: 'string', default: '20' },
    'first-seed': { type: 'string', default: '1' },
    users: { type: 'string', default: '500' },
    changes: { type: 'string', default: '300' },
    workers: { type: 'string', default: '2' },
    'soak-ms': { type: 'string', default: '30000' },
    classic: { type: 'boolean', default: false },
    'no-hand': { type: 'boolean', default: false },
    'no-reset': { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'keep-failed': { type: 'boolean', default: false },
  },
});
const serverUrl = args['database-url'] ?? process.env['DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
if (!serverUrl) throw new Error('set --database-url or DATABASE_URL to a PostgreSQL server: the workers are separate processes sharing it');
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => Number(args['first-seed']) + i);
const users = Number(args.users);

const scim = args.target === 'scim';
const hand = args['no-hand'] || scim ? undefined : { edits: 0.08, duplicates: 0.03, targetReset: !args['no-reset'] };
console.log(
  `chaos convergence against ${scim ? 'the SCIMMY peer (SCIM 2.0)' : 'the Zendesk sandbox'}: ${seeds.length} seeds, ${users} users, ${args.changes} changes, ${args.workers} worker processes, ${args.classic ? 'classic' : 'strong'} fault rates, soak ${args['soak-ms']} ms, ${hand ? `edits and duplicates by hand${hand.targetReset ? ', a target reset' : ''}` : 'the target left alone'}`,
);
const results: (ChaosResult | { seed: number; error: string; ms: number })[] = [];
for (const seed of seeds) {
  const t0 = Date.now();
  try {
    const run = scim ? runChaosScim : runChaos;
    const r = await run({
      seed,
      serverUrl,
      users,
      groups: 4,
      changes: Number(args.changes),
      workers: Number(args.workers),
      changeGapMs: [20, 200],
      killEveryMs: [2_000, 8_000],
      convergeTimeoutMs: 600_000,
      soakMs: Number(args['soak-ms']),
      faultRates: args.classic ? 'classic' : 'strong',
      ...(hand ? { hand } : {}),
      log: args.verbose || args['keep-failed'] ? (l) => console.log(`  ${l}`) : undefined,
      keepFailedDatabase: args['keep-failed'],
    });
    results.push(r);
    const audit = `${r.writes.problems.length === 0 ? 'no' : `**${r.writes.problems.length}**`} writes to a mismatched account (${r.writes.checked} checked, ${r.writes.unattributed} unattributed)`;
    const verdict = `${r.problems.length === 0 ? 'converged' : `${r.problems.length} PROBLEMS`}; ${audit}`;
    console.log(
      `seed ${seed}: ${verdict}; ${r.expectedAccounts} expected accounts; ${Object.values(r.moves).reduce((a, b) => a + b, 0)} changes; ${r.kills} SIGKILLs (${r.workerStarts} worker starts); events under faults ${JSON.stringify(r.eventsUnderFaults)}; by hand ${JSON.stringify(r.hand)}; ${r.faults.injected} injected faults (${r.faults.dropped} dropped, ${r.faults.rateLimited} × 429) of ${r.faults.requests} requests = ${(r.faults.share * 100).toFixed(1)} %; cycle requests ${r.cycleRequests}; sequence ${(r.ms.sequence / 1000).toFixed(1)} s, soak ${(r.ms.soak / 1000).toFixed(1)} s, converged ${(r.ms.converge / 1000).toFixed(1)} s after faults stopped, total ${(r.ms.total / 1000).toFixed(1)} s`,
    );
    if (args.verbose) for (const c of r.timeline) console.log(`  ${c}`);
    for (const p of [...r.problems, ...r.writes.problems].slice(0, 20)) console.log(`  ${p}`);
    if (r.problems.length || r.writes.problems.length) console.log(`  worker logs: ${r.logDir}`);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    results.push({ seed, error, ms: Date.now() - t0 });
    console.log(`seed ${seed}: DID NOT FINISH: ${error}`);
  }
}
const done = results.filter((r): r is ChaosResult => 'problems' in r);
const converged = done.filter((r) => r.problems.length === 0 && r.writes.problems.length === 0).length;
const sum = (f: (r: ChaosResult) => number) => done.reduce((n, r) => n + f(r), 0);
console.log(
  `totals: ${converged}/${seeds.length} seeds passed (converged, no write to a mismatched account); ${sum((r) => r.kills)} SIGKILLs; ${sum((r) => r.faults.injected)} injected faults of ${sum((r) => r.faults.requests)} requests (${((sum((r) => r.faults.injected) / Math.max(1, sum((r) => r.faults.requests))) * 100).toFixed(1)} %); ${sum((r) => r.writes.checked)} writes audited, ${sum((r) => r.writes.problems.length)} to a mismatched account; converge after faults stopped: max ${(Math.max(0, ...done.map((r) => r.ms.converge)) / 1000).toFixed(1)} s; wall ${(sum((r) => r.ms.total) / 1000).toFixed(0)} s`,
);
process.exit(converged === seeds.length ? 0 : 1);
