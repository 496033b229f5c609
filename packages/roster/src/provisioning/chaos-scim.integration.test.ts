/**
 * The chaos test's SCIM seed (issue 16): test/chaos/run-chaos-scim.ts against the SCIMMY peer — directory
 * changes at random while the peer's proxy injects faults (20 % 500, 6 % 503 + Retry-After, a 429
 * storm, latency up to 1 s, 4 % dropped connections, half of them after the app did the work),
 * `roster worker` processes SIGKILLed and restarted, faults on through a soak; once faults stop and
 * the queue drains, the peer must hold exactly the expected state (accounts, roles, active flags,
 * groups and their members, no duplicate). Needs PostgreSQL (worker processes share it): without
 * TEST_DATABASE_URL the test fails, it does not skip. 92 s at load 2.5 (115 s at load 15): over the
 * ~60 s asked (where the time goes was not profiled).
 */
import { describe, expect, it } from 'vitest';
import { runChaosScim } from '../../test/chaos/run-chaos-scim.ts';
import type { ChaosResult } from '../../test/chaos/run-chaos.ts';

const serverUrl = process.env['TEST_DATABASE_URL'];

describe('chaos against a SCIM 2.0 app: provisioning converges under faults and killed workers', () => {
  it('seed 7', { timeout: 180_000 }, async () => {
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: the chaos test runs worker processes on a shared PostgreSQL and cannot run on PGlite');
    const lines: string[] = [];
    let result: ChaosResult;
    try {
      result = await runChaosScim({
        seed: 7,
        serverUrl,
        users: 24,
        groups: 3,
        changes: 30,
        workers: 2,
        changeGapMs: [100, 500],
        killEveryMs: [5_000, 12_000],
        soakMs: 3_000,
        faultRates: 'strong',
        convergeTimeoutMs: 90_000,
        log: (l) => lines.push(l),
      });
    } catch (e) {
      throw new Error(`SCIM chaos seed 7 did not finish: ${e instanceof Error ? e.message : String(e)}\n${lines.join('\n')}`, { cause: e });
    }
    const summary = `SCIM chaos seed 7: cycles ${result.timeline.join(' | ')}; ${result.writes.checked} writes audited (${result.writes.unattributed} unattributed); ${result.kills} kills, events under faults ${JSON.stringify(result.eventsUnderFaults)}, ${result.faults.injected} faults of ${result.faults.requests} requests (${(result.faults.share * 100).toFixed(1)} %), ${result.faults.dropped} dropped, ${result.faults.rateLimited} 429s, moves ${JSON.stringify(result.moves)}; logs in ${result.logDir}`;
    expect(result.problems, `${summary}\n${lines.join('\n')}`).toEqual([]);
    expect(result.writes.problems, summary).toEqual([]);
    expect(result.writes.checked, summary).toBeGreaterThan(0);
    expect(result.kills, summary).toBeGreaterThan(0);
    expect(result.faults.injected, summary).toBeGreaterThan(0);
    expect(result.faults.dropped, summary).toBeGreaterThan(0);
    expect(result.expectedAccounts, summary).toBeGreaterThan(10);
    expect(result.eventsUnderFaults['success'] ?? 0, summary).toBeGreaterThan(0);
  });
});
