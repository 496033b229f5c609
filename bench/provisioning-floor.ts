/**
 * The floor of writing N new users into a target that offers both channels, bulk jobs and single
 * calls, used at the same time within one request budget (issue 17 item 1):
 *
 *   B = min(c / p, J·b / (q + b·p))   users per second the jobs can finish: c jobs run at once at p
 *                                     seconds per user, and at most J jobs are queued or running,
 *                                     each holding its slot for its queue delay q and its b users
 *   k = B·(1 − 1/b)                   the same, net of the one request each job's submission takes
 *   T = (N + k·q) / (k + R/60)        both channels end together: the jobs deliver B·(T − q) users
 *                                     after the first queue delay, and what is left of the R
 *                                     requests per minute writes one user per request
 *
 * Polling a job's status is left out (an ideal client asks once, as it finishes), so real runs
 * pay a little more. For comparison, each channel alone: jobs q + N/B (q + N·p when they run one
 * at a time), single calls N / (R/60).
 */
export interface ChannelFloorInput {
  /** Users to write. */
  n: number;
  /** Request budget, per minute. */
  r: number;
  /** Job queue delay, seconds. */
  q: number;
  /** Job time per user, seconds. */
  p: number;
  /** Jobs the target runs at once. */
  c: number;
  /** Users per job. */
  b: number;
  /** Jobs queued or running at once (Zendesk: 30). */
  j: number;
}

export interface ChannelFloor {
  /** Both channels at once, seconds. */
  combinedS: number;
  /** Jobs alone, seconds. */
  jobsOnlyS: number;
  /** Single calls alone, seconds. */
  singlesOnlyS: number;
  /** Users per second the jobs can finish (B). */
  bulkPerS: number;
  /** Users the jobs write at the floor (B·(T − q)); the rest go single. */
  bulkUsers: number;
}

export function channelFloor({ n, r, q, p, c, b, j }: ChannelFloorInput): ChannelFloor {
  const bulkPerS = Math.min(c / p, (j * b) / (q + b * p));
  const k = bulkPerS * (1 - 1 / b);
  const combinedS = (n + k * q) / (k + r / 60);
  return { combinedS, jobsOnlyS: q + n / bulkPerS, singlesOnlyS: n / (r / 60), bulkPerS, bulkUsers: Math.min(n, bulkPerS * Math.max(0, combinedS - q)) };
}

export const FLOOR_FORMULA = 'T = (N + k·q) / (k + R/60), k = B·(1 − 1/b), B = min(c/p, J·b/(q + b·p))';
