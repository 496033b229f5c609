import { describe, expect, it } from 'vitest';
import { learn, pacerParams, takeSlot, type PacerState } from './pacer-schedule.ts';

/** Sends `count` requests as fast as the schedule allows, each arriving the moment the previous one left. */
function greedy(limit: number, count: number, startMs = 0): number[] {
  let state: PacerState = { limitPerMinute: limit, anchorMs: startMs - 60_000, used: 0, blockedUntilMs: null };
  let now = startMs;
  const sent: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const slot = takeSlot(state, now);
    state = slot.state;
    now = slot.sendAtMs;
    sent.push(now);
  }
  return sent;
}

function maxInAnyMinute(sent: number[]): number {
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < sent.length; hi += 1) {
    while ((sent[hi] ?? 0) - (sent[lo] ?? 0) >= 60_000) lo += 1;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

describe('pacer schedule', () => {
  it.each([200, 400, 700, 2500])('keeps 5 %% headroom below %i in any 60 s span, and stays near the limit', (limit) => {
    const sent = greedy(limit, limit * 5);
    expect(maxInAnyMinute(sent)).toBeLessThanOrEqual(Math.floor(limit * 0.95));
    const perMinute = (sent.length - 1) / (((sent.at(-1) ?? 0) - (sent[0] ?? 0)) / 60_000);
    expect(perMinute).toBeGreaterThan(limit * 0.9);
  });

  it('spreads a burst evenly instead of sending it at once', () => {
    const sent = greedy(700, 200);
    const { interval, tolerance } = pacerParams(700);
    const burst = Math.round(tolerance / interval);
    expect(sent.slice(0, burst + 1).every((t) => t === 0)).toBe(true);
    expect((sent[burst + 10] ?? 0) - (sent[burst + 9] ?? 0)).toBeCloseTo(interval, 5);
  });

  it('gives idle time back only as the burst allowance', () => {
    let state: PacerState = { limitPerMinute: 700, anchorMs: 0, used: 0, blockedUntilMs: null };
    const nowMs = 10 * 60_000;
    const sendTimes: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const slot = takeSlot(state, nowMs);
      state = slot.state;
      sendTimes.push(slot.sendAtMs);
    }
    const immediate = sendTimes.filter((t) => t === nowMs).length;
    expect(immediate).toBe(Math.round(pacerParams(700).tolerance / pacerParams(700).interval) + 1);
  });

  it('waits for blocked_until after a Retry-After', () => {
    const state = learn({ limitPerMinute: 700, anchorMs: 0, used: 0, blockedUntilMs: null }, 1000, { retryAfterSeconds: 7 });
    expect(state?.blockedUntilMs).toBe(8000);
    const slot = takeSlot(state as PacerState, 1000);
    expect(slot.sendAtMs).toBe(8000);
  });

  it('learns the limit from headers and ignores responses that teach nothing', () => {
    const base: PacerState = { limitPerMinute: 200, anchorMs: 0, used: 0, blockedUntilMs: null };
    expect(learn(base, 0, { limit: 700, remaining: 650 })?.limitPerMinute).toBe(700);
    expect(learn(base, 0, { limit: 200, remaining: 150, resetSeconds: 30 })).toBeNull();
  });

  it('pauses until the reset when another client exhausted the shared budget', () => {
    const next = learn({ limitPerMinute: 200, anchorMs: 0, used: 0, blockedUntilMs: null }, 5000, { limit: 200, remaining: 0, resetSeconds: 12 });
    expect(next?.blockedUntilMs).toBe(17_000);
  });
});
