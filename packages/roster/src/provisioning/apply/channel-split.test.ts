import { describe, expect, it } from 'vitest';
import { createChannelSplit } from './channel-split.ts';

const options = { bulkSize: 100, jobCap: 30, singles: true, minJob: 10 };

/** Single calls finishing every `everyMs` from `from` to `to` (a measured single rate). */
function singlesAt(split: ReturnType<typeof createChannelSplit>, from: number, to: number, everyMs: number): void {
  split.singleStarted(from);
  for (let t = from + everyMs; t <= to; t += everyMs) split.singleFinished(t);
}

describe('channel split', () => {
  it('sends a first job at once to measure the target; until one has finished, at most a tenth of the users wait in jobs', () => {
    const split = createChannelSplit(options);
    expect(split.nextJob(3_000, 0)).toBe(100);
    split.jobStarted(100, 0);
    expect(split.nextJob(2_900, 100)).toBe(100);
    split.jobStarted(100, 100);
    expect(split.nextJob(2_800, 200)).toBe(100);
    split.jobStarted(100, 200);
    expect(split.nextJob(2_700, 300)).toBe(0);
    // Measured now, but not yet how fast single calls go: wait for them.
    split.jobFinished(100, 0, 10_000);
    expect(split.nextJob(2_000, 10_000)).toBe(0);
    singlesAt(split, 9_000, 10_000, 100);
    expect(split.nextJob(2_000, 10_000)).toBe(100);
  });

  it('with a long queue, fills every job slot, and no more', () => {
    const split = createChannelSplit(options);
    singlesAt(split, 0, 1_000, 100);
    let waiting = 100_000;
    let jobs = 0;
    for (let k = split.nextJob(waiting, 1_000); k > 0; k = split.nextJob(waiting, 1_000)) {
      split.jobStarted(k, 1_000);
      waiting -= k;
      jobs += 1;
    }
    expect(jobs).toBe(30);
  });

  it('measures the bulk rate from jobs finishing back to back (one job at a time: 100 users every 7 s)', () => {
    const split = createChannelSplit(options);
    for (let i = 0; i < 5; i++) split.jobStarted(100, 0);
    for (let i = 0; i < 5; i++) split.jobFinished(100, 0, 10_000 + i * 7_000);
    const e = split.estimate(40_000);
    expect(e.measured).toBe(true);
    expect(e.jobLatencyMs).toBe(10_000);
    expect(e.bulkPerSecond).toBeCloseTo(100 / 7, 5);
  });

  it('jobs finishing together (the target runs many at once): the rate is what the cap allows at the measured latency', () => {
    const split = createChannelSplit(options);
    for (let i = 0; i < 30; i++) split.jobStarted(100, 0);
    for (let i = 0; i < 30; i++) split.jobFinished(100, 0, 10_000);
    expect(split.estimate(10_000).bulkPerSecond).toBeCloseTo((30 * 100) / 10, 5);
  });

  it('a job that did not run (its submission failed, or it was never sent) measures nothing', () => {
    const split = createChannelSplit(options);
    for (let i = 0; i < 30; i++) split.jobStarted(100, 0);
    // Refused in 50 ms: without `ran: false` it would stand as the quickest job of the whole write.
    split.jobFinished(100, 0, 50, false);
    expect(split.estimate(50)).toMatchObject({ measured: false });
    for (let i = 0; i < 29; i++) split.jobFinished(100, 0, 10_000 + i * 35);
    expect(split.estimate(11_000).jobLatencyMs).toBe(10_000);
    // Jobs as fast as the cap allows: few single lanes, so their pacer slots do not delay the jobs'.
    expect(split.singleLanes(12, 11_000)).toBe(2);
  });

  it('a job submitted after the previous one finished says nothing of the pace', () => {
    const split = createChannelSplit(options);
    split.jobStarted(100, 0);
    split.jobFinished(100, 0, 10_000);
    split.jobStarted(100, 50_000);
    split.jobFinished(100, 50_000, 60_000);
    // No back-to-back pair: one job per latency, the cautious figure.
    expect(split.estimate(60_000).bulkPerSecond).toBeCloseTo(10, 5);
  });

  it('leaves the tail to single calls: a job is sent only while it ends the write sooner', () => {
    const split = createChannelSplit(options);
    // Measured: jobs take 10 s, 100 users every 7 s; single calls 10 per second.
    for (let i = 0; i < 3; i++) split.jobStarted(100, 0);
    for (let i = 0; i < 3; i++) split.jobFinished(100, 0, 10_000 + i * 7_000);
    singlesAt(split, 20_000, 30_000, 100);
    // 2,000 waiting: singles alone need 200 s, a job helps.
    expect(split.nextJob(2_000, 30_000)).toBe(100);
    // 80 waiting: singles need 8 s, a job at least 10 s.
    expect(split.nextJob(80, 30_000)).toBe(0);
  });

  it('the split follows the measurements: a slow job pace gets fewer users than a fast one', () => {
    const share = (gapMs: number) => {
      const split = createChannelSplit(options);
      split.jobStarted(100, 0);
      split.jobStarted(100, 0);
      split.jobFinished(100, 0, 10_000);
      split.jobFinished(100, 0, 10_000 + gapMs);
      singlesAt(split, 0, 20_000, 100);
      let waiting = 3_000;
      while (true) {
        const k = split.nextJob(waiting, 20_000);
        if (k === 0) break;
        split.jobStarted(k, 20_000);
        waiting -= k;
      }
      return 3_000 - waiting;
    };
    const fast = share(1_000);
    const slow = share(20_000);
    // Fast: 100 users a second by bulk vs 10 single: bulk takes ~10/11 of 3,000.
    expect(fast).toBeGreaterThanOrEqual(2_600);
    // Slow: 100 users per 20 s (5 a second) vs 10 single: ~1/3, so both end together (~200 s).
    expect(slow).toBeGreaterThanOrEqual(900);
    expect(slow).toBeLessThanOrEqual(1_100);
  });

  it('a remainder smaller than a worthwhile job goes single; without single calls every user goes in a job', () => {
    const split = createChannelSplit(options);
    expect(split.nextJob(9, 0)).toBe(0);
    const bulkOnly = createChannelSplit({ ...options, singles: false });
    expect(bulkOnly.nextJob(9, 0)).toBe(9);
    bulkOnly.jobStarted(9, 0);
    expect(bulkOnly.nextJob(250, 0)).toBe(100);
  });
});
