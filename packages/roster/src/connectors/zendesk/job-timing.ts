/**
 * When to ask for a bulk job's status: learned from what Zendesk answers, so that a job is polled
 * about when it finishes instead of on a fixed interval (a job holds one of the account's 30 job
 * slots until Roster sees it finished). Pure: times are passed in, tests drive it with a fake clock.
 *
 * Zendesk answers a job's `status` (`queued`, `working`, then `completed`/`failed`/`killed`),
 * `total` items and `progress` (items done). From those the timing learns:
 * - the time per item, from two `working` answers of the same job (Δt / Δprogress), bounded above
 *   when a job seen working is next seen finished;
 * - the queue delay (submission answered → work started), from a job's first `working` answer
 *   (started ≈ then − (progress + ½) items). Jobs may also wait behind other jobs (one job at a
 *   time by default), so this estimate follows the shorter delays quickly and the longer ones slowly:
 *   it predicts the earliest a job can finish, and a job seen still queued is polled again later.
 *
 * A job is due when it should be finished: working with progress k at t → t + (total − k)·perItem;
 * queued at t → max(t, answered + queue) + total·perItem; before anything is known, after the first
 * poll interval. A job found unfinished when due is polled again after a backoff that doubles from
 * `BACKOFF_BASE_MS` up to `maxGapMs`; no waiting job goes longer than `maxGapMs` without a poll.
 */

export interface JobTiming {
  /** Milliseconds per item, or null before two answers showed it. */
  perItemMs: number | null;
  /** Milliseconds from the submission's answer to the start of work (the shorter ones weigh more). */
  queueMs: number | null;
}

export interface TimedJob {
  /** When Zendesk answered the submission. */
  answeredAtMs: number;
  /** Items in the job (from the answers' `total`; the submission's item count until then). */
  total: number;
  /** The latest answer about this job, or null before the first poll. */
  last: { atMs: number; status: string; progress: number | null } | null;
  /** Polls that found the job unfinished after its predicted finish, without progress in between. */
  misses: number;
  /** Whether a queue delay was already learned from this job. */
  started: boolean;
}

export interface TimingOptions {
  /** The first poll of a job when nothing is known yet. */
  firstPollMs: number;
  /** The longest time a waiting job goes without a poll (the bound of the backoff). */
  maxGapMs: number;
}

export const BACKOFF_BASE_MS = 100;
/** Polls are sent this long after the predicted finish (the progress counter moves in whole items). */
export const DUE_MARGIN_MS = 20;

/** How much a job found finished when predicted shortens the time per item. */
export const HIT_SHRINK = 0.003;

export const emptyTiming = (): JobTiming => ({ perItemMs: null, queueMs: null });

export function newTimedJob(answeredAtMs: number, total: number): TimedJob {
  return { answeredAtMs, total, last: null, misses: 0, started: false };
}

/** When the job should be finished, or null while the pace is not known yet. */
export function predictedFinish(timing: JobTiming, job: TimedJob): number | null {
  const p = timing.perItemMs;
  if (p === null) return null;
  if (job.last?.status === 'working') return job.last.atMs + (job.total - (job.last.progress ?? 0)) * p;
  if (timing.queueMs === null) return null;
  return Math.max(job.last?.atMs ?? -Infinity, job.answeredAtMs + timing.queueMs) + job.total * p;
}

/** The moment this job should be polled next. */
export function dueAt(timing: JobTiming, job: TimedJob, options: TimingOptions): number {
  const seen = job.last?.atMs ?? job.answeredAtMs;
  const gapBound = seen + options.maxGapMs;
  const backoff = job.misses > 0 && job.last ? job.last.atMs + Math.min(options.maxGapMs, BACKOFF_BASE_MS * 2 ** (job.misses - 1)) : -Infinity;
  const finish = predictedFinish(timing, job);
  const predicted = finish === null ? seen + options.firstPollMs : finish + DUE_MARGIN_MS;
  return Math.min(gapBound, Math.max(predicted, backoff));
}

/**
 * Learns from one answer about a job, answered at `atMs`.
 * Returns the job's new state; `timing` is updated in place (one per job runner).
 */
export function observeJob(timing: JobTiming, job: TimedJob, answer: { atMs: number; status: string; progress: number | null; total: number | null }): TimedJob {
  const total = answer.total ?? job.total;
  const finished = answer.status === 'completed' || answer.status === 'failed' || answer.status === 'killed';
  const prev = job.last;
  // A miss: polled after its predicted finish, and not finished.
  const finishBy = predictedFinish(timing, job);
  const missed = !finished && finishBy !== null && answer.atMs >= finishBy + DUE_MARGIN_MS;
  if (answer.status === 'working' && answer.progress !== null) {
    if (prev?.status === 'working' && prev.progress !== null && answer.progress > prev.progress) {
      const dk = answer.progress - prev.progress;
      const sample = (answer.atMs - prev.atMs) / dk;
      // Each answer is off by up to one item: a wider span weighs more.
      timing.perItemMs = timing.perItemMs === null ? sample : timing.perItemMs + (dk / (dk + 20)) * (sample - timing.perItemMs);
    }
    if (!job.started && timing.perItemMs !== null) {
      const startedAt = answer.atMs - (answer.progress + 0.5) * timing.perItemMs;
      const sample = Math.max(0, startedAt - job.answeredAtMs);
      timing.queueMs = timing.queueMs === null ? sample : timing.queueMs + (sample < timing.queueMs ? 0.5 : 0.1) * (sample - timing.queueMs);
      job = { ...job, started: true };
    }
  }
  if (finished && answer.status === 'completed' && prev?.status === 'working' && prev.progress !== null && timing.perItemMs !== null) {
    // Finished by atMs although (total − progress − 1) items remained after prev.atMs at the latest.
    const left = total - prev.progress - 1;
    if (left >= 5) timing.perItemMs = Math.min(timing.perItemMs, (answer.atMs - prev.atMs) / left);
    // Found finished when predicted tells nothing of how much earlier it ended (an estimate a little
    // too long would stay so): shorten it a little; a poll that then comes too early answers the
    // progress, and two progress answers set the time per item again.
    if (finishBy !== null && answer.atMs >= finishBy) timing.perItemMs *= 1 - HIT_SHRINK;
  }
  // The backoff grows while a job shows no progress (stuck, or queued behind others past its prediction).
  const progressed = prev !== null && (answer.status !== prev.status || (answer.progress ?? 0) > (prev.progress ?? 0));
  const misses = finished ? 0 : missed ? (progressed ? 1 : job.misses + 1) : progressed ? 0 : job.misses;
  return { ...job, total, misses, last: { atMs: answer.atMs, status: answer.status, progress: answer.progress } };
}
