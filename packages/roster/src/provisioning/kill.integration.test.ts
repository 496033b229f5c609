/**
 * Issue 11's kill test, short variant (the long one is bench/kill-takeover.ts): for each job kind, a
 * `roster worker` process is SIGKILLed mid-run while a second one runs; the second must take the
 * work over by itself, and every change must be visible in Zendesk (and linked in Roster) within
 * 20 s of the kill (test/kill/run-kill.ts). Worker processes share one database, so this needs
 * PostgreSQL: without TEST_DATABASE_URL the test fails, it does not skip.
 */
import { describe, expect, it } from 'vitest';
import { KILL_KINDS, runKill } from '../../test/kill/run-kill.ts';

const serverUrl = process.env['TEST_DATABASE_URL'];
const TARGET_SECONDS = 20;

describe('kill: a worker killed mid-run loses nothing and is taken over within seconds', () => {
  it('every job kind', async () => {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: the kill test runs worker processes on a shared PostgreSQL and cannot run on PGlite');
    const lines: string[] = [];
    const result = await runKill({ serverUrl, kinds: KILL_KINDS, rounds: 1, users: 150, log: (l) => lines.push(l) });
    const summary = `${lines.join('\n')}\nworker logs in ${result.logDir}`;
    expect(result.runs.map((r) => r.kind), summary).toEqual([...KILL_KINDS]);
    for (const run of result.runs) {
      expect(run.problems, summary).toEqual([]);
      // Killed mid-run: not everything had reached Zendesk yet.
      expect(run.atKill, summary).toBeLessThan(150);
      expect(run.visibleSeconds, summary).not.toBeNull();
      expect(run.visibleSeconds!, summary).toBeLessThanOrEqual(TARGET_SECONDS);
    }
  }, 300_000);
});
