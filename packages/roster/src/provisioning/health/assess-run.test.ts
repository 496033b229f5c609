import { describe, expect, it } from 'vitest';
import { FAILED_RUNS_LIMIT, type Health, type RunFacts, assessRun, quarantineDelayMinutes, readHealth } from './assess-run.ts';
import { healthMessage } from './health-messages.ts';

const now = new Date('2026-11-21T12:00:00Z');
const fresh = (): Health => readHealth({});
const run = (over: Partial<RunFacts> = {}): RunFacts => ({ kind: 'periodic', attempted: 20, failed: 0, systemicFailures: 0, fatal: null, ...over });
const unauthorized = { code: 'zendesk.unauthorized', class: 'configuration' as const, message: 'Zendesk could not authenticate Roster', advice: 'Re-enter the API token.' };
const down = { code: 'zendesk.server_error', class: 'transient' as const, message: 'Zendesk answered 503', advice: 'Wait.' };

describe('assessRun', () => {
  it('a healthy cycle changes nothing but the memory', () => {
    const v = assessRun(run({ failed: 3, systemicFailures: 3 }), 'running', fresh(), 40, now);
    expect(v.state).toBeUndefined();
    expect(v.notice).toBeUndefined();
    expect(v.health.lastRun).toMatchObject({ attempted: 20, failed: 3 });
  });

  it('quarantines when half of at least 10 attempted actions fail, with figures and advice, and notifies once', () => {
    const v = assessRun(run({ attempted: 12, failed: 6, systemicFailures: 0 }), 'running', fresh(), 40, now);
    expect(v.state).toBe('quarantined');
    expect(v.nextCycleInMinutes).toBe(60);
    expect(v.stateReason).toMatchObject({ code: 'quarantined', cause: 'failure_rate', attempted: 12, failed: 6 });
    expect(String(v.stateReason?.['message'])).toContain('6 of 12 actions failed');
    expect(String(v.stateReason?.['advice']).length).toBeGreaterThan(20);
    expect(v.notice?.kind).toBe('quarantined');
    expect(v.health).toMatchObject({ notified: 'quarantined', cause: 'failure_rate', quarantinedAt: now.toISOString() });
    // Below 10 attempts, or below half, is not a quarantine.
    expect(assessRun(run({ attempted: 9, failed: 9 }), 'running', fresh(), 40, now).state).toBeUndefined();
    expect(assessRun(run({ attempted: 40, failed: 19 }), 'running', fresh(), 40, now).state).toBeUndefined();
  });

  it(`quarantines after ${FAILED_RUNS_LIMIT} runs in a row where every call failed for reasons outside the objects; a success resets the count`, () => {
    let h = fresh();
    const allDown = run({ kind: 'incremental', attempted: 2, failed: 2, systemicFailures: 2 });
    for (let i = 1; i < FAILED_RUNS_LIMIT; i++) {
      const v = assessRun(allDown, 'idle', h, 40, now);
      expect(v.state).toBeUndefined();
      h = v.health;
    }
    expect(h.failedRuns).toBe(FAILED_RUNS_LIMIT - 1);
    expect(assessRun(run({ kind: 'incremental', attempted: 2, failed: 1, systemicFailures: 1 }), 'idle', h, 40, now).health.failedRuns).toBe(0);
    const v = assessRun(allDown, 'idle', h, 40, now);
    expect(v).toMatchObject({ state: 'quarantined', stateReason: { cause: 'failed_runs', failedRuns: FAILED_RUNS_LIMIT }, notice: { kind: 'quarantined' } });
    // A user the target refuses (object errors) is escrowed, never a reason to quarantine.
    let o = fresh();
    for (let i = 0; i < 5; i++) o = assessRun(run({ kind: 'incremental', attempted: 1, failed: 1, systemicFailures: 0 }), 'idle', o, 40, now).health;
    expect(o.failedRuns).toBe(0);
  });

  it('refused credentials quarantine at once and notify credentials_expired; a failed cycle for another reason notifies cycle_failed', () => {
    const v = assessRun(run({ attempted: 0, fatal: unauthorized }), 'quarantined', fresh(), 40, now);
    expect(v).toMatchObject({ state: 'quarantined', notice: { kind: 'credentials_expired' }, stateReason: { cause: 'configuration', error: { code: 'zendesk.unauthorized' } } });
    const failed = assessRun(run({ attempted: 0, fatal: down }), 'running', fresh(), 40, now);
    expect(failed.state).toBeUndefined();
    expect(failed.notice?.kind).toBe('cycle_failed');
    expect(failed.health.failedRuns).toBe(1);
    // The second failed cycle of the streak does not mail again.
    expect(assessRun(run({ attempted: 0, fatal: down }), 'idle', failed.health, 40, now).notice).toBeUndefined();
  });

  it('while quarantined, failed full cycles move out (1 h, 2 h, 4 h … 24 h) without more emails; the next healthy cycle lifts it with one email', () => {
    let h = assessRun(run({ attempted: 10, failed: 10, systemicFailures: 10 }), 'running', fresh(), 40, now).health;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const v = assessRun(run({ attempted: 0, fatal: down }), 'quarantined', h, 40, now);
      expect(v.notice).toBeUndefined();
      expect(v.state).toBeUndefined();
      delays.push(v.nextCycleInMinutes!);
      h = v.health;
    }
    expect(delays).toEqual([120, 240, 480, 960, 1440, 1440, 1440]);
    // Incremental batches neither lift nor move anything.
    expect(assessRun(run({ kind: 'incremental', attempted: 1, failed: 0 }), 'quarantined', h, 40, now)).toEqual({ health: expect.any(Object) });
    const lifted = assessRun(run({ attempted: 5, failed: 0 }), 'quarantined', h, 40, now);
    expect(lifted).toMatchObject({ state: 'idle', stateReason: null, notice: { kind: 'quarantine_lifted' } });
    expect(lifted.health).toMatchObject({ notified: 'healthy', quarantinedAt: null, failedRuns: 0, quarantineCycles: 0 });
    expect(quarantineDelayMinutes(180, 0)).toBe(180);
  });

  it('writes emails naming the application, the state, the figures and the advice', () => {
    const v = assessRun(run({ attempted: 12, failed: 8, systemicFailures: 8, fatal: null }), 'running', fresh(), 40, now);
    const m = healthMessage(v.notice!.kind, 'Zendesk – Support', v.notice!.facts);
    expect(m.subject).toBe('Roster: "Zendesk – Support" provisioning quarantined');
    expect(m.text).toContain('8 failed');
    expect(m.text).toContain('Advice:');
    const c = assessRun(run({ attempted: 0, fatal: unauthorized }), 'idle', fresh(), 40, now);
    const mc = healthMessage(c.notice!.kind, 'Zendesk – Support', c.notice!.facts);
    expect(mc.subject).toContain('credentials refused');
    expect(mc.text).toContain('Re-enter the API token.');
  });
});
