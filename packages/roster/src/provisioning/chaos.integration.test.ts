/**
 * Issue 5's convergence proof, short variant (the long one is bench/chaos-convergence.ts): per seed,
 * directory changes made at random while the sandbox injects faults and `roster worker` processes
 * are SIGKILLed and restarted; once faults stop and the queue drains, Zendesk must hold exactly the
 * expected state (test/chaos/). Worker processes share one database, so this needs PostgreSQL: without
 * TEST_DATABASE_URL the test fails, it does not skip.
 */
import { describe, expect, it } from 'vitest';
import { type ChaosResult, runChaos } from '../../test/chaos/run-chaos.ts';

const SEEDS = [11, 22, 33];
const serverUrl = process.env['TEST_DATABASE_URL'];

describe('chaos: provisioning converges under faults and killed workers', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: the chaos test runs worker processes on a shared PostgreSQL and cannot run on PGlite');
    const lines: string[] = [];
    let result: ChaosResult;
    try {
      result = await runChaos({ seed, serverUrl, users: 40, groups: 3, changes: 60, workers: 2, changeGapMs: [100, 700], killEveryMs: [8_000, 20_000], convergeTimeoutMs: 120_000, log: (l) => lines.push(l) });
    } catch (e) {
      throw new Error(`chaos seed ${seed} did not finish: ${e instanceof Error ? e.message : String(e)}\n${lines.join('\n')}`, { cause: e });
    }
    const summary = `chaos seed ${seed}: cycles ${result.timeline.join(' | ')}; ${result.kills} kills, events under faults ${JSON.stringify(result.eventsUnderFaults)}, ${result.faults.injected} faults, ${result.faults.dropped} dropped connections, ${result.faults.rateLimited} 429s, moves ${JSON.stringify(result.moves)}; logs in ${result.logDir}`;
    expect(result.problems, `${summary}\n${lines.join('\n')}\n${result.timeline.join('\n')}`).toEqual([]);
    expect(result.kills, summary).toBeGreaterThan(0);
    expect(result.faults.injected, summary).toBeGreaterThan(0);
    expect(result.expectedAccounts, summary).toBeGreaterThan(10);
  }, 240_000);
});
