/**
 * The pacing rule every pacer shares: a generic cell rate algorithm over the target's per-minute
 * budget. Requests are spread evenly (one every `interval`) with a small burst allowance, so that
 * any 60-second span — whatever its alignment with the target's own fixed windows — holds fewer
 * requests than the limit. Targets count in windows per minute per account, unaligned to ours
 * (the connector's `rateBudget` cites its own documentation).
 */

/** The stored state of one account's budget: slots run from `anchorMs`, `used` taken so far. */
export interface PacerState {
  limitPerMinute: number;
  anchorMs: number;
  used: number;
  blockedUntilMs: number | null;
  /**
   * Where the limit came from: `target` (its rate-limit headers: final, never probed again), `assumed`
   * (the connector's documented starting value) or `probed` (raised while saturated, cut by a 429).
   * Absent means `assumed`.
   */
  source?: LimitSource;
  /** When the limit was last raised by probing. */
  raisedAtMs?: number | null;
  /** After a 429 cut the probed limit, no raise before this moment. */
  probeHoldUntilMs?: number | null;
}

export type LimitSource = 'assumed' | 'target' | 'probed';

/**
 * Probing for targets that send no rate-limit headers: while requests queue behind the assumed
 * limit and the target has not refused any, the limit is raised (doubled at most every
 * `RAISE_EVERY_MS` from the assumed value; after a 429, by a tenth at most every minute once the
 * hold is over) up to the connector's documented ceiling. A 429 without headers cuts the limit
 * to 70 % and holds it for `HOLD_MS`. A target that sends headers is never probed.
 */
export interface ProbeBounds {
  ceilingPerMinute: number;
}

export const RAISE_EVERY_MS = 10_000;
export const HOLD_MS = 10 * 60_000;
const MIN_PROBED_LIMIT = 10;

export interface PacerParams {
  interval: number;
  /** How far behind "now" the schedule may lag: the burst allowance, in ms. */
  tolerance: number;
}

/**
 * Keeps a margin: 5 % of the limit for requests that leave late (a busy event loop, a slow
 * database) and land in the target's next window, plus a burst allowance of 2 %.
 */
export function pacerParams(limitPerMinute: number): PacerParams {
  const limit = Math.max(1, limitPerMinute);
  const burst = limit >= 50 ? Math.floor(limit * 0.02) : 0;
  const perMinute = Math.max(1, Math.floor(limit * 0.95) - burst - 1);
  const interval = 60_000 / perMinute;
  return { interval, tolerance: burst * interval };
}

/**
 * How far ahead of its slot a priority request may go: 2 % of the limit, in slots. Ordinary slots
 * keep their times and the priority request still takes a slot (those after it move back by one), so
 * any 60-second span holds at most `floor(0.95·limit) + floor(0.02·limit)` requests: within the
 * 5 % margin `pacerParams` keeps.
 */
export function priorityLeadMs(limitPerMinute: number): number {
  const { interval } = pacerParams(limitPerMinute);
  return Math.floor(Math.max(1, limitPerMinute) * 0.02) * interval;
}

/**
 * Takes the next slot: when the request may be sent and the state after it. `used` restarts when
 * the run reaches one minute's worth of slots, so the numbers stay small. A `priority` request (a
 * bulk job's status read or submission, which holds one of the target's few job slots) is sent up
 * to `priorityLeadMs` before its slot, ahead of ordinary requests already queued.
 */
export function takeSlot(state: PacerState, nowMs: number, probe?: ProbeBounds, priority = false): { sendAtMs: number; state: PacerState } {
  const slot = takePacedSlot(state, nowMs, priority);
  const waitMs = slot.sendAtMs - nowMs;
  if (!probe || waitMs < pacerParams(state.limitPerMinute).interval) return slot;
  const raised = raiseWhenSaturated(state, nowMs, probe);
  // Raised: the new, shorter interval applies to this request already.
  return raised ? takePacedSlot(raised, nowMs, priority) : slot;
}

/** The next limit when requests queue behind a limit nobody confirmed, or null when it stays. */
function raiseWhenSaturated(state: PacerState, nowMs: number, probe: ProbeBounds): PacerState | null {
  const source = state.source ?? 'assumed';
  if (source === 'target' || state.limitPerMinute >= probe.ceilingPerMinute) return null;
  if (state.blockedUntilMs !== null && state.blockedUntilMs > nowMs) return null;
  if (state.probeHoldUntilMs != null && state.probeHoldUntilMs > nowMs) return null;
  const every = source === 'assumed' ? RAISE_EVERY_MS : 60_000;
  if (state.raisedAtMs != null && nowMs - state.raisedAtMs < every) return null;
  const next = source === 'assumed' ? state.limitPerMinute * 2 : Math.ceil(state.limitPerMinute * 1.1);
  const { interval } = pacerParams(state.limitPerMinute);
  // The slots taken so far keep their places; the new pace starts where they end.
  return {
    ...state,
    limitPerMinute: Math.min(probe.ceilingPerMinute, next),
    anchorMs: state.anchorMs + state.used * interval,
    used: 0,
    raisedAtMs: nowMs,
  };
}

function takePacedSlot(state: PacerState, nowMs: number, priority: boolean): { sendAtMs: number; state: PacerState } {
  const { interval, tolerance } = pacerParams(state.limitPerMinute);
  let anchorMs = state.anchorMs;
  let used = state.used;
  const earliest = nowMs - tolerance;
  // Idle time earns at most the burst allowance, never a minute's worth of credit.
  if (anchorMs + used * interval < earliest) {
    anchorMs = earliest;
    used = 0;
  }
  const blocked = state.blockedUntilMs !== null && state.blockedUntilMs > nowMs ? state.blockedUntilMs : null;
  if (blocked !== null && anchorMs + used * interval < blocked - tolerance) {
    anchorMs = blocked - tolerance;
    used = 0;
  }
  const slotMs = anchorMs + used * interval;
  const sendAtMs = Math.max(nowMs, priority ? slotMs - priorityLeadMs(state.limitPerMinute) : slotMs, blocked ?? nowMs);
  used += 1;
  const perRun = Math.ceil(60_000 / interval);
  if (used >= perRun) {
    anchorMs += used * interval;
    used = 0;
  }
  return { sendAtMs, state: { ...state, anchorMs, used, blockedUntilMs: blocked } };
}

/** What a response taught: a new limit, or a pause (Retry-After, or an exhausted shared budget). */
export function learn(
  state: PacerState,
  nowMs: number,
  info: { limit?: number; remaining?: number; resetSeconds?: number; retryAfterSeconds?: number },
): PacerState | null {
  let next = state;
  if (info.limit !== undefined && info.limit > 0 && (info.limit !== state.limitPerMinute || (state.source ?? 'assumed') !== 'target')) {
    next = { ...next, limitPerMinute: info.limit, source: 'target' };
  } else if (info.retryAfterSeconds !== undefined && (state.source ?? 'assumed') !== 'target') {
    // Refused without telling its budget: the limit we paced at was too high.
    next = { ...next, limitPerMinute: Math.max(MIN_PROBED_LIMIT, Math.floor(state.limitPerMinute * 0.7)), source: 'probed', probeHoldUntilMs: nowMs + HOLD_MS };
  }
  let pauseUntil: number | null = null;
  if (info.retryAfterSeconds !== undefined) pauseUntil = nowMs + Math.max(0, info.retryAfterSeconds) * 1000;
  // Someone else (another integration) spends the same budget: wait for the target's reset.
  else if (info.remaining !== undefined && info.remaining <= 1 && info.resetSeconds !== undefined) pauseUntil = nowMs + Math.max(0, info.resetSeconds) * 1000;
  if (pauseUntil !== null && pauseUntil > (next.blockedUntilMs ?? 0)) next = { ...next, blockedUntilMs: pauseUntil };
  return next === state ? null : next;
}
