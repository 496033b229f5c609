/**
 * Which channel takes the next users: bulk jobs and single calls run at the same time, drawing from
 * one queue and one request budget (the shared pacer); this decides, each time a job slot is free,
 * whether a job of up to `bulkSize` users would finish the whole write sooner than leaving those
 * users to the single calls. The decision reads only what this run measured of the target — how
 * long its jobs take from submission to results and how far apart they finish (its queue delay,
 * per-user pace and job concurrency, whatever they are), and how many single calls per second the
 * budget lets through (the target's rate-limit headers, per-user limits and the other workers'
 * share all show in that rate). Pure: times are passed in, so tests drive it with a fake clock.
 */

export interface SplitOptions {
  /** Users per job (the connector's `bulkMaxItems`). */
  bulkSize: number;
  /** Jobs queued or running at once (the connector's `bulkMaxInFlight`). */
  jobCap: number;
  /** Single calls run beside the jobs; false when none do (then bulk takes everything). */
  singles: boolean;
  /** A job smaller than this is not worth its queue delay: such a remainder goes single. */
  minJob: number;
  /** Assumed latency of a job until one has finished (then only measurements count). */
  assumedJobMs?: number;
  /** Single calls are measured over this window. */
  windowMs?: number;
}

export interface SplitEstimate {
  /** Submission → results of the quickest job seen (ms): the least any new job takes. */
  jobLatencyMs: number;
  /** Users per second the bulk channel finishes while its jobs queue at the target. */
  bulkPerSecond: number;
  /** Users per second the single calls finish (null until measured). */
  singlePerSecond: number | null;
  /** True once a job has finished (the figures above are measured, not assumed). */
  measured: boolean;
}

export interface ChannelSplit {
  /** A job of `items` users was submitted (the caller keeps the returned start time). */
  jobStarted(items: number, now: number): number;
  /**
   * The job's slot is free. `ran` false: the job is not known to have run at the target (it was
   * never submitted, its submission failed, or none of its users was written), so its time is not
   * taken as the target's pace — a submission refused in 50 ms would otherwise stand as the quickest
   * job for the rest of the write. A job whose every user was refused is left out too: one sample
   * fewer costs nothing.
   */
  jobFinished(items: number, startedAt: number, now: number, ran?: boolean): void;
  singleStarted(now: number): void;
  singleFinished(now: number): void;
  /** How many of the `waiting` users the bulk channel takes now as one job; 0 leaves them to single calls for now. */
  nextJob(waiting: number, now: number): number;
  estimate(now: number): SplitEstimate;
  /**
   * Single calls to keep in flight (of at most `max`). While the job cap is what limits bulk (jobs
   * finish as fast as slots free), only a few: each single call waiting for the pacer holds a slot
   * ahead of the job submissions and status polls that free the job slots.
   */
  singleLanes(max: number, now: number): number;
  /** Users sent each way so far. */
  sent(): { bulk: number; single: number; jobs: number };
}

const ASSUMED_JOB_MS = 10_000;
/** Single calls must have run this long (or this many) before their rate counts. */
const SINGLE_WARMUP_MS = 1_000;
const SINGLE_WARMUP_CALLS = 10;
/** Bulk runs at this share of what the job cap allows: the cap is its limit. */
const CAP_BOUND = 0.5;
const LANES_AT_CAP = 2;
/** Most of the users in jobs before one has finished. */
const UNMEASURED_SHARE = 0.1;
/** Gaps between consecutive job completions kept for the bulk rate. */
const GAPS_KEPT = 20;

interface Finished {
  at: number;
  startedAt: number;
  items: number;
}

export function createChannelSplit(options: SplitOptions): ChannelSplit {
  const windowMs = options.windowMs ?? 60_000;
  const size = Math.max(1, options.bulkSize);
  const cap = Math.max(1, options.jobCap);
  let jobsInFlight = 0;
  let itemsInFlight = 0;
  let firstJobAt: number | null = null;
  let minLatency: number | null = null;
  let last: Finished | null = null;
  /** Back-to-back completions: [users of the later job, ms since the earlier one]. */
  const gaps: [number, number][] = [];
  let singlesFrom: number | null = null;
  const singleDone: number[] = [];
  const counts = { bulk: 0, single: 0, jobs: 0 };

  const singleRate = (now: number): number | null => {
    if (!options.singles) return 0;
    if (singlesFrom === null) return null;
    while (singleDone.length > 0 && (singleDone[0] as number) < now - windowMs) singleDone.shift();
    const span = Math.min(windowMs, now - singlesFrom);
    if (span < SINGLE_WARMUP_MS && counts.single < SINGLE_WARMUP_CALLS) return null;
    return (singleDone.length * 1000) / Math.max(1, span);
  };

  const estimate = (now: number): SplitEstimate => {
    // Until a job finished: at least the assumed latency, and at least as long as the first job has waited.
    const waited = firstJobAt === null ? 0 : now - firstJobAt;
    const latency = minLatency ?? Math.max(options.assumedJobMs ?? ASSUMED_JOB_MS, waited);
    // No more than `cap` jobs can be in flight, none quicker than the quickest seen.
    const ceiling = (cap * size * 1000) / latency;
    let bulk = (size * 1000) / latency;
    const spent = gaps.reduce((t, [, ms]) => t + ms, 0);
    const users = gaps.reduce((n, [items]) => n + items, 0);
    if (gaps.length > 0) bulk = spent <= 0 ? ceiling : Math.min(ceiling, (users * 1000) / spent);
    return { jobLatencyMs: latency, bulkPerSecond: bulk, singlePerSecond: singleRate(now), measured: minLatency !== null };
  };

  return {
    jobStarted(items, now) {
      jobsInFlight += 1;
      itemsInFlight += items;
      firstJobAt ??= now;
      counts.bulk += items;
      counts.jobs += 1;
      return now;
    },
    jobFinished(items, startedAt, now, ran = true) {
      jobsInFlight -= 1;
      itemsInFlight -= items;
      if (!ran) return;
      minLatency = Math.min(minLatency ?? Infinity, Math.max(1, now - startedAt));
      // Only a job that was already waiting when the previous one finished shows the target's pace;
      // one submitted later shows only when it was submitted.
      if (last !== null && startedAt <= last.at) {
        gaps.push([items, now - last.at]);
        if (gaps.length > GAPS_KEPT) gaps.shift();
      }
      last = { at: now, startedAt, items };
    },
    singleStarted(now) {
      singlesFrom ??= now;
    },
    singleFinished(now) {
      counts.single += 1;
      singleDone.push(now);
    },
    nextJob(waiting, now) {
      const k = Math.min(size, waiting);
      if (k <= 0 || jobsInFlight >= cap) return 0;
      // Bulk alone: every user goes in a job.
      if (!options.singles) return k;
      if (k < options.minJob) return 0;
      // Until a job has finished nothing is known of the target's pace (jobs may take 10 s or 10
      // minutes): the first job measures it, and no more than a tenth of the users wait in jobs.
      if (minLatency === null) return firstJobAt === null || itemsInFlight + k <= UNMEASURED_SHARE * (waiting + itemsInFlight) ? k : 0;
      const e = estimate(now);
      if (e.singlePerSecond === null) return 0;
      const drain = (users: number) => (users === 0 ? 0 : Math.max(e.jobLatencyMs / 1000, users / e.bulkPerSecond));
      const single = (users: number) => (users === 0 ? 0 : e.singlePerSecond! > 0 ? users / e.singlePerSecond! : Infinity);
      // Both channels end together at best: a job helps when the write would end sooner with it.
      const withJob = Math.max(drain(itemsInFlight + k), single(waiting - k));
      const without = Math.max(drain(itemsInFlight), single(waiting));
      return withJob < without ? k : 0;
    },
    estimate,
    singleLanes(max, now) {
      if (minLatency === null || gaps.length === 0) return max;
      const e = estimate(now);
      const ceiling = (cap * size * 1000) / e.jobLatencyMs;
      return e.bulkPerSecond >= CAP_BOUND * ceiling ? Math.min(max, LANES_AT_CAP) : max;
    },
    sent: () => ({ ...counts }),
  };
}
