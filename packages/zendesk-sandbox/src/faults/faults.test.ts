import { describe, expect, it } from 'vitest';
import { FaultState } from './faults.ts';

describe('FaultState', () => {
  it('repeats the same decisions for the same seed', () => {
    const run = () => {
      const f = new FaultState();
      f.set({ seed: 42, errorRate: 0.3, serviceUnavailableRate: 0.2 });
      return Array.from({ length: 50 }, () => f.decide(0).kind);
    };
    const a = run();
    expect(a).toEqual(run());
    expect(a).toContain('error');
    expect(a).toContain('none');
  });

  it('sends a counted 429 storm, then stops', () => {
    const f = new FaultState();
    f.set({ rateLimitStorm: { count: 2 } });
    expect([f.decide().kind, f.decide().kind, f.decide().kind]).toEqual(['storm', 'storm', 'none']);
  });

  it('holds a timed storm until it ends and adds fixed latency', () => {
    const f = new FaultState();
    f.set({ rateLimitStorm: { untilMs: 1000 }, latencyMs: { fixed: 25 } }, 0);
    expect(f.decide(500)).toEqual({ kind: 'storm', delayMs: 25 });
    expect(f.decide(1500).kind).toBe('none');
  });
});
