/**
 * Request pacers: one budget per target account. `createDbPacer` shares it between every worker
 * through the `rate_budgets` table; `createMemoryPacer` paces a single process. Both follow
 * `pacer-schedule.ts`, so requests are spread evenly instead of bursting into 429s.
 */
import { sql } from 'drizzle-orm';
import type { Pacer } from '../../connectors/contract.ts';
import type { ConnectorDefinition } from '../../connectors/definition.ts';
import type { Db } from '../../db/database.ts';
import { learn, takeSlot, type LimitSource, type PacerState, type ProbeBounds } from './pacer-schedule.ts';

export interface PacerOptions {
  /** Assumed until the target's headers say otherwise (the connector's documented starting value). */
  limitPerMinute?: number;
  /** For targets that may send no rate-limit headers: raise the assumed limit while saturated, up to this. */
  probe?: ProbeBounds;
  sleep?(ms: number): Promise<void>;
  /**
   * A small run's pacer (the quick lane, run/lanes.ts): a request whose slot is at most this far ahead
   * takes it (the budget is charged as for any request) but goes at once instead of waiting behind
   * the slots a burst's calls reserved before it. Never past a Retry-After. The early sends stay
   * within the margin the schedule keeps below the limit (pacer-schedule.ts: 5 % plus the burst).
   * With a bulk job's priority slots (`acquire({ priority: true })`, up to 2 % of the limit ahead,
   * pacer-schedule.ts) on the same budget, a 60 s span holds at most 95 % + 2 % of the limit plus the
   * 1.5 s of slots moved earlier (2.4 % at 700/min): still under the limit.
   */
  priorityLeadMs?: number;
}

export interface MemoryPacerOptions extends PacerOptions {
  now?(): number;
}

const DEFAULT_LIMIT = 200;
/** How far ahead a priority request may take its slot and still go at once (`PacerOptions.priorityLeadMs`). */
export const PRIORITY_LEAD_MS = 1_500;
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A pacer for one process (tests, a single embedded worker). */
export function createMemoryPacer(options: MemoryPacerOptions = {}): Pacer & { state(): PacerState } {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  // Anchored in the past: a fresh pacer may use its burst allowance at once.
  let state: PacerState = { limitPerMinute: options.limitPerMinute ?? DEFAULT_LIMIT, anchorMs: now() - 60_000, used: 0, blockedUntilMs: null };
  return {
    async acquire(how) {
      const t = now();
      const slot = takeSlot(state, t, options.probe, how?.priority === true);
      state = slot.state;
      if (slot.sendAtMs > t) await sleep(slot.sendAtMs - t);
    },
    observe(info) {
      state = learn(state, now(), info) ?? state;
    },
    state: () => state,
  };
}

/** A pacer that never waits: for targets without a budget (the sandbox's `unlimited` plan). */
export const unpacedPacer: Pacer = { acquire: async () => {}, observe: () => {} };

interface BudgetRow {
  limit_per_minute: number;
  anchor_ms: string | number;
  used: number;
  blocked_ms: string | number | null;
  limit_source: LimitSource;
  raised_ms: string | number | null;
  hold_ms: string | number | null;
  now_ms: string | number;
}

const msOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));
const tsOrNull = (ms: number | null | undefined) => (ms == null ? null : sql`to_timestamp(${ms / 1000})`);

/**
 * A pacer whose budget lives in `rate_budgets` (row per `accountKey`, `<type>:<account>`), so
 * any number of workers and processes share it. Each acquire is one short transaction holding the
 * row lock; times come from the database clock so workers on different hosts agree. Takes the
 * `Db`, never a transaction: it must not run inside someone else's transaction.
 */
export function createDbPacer(db: Db, accountKey: string, options: PacerOptions = {}): Pacer {
  const sleep = options.sleep ?? realSleep;
  const initialLimit = options.limitPerMinute ?? DEFAULT_LIMIT;
  let knownLimit: number | null = null;
  let knownSource: LimitSource | null = null;

  const withRow = <T>(fn: (state: PacerState, nowMs: number) => { state: PacerState | null; value: T }): Promise<T> =>
    db.transaction(async (tx) => {
      await tx.execute(sql`insert into rate_budgets (account_key, limit_per_minute, window_started_at) values (${accountKey}, ${initialLimit}, now() - interval '1 minute') on conflict (account_key) do nothing`);
      const result = (await tx.execute(sql`
        select limit_per_minute, used,
          extract(epoch from window_started_at) * 1000 as anchor_ms,
          extract(epoch from blocked_until) * 1000 as blocked_ms,
          limit_source,
          extract(epoch from raised_at) * 1000 as raised_ms,
          extract(epoch from probe_hold_until) * 1000 as hold_ms,
          extract(epoch from clock_timestamp()) * 1000 as now_ms
        from rate_budgets where account_key = ${accountKey} for update`)) as unknown as { rows: BudgetRow[] };
      const row = result.rows[0];
      if (!row) throw new Error(`rate_budgets row ${accountKey} vanished inside its transaction`);
      const state: PacerState = {
        limitPerMinute: row.limit_per_minute,
        anchorMs: Number(row.anchor_ms),
        used: row.used,
        blockedUntilMs: msOrNull(row.blocked_ms),
        source: row.limit_source,
        raisedAtMs: msOrNull(row.raised_ms),
        probeHoldUntilMs: msOrNull(row.hold_ms),
      };
      knownLimit = state.limitPerMinute;
      knownSource = row.limit_source;
      const out = fn(state, Number(row.now_ms));
      if (out.state) {
        const s = out.state;
        knownLimit = s.limitPerMinute;
        knownSource = s.source ?? 'assumed';
        await tx.execute(sql`
          update rate_budgets set limit_per_minute = ${s.limitPerMinute}, used = ${s.used},
            window_started_at = to_timestamp(${s.anchorMs / 1000}),
            blocked_until = ${tsOrNull(s.blockedUntilMs)},
            limit_source = ${s.source ?? 'assumed'},
            raised_at = ${tsOrNull(s.raisedAtMs)},
            probe_hold_until = ${tsOrNull(s.probeHoldUntilMs)},
            updated_at = now()
          where account_key = ${accountKey}`);
      }
      return out.value;
    });

  return {
    async acquire(how) {
      const { waitMs, blocked } = await withRow((state, nowMs) => {
        const slot = takeSlot(state, nowMs, options.probe, how?.priority === true);
        return { state: slot.state, value: { waitMs: slot.sendAtMs - nowMs, blocked: slot.state.blockedUntilMs !== null && slot.state.blockedUntilMs > nowMs } };
      });
      const ahead = !blocked && options.priorityLeadMs !== undefined && waitMs <= options.priorityLeadMs;
      if (waitMs > 0 && !ahead) await sleep(waitMs);
    },
    async observe(info) {
      const pause = info.retryAfterSeconds !== undefined || (info.remaining !== undefined && info.remaining <= 1);
      const newLimit = info.limit !== undefined && (info.limit !== knownLimit || knownSource !== 'target');
      // Most responses teach nothing new: skip the round trip.
      if (!pause && !newLimit) return;
      await withRow((state, nowMs) => ({ state: learn(state, nowMs, info), value: undefined }));
    },
  };
}

/** The shared pacer of one target account, starting from (and probing up to) its connector's documented budget. */
export function createTargetPacer(db: Db, accountKey: string, connector: Pick<ConnectorDefinition<unknown>, 'rateBudget'>, opts: { priority?: boolean } = {}): Pacer {
  const budget = connector.rateBudget;
  const priority = opts.priority ? { priorityLeadMs: PRIORITY_LEAD_MS } : {};
  return createDbPacer(db, accountKey, budget ? { limitPerMinute: budget.assumedPerMinute, probe: { ceilingPerMinute: budget.ceilingPerMinute }, ...priority } : priority);
}
