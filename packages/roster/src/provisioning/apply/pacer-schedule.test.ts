import { describe, expect, it } from 'vitest';
import { HOLD_MS, RAISE_EVERY_MS, learn, pacerParams, priorityLeadMs, takeSlot, type PacerState } from './pacer-schedule.ts';

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

  it('sends a priority request ahead of queued ordinary ones by at most the lead, and moves those after it back by one slot', () => {
    let state: PacerState = { limitPerMinute: 700, anchorMs: -60_000, used: 0, blockedUntilMs: null };
    const ordinary: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const slot = takeSlot(state, 0);
      state = slot.state;
      ordinary.push(slot.sendAtMs);
    }
    const { interval } = pacerParams(700);
    const lead = priorityLeadMs(700);
    expect(lead).toBeCloseTo(14 * interval, 5);
    const priority = takeSlot(state, 0, undefined, true);
    // Its ordinary slot would come after the 60 queued ones; it goes `lead` earlier.
    expect(priority.sendAtMs).toBeCloseTo((ordinary.at(-1) ?? 0) + interval - lead, 5);
    expect(priority.sendAtMs).toBeLessThan(ordinary.at(-1) ?? 0);
    const after = takeSlot(priority.state, 0);
    expect(after.sendAtMs).toBeCloseTo((ordinary.at(-1) ?? 0) + 2 * interval, 5);
    // With nothing queued it goes at once.
    expect(takeSlot({ limitPerMinute: 700, anchorMs: -60_000, used: 0, blockedUntilMs: null }, 5, undefined, true).sendAtMs).toBe(5);
  });

  it.each([200, 700, 2500])('ordinary requests saturating %i/min with priority requests mixed in stay within 97 %% of the limit in any 60 s span', (limit) => {
    let state: PacerState = { limitPerMinute: limit, anchorMs: -60_000, used: 0, blockedUntilMs: null };
    const sent: number[] = [];
    // Ordinary requests arrive as fast as they leave; priority ones in bursts of 10 every 3 s.
    let ordinaryAt = 0;
    let nextPriority = 0;
    let burst = 0;
    while (sent.length < limit * 6) {
      if (nextPriority <= ordinaryAt) {
        const slot = takeSlot(state, nextPriority, undefined, true);
        state = slot.state;
        sent.push(slot.sendAtMs);
        burst += 1;
        nextPriority += burst % 10 === 0 ? 3000 : 0;
      } else {
        const slot = takeSlot(state, ordinaryAt);
        state = slot.state;
        sent.push(slot.sendAtMs);
        ordinaryAt = slot.sendAtMs;
      }
    }
    sent.sort((a, b) => a - b);
    expect(maxInAnyMinute(sent)).toBeLessThanOrEqual(Math.floor(limit * 0.95) + Math.floor(limit * 0.02));
    expect(maxInAnyMinute(sent)).toBeLessThan(limit);
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
    const base: PacerState = { limitPerMinute: 200, anchorMs: 0, used: 0, blockedUntilMs: null, source: 'target' };
    expect(learn(base, 0, { limit: 700, remaining: 650 })?.limitPerMinute).toBe(700);
    expect(learn(base, 0, { limit: 200, remaining: 150, resetSeconds: 30 })).toBeNull();
    // The first header confirms an assumed limit, even an equal one: from then on it is never probed.
    expect(learn({ ...base, source: 'assumed' }, 0, { limit: 200, remaining: 150 })?.source).toBe('target');
  });

  it('pauses until the reset when another client exhausted the shared budget', () => {
    const next = learn({ limitPerMinute: 200, anchorMs: 0, used: 0, blockedUntilMs: null }, 5000, { limit: 200, remaining: 0, resetSeconds: 12 });
    expect(next?.blockedUntilMs).toBe(17_000);
  });
});

/**
 * A target that sends no rate-limit headers and refuses (429, Retry-After to its window's end) the
 * request that would exceed `trueLimit` in its current fixed minute. The client sends as fast as
 * the pacer lets it; returns what happened.
 */
function simulateHeaderless(trueLimit: number, minutes: number, ceiling = 2500) {
  let state: PacerState = { limitPerMinute: 200, anchorMs: -60_000, used: 0, blockedUntilMs: null };
  let now = 0;
  let windowStart = 0;
  let inWindow = 0;
  const accepted: number[] = [];
  let refused = 0;
  const limits: { at: number; limit: number }[] = [];
  while (now < minutes * 60_000) {
    const slot = takeSlot(state, now, { ceilingPerMinute: ceiling });
    state = slot.state;
    now = slot.sendAtMs;
    if (now - windowStart >= 60_000) {
      windowStart += Math.floor((now - windowStart) / 60_000) * 60_000;
      inWindow = 0;
    }
    if (inWindow >= trueLimit) {
      refused += 1;
      state = learn(state, now, { retryAfterSeconds: Math.ceil((windowStart + 60_000 - now) / 1000) }) ?? state;
    } else {
      inWindow += 1;
      accepted.push(now);
    }
    if (limits.at(-1)?.limit !== state.limitPerMinute) limits.push({ at: now, limit: state.limitPerMinute });
  }
  return { accepted, refused, limits, state };
}

describe('pacer probing (targets without rate-limit headers)', () => {
  const probe = { ceilingPerMinute: 2500 };

  it('doubles a saturated assumed limit at most every 10 s, up to the ceiling', () => {
    let state: PacerState = { limitPerMinute: 200, anchorMs: -60_000, used: 0, blockedUntilMs: null };
    let now = 0;
    const raises: { at: number; limit: number }[] = [];
    while (now < 60_000) {
      const before = state.limitPerMinute;
      const slot = takeSlot(state, now, probe);
      state = slot.state;
      now = slot.sendAtMs;
      if (state.limitPerMinute !== before) raises.push({ at: state.raisedAtMs ?? Number.NaN, limit: state.limitPerMinute });
    }
    expect(raises.map((r) => r.limit)).toEqual([400, 800, 1600, 2500]);
    for (let i = 1; i < raises.length; i += 1) expect((raises[i]?.at ?? 0) - (raises[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(RAISE_EVERY_MS);
  });

  it('never raises when requests do not queue, nor a limit the target stated', () => {
    let idle: PacerState = { limitPerMinute: 200, anchorMs: -60_000, used: 0, blockedUntilMs: null };
    // One request every second: below 200/min, nothing waits.
    for (let t = 0; t < 120_000; t += 1000) idle = takeSlot(idle, t, probe).state;
    expect(idle.limitPerMinute).toBe(200);
    let stated: PacerState = { limitPerMinute: 200, anchorMs: -60_000, used: 0, blockedUntilMs: null, source: 'target' };
    let now = 0;
    while (now < 60_000) {
      const slot = takeSlot(stated, now, probe);
      stated = slot.state;
      now = slot.sendAtMs;
    }
    expect(stated.limitPerMinute).toBe(200);
    // Without probe bounds (a connector that declares none) the assumed limit stays too.
    expect(takeSlot({ limitPerMinute: 200, anchorMs: 0, used: 500, blockedUntilMs: null }, 0).state.limitPerMinute).toBe(200);
  });

  it('a 429 without headers cuts the probed limit to 70 % and holds it for 10 minutes', () => {
    const cut = learn({ limitPerMinute: 1600, anchorMs: 0, used: 0, blockedUntilMs: null, source: 'assumed' }, 5000, { retryAfterSeconds: 20 });
    expect(cut).toMatchObject({ limitPerMinute: 1120, source: 'probed', probeHoldUntilMs: 5000 + HOLD_MS, blockedUntilMs: 25_000 });
    // A target that stated its limit is only paused, never cut.
    expect(learn({ limitPerMinute: 700, anchorMs: 0, used: 0, blockedUntilMs: null, source: 'target' }, 0, { retryAfterSeconds: 5 })?.limitPerMinute).toBe(700);
  });

  it.each([400, 700, 2500])('learns a headerless target of %i/min: 85 per cent of it or more from the third minute, few refusals', (trueLimit) => {
    const minutes = 15;
    const { accepted, refused, state } = simulateHeaderless(trueLimit, minutes);
    const late = accepted.filter((t) => t >= 2 * 60_000).length / (minutes - 2);
    expect(late).toBeGreaterThanOrEqual(trueLimit * 0.85 * 0.95);
    expect(late).toBeLessThanOrEqual(trueLimit);
    // One refusal teaches the cut; the slow climb after each hold costs at most a few more.
    expect(refused).toBeLessThanOrEqual(trueLimit >= 2500 ? 0 : 10);
    // At most one 10 % step above what the target accepts before its next refusal cuts it.
    expect(state.limitPerMinute).toBeLessThanOrEqual(trueLimit >= 2500 ? 2500 : Math.ceil(trueLimit / 0.95 * 1.1) + 1);
  });
});
