/**
 * Issue 11's kill test, short variant (the long one is bench/kill-takeover.ts): for each job kind, a
 * `roster worker` process is SIGKILLed mid-run while a second one runs; the second must take the
 * work over by itself (its lease taken over once the dead holder's lease is stale, not after
 * pg-boss's 5 min expiry), and every change must then be visible in Zendesk and linked in Roster
 * (test/kill/run-kill.ts). The bounds tell those mechanisms apart and do not measure speed: the 20 s
 * kill → visible target is measured by bench/kill-takeover.ts (README), since CI runs this file beside
 * the chaos tests at a load it does not control. Worker processes share one database, so this needs
 * PostgreSQL: without TEST_DATABASE_URL the test fails, it does not skip.
 */
import { describe, expect, it } from 'vitest';
import { KILL_KINDS, runKill } from '../../test/kill/run-kill.ts';

const serverUrl = process.env['TEST_DATABASE_URL'];
/** Well above the lease's 10 s staleness plus a start-up under load, well below pg-boss's 300 s expiry. */
const TAKEOVER_BOUND_SECONDS = 60;
const VISIBLE_BOUND_SECONDS = 120;

describe('kill: a worker killed mid-run loses nothing and is taken over within seconds', () => {
  it('every job kind', async () => {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: the kill test runs worker processes on a shared PostgreSQL and cannot run on PGlite');
    const lines: string[] = [];
    const result = await runKill({ serverUrl, kinds: KILL_KINDS, rounds: 1, users: 150, visibleTimeoutMs: VISIBLE_BOUND_SECONDS * 1000, log: (l) => lines.push(l) });
    const summary = `${lines.join('\n')}\nworker logs in ${result.logDir}`;
    expect(result.runs.map((r) => r.kind), summary).toEqual([...KILL_KINDS]);
    for (const run of result.runs) {
      expect(run.problems, summary).toEqual([]);
      // Killed mid-run: not everything had reached Zendesk yet.
      expect(run.atKill, summary).toBeLessThan(150);
      expect(run.visibleSeconds, summary).not.toBeNull();
      expect(run.takeoverSeconds, summary).not.toBeNull();
      expect(run.takeoverSeconds!, summary).toBeLessThanOrEqual(TAKEOVER_BOUND_SECONDS);
      expect(run.visibleSeconds!, summary).toBeLessThanOrEqual(VISIBLE_BOUND_SECONDS);
    }
  }, 600_000);
});
