/**
 * Bulk jobs (https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/):
 * submitted under the 30-jobs-in-flight cap (`zendesk-ratelimit-inflight-jobs`; after a 429
 * `TooManyJobs` submitters wait for a job to finish rather than retry blindly), then polled when
 * the earliest of them should be finished — predicted from the queue delay and time per item the
 * answers showed (job-timing.ts), with a bounded backoff when one is not — in one `show_many`
 * request about every waiting job. Submissions and status reads take priority slots in the pacer:
 * a job holds one of the account's few job slots until Roster sees it finished.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult } from '../contract.ts';
import { errorFromResponse, parseZendeskError, zendeskError } from './errors.ts';
import type { HttpRequest, ZendeskHttp } from './http.ts';
import { dueAt, emptyTiming, newTimedJob, observeJob, type TimedJob } from './job-timing.ts';
import { endpointBudget } from './rate-headers.ts';

export const jobResultSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).nullable().optional(),
  index: z.number().optional(),
  status: z.string().optional(),
  action: z.string().optional(),
  success: z.boolean().optional(),
  error: z.string().optional(),
  details: z.unknown().optional(),
  external_id: z.string().nullable().optional(),
});
export type JobResult = z.infer<typeof jobResultSchema>;

const jobStatusSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  total: z.number().nullable().optional(),
  progress: z.number().nullable().optional(),
  // Ticket deletion jobs answer an object here; user jobs an array.
  results: z.union([z.array(jobResultSchema), z.record(z.string(), z.unknown())]).nullable().optional(),
  message: z.string().nullable().optional(),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

const TERMINAL = new Set(['completed', 'failed', 'killed']);
/** A job not finished after this long is reported as transient; its items are looked up on retry. */
const JOB_DEADLINE_MS = 15 * 60_000;
const SUBMIT_DEADLINE_MS = 10 * 60_000;
/** No waiting job goes longer than this many poll intervals without a status read. */
const MAX_GAP_POLL_INTERVALS = 8;
/** Longest wait for a free job slot before asking Zendesk again (other workers' jobs free slots unseen). */
const ROOM_WAIT_MAX_MS = 15_000;

export interface JobRunner {
  /** Submits a job-creating request and resolves with the finished job. */
  run(req: HttpRequest): Promise<ConnectorResult<JobStatus>>;
}

/** Items in a job-creating request (`users: [...]` and the like), for the first prediction. */
function itemsOf(req: HttpRequest): number {
  const body = req.body;
  if (body && typeof body === 'object') for (const v of Object.values(body)) if (Array.isArray(v)) return v.length;
  return 1;
}

export function createJobRunner(http: ZendeskHttp, deps: ConnectorDeps, options: { pollIntervalMs: number; maxInFlight: number }): JobRunner {
  const waiting = new Map<string, { since: number; job: TimedJob; resolve: (r: ConnectorResult<JobStatus>) => void }>();
  let inFlight = 0;
  const slotWaiters: (() => void)[] = [];
  let polling = false;
  let rescheduled: (() => void) | null = null;
  const timing = emptyTiming();
  const timingOptions = { firstPollMs: options.pollIntervalMs, maxGapMs: options.pollIntervalMs * MAX_GAP_POLL_INTERVALS };
  // The account's queue is full (TooManyJobs, or the in-flight header said 0 left): submitters wait
  // for one of our jobs to finish instead of spending the request budget on refusals.
  let accountFull = false;
  let probing = false;
  const roomWaiters: (() => void)[] = [];
  const wake = (n: number) => {
    for (let i = 0; i < n && roomWaiters.length > 0; i += 1) roomWaiters.shift()?.();
  };
  const waitForRoom = (attempt: number) =>
    new Promise<void>((resolve) => {
      const woken = () => {
        clearTimeout(timer);
        resolve();
      };
      const ms = waiting.size > 0 ? ROOM_WAIT_MAX_MS : Math.min(ROOM_WAIT_MAX_MS, 1000 * 2 ** attempt);
      const timer = setTimeout(() => {
        const at = roomWaiters.indexOf(woken);
        if (at >= 0) roomWaiters.splice(at, 1);
        resolve();
      }, ms);
      roomWaiters.push(woken);
    });

  const takeSlot = async () => {
    while (inFlight >= options.maxInFlight) await new Promise<void>((resolve) => slotWaiters.push(resolve));
    inFlight += 1;
  };
  const releaseSlot = () => {
    inFlight -= 1;
    slotWaiters.shift()?.();
  };

  // Polls go out when the earliest waiting job is due (job-timing.ts); each asks about every
  // waiting job (up to 100), so one answer also tells how far the others are.
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      let failures = 0;
      let notBefore = -Infinity;
      while (waiting.size > 0) {
        const now = deps.now();
        const entries = [...waiting.entries()].map(([id, w]) => ({ id, w, due: dueAt(timing, w.job, timingOptions) }));
        entries.sort((a, b) => a.due - b.due);
        const next = Math.max(entries[0]!.due, notBefore);
        if (next > now) {
          // A job submitted meanwhile may be due sooner: it wakes this wait.
          await Promise.race([deps.sleep(next - now), new Promise<void>((resolve) => (rescheduled = resolve))]);
          rescheduled = null;
          continue;
        }
        const batch = entries.slice(0, 100);
        const r = await http.json({ method: 'GET', path: '/api/v2/job_statuses/show_many', query: { ids: batch.map((e) => e.id).join(',') } }, z.looseObject({ job_statuses: z.array(jobStatusSchema) }), { priority: true });
        const at = deps.now();
        if (!r.ok) {
          failures += 1;
          notBefore = at + Math.min(timingOptions.maxGapMs, options.pollIntervalMs * 2 ** (failures - 1));
          if (failures < 5 && r.error.class !== 'configuration') continue;
          for (const { id } of batch) {
            waiting.get(id)?.resolve(r);
            waiting.delete(id);
          }
          continue;
        }
        failures = 0;
        notBefore = -Infinity;
        const answered = new Map(r.value.job_statuses.map((job) => [job.id, job]));
        for (const { id, w } of batch) {
          const job = answered.get(id);
          // A job missing from the answer counts as unfinished (backoff), until its deadline.
          w.job = observeJob(timing, w.job, { atMs: at, status: job?.status ?? 'unknown', progress: job?.progress ?? null, total: job?.total ?? null });
          if (!job || !TERMINAL.has(job.status)) continue;
          wake(1);
          w.resolve(ok(job));
          waiting.delete(id);
        }
        for (const { id } of batch) {
          const w = waiting.get(id);
          if (w && at - w.since > JOB_DEADLINE_MS) {
            w.resolve(err(zendeskError('job_timeout', 'transient', `Zendesk job ${id} did not finish in time`, 'Roster looks the users up and retries what is missing.')));
            waiting.delete(id);
          }
        }
      }
    } finally {
      polling = false;
    }
  };

  const submit = async (req: HttpRequest): Promise<ConnectorResult<string>> => {
    const started = deps.now();
    for (let attempt = 0; ; attempt += 1) {
      // While the queue is full, one submitter at a time asks again; the others keep waiting.
      while (accountFull && probing) await waitForRoom(attempt);
      const probe = accountFull;
      if (probe) probing = true;
      const r = await http.send(req, { priority: true }).finally(() => {
        if (probe) probing = false;
      });
      if (!r.ok) return r;
      const { status, body, headers } = r.value;
      if (status === 429 && parseZendeskError(body).kind === 'TooManyJobs' && deps.now() - started < SUBMIT_DEADLINE_MS) {
        accountFull = true;
        await waitForRoom(attempt);
        continue;
      }
      if (status < 200 || status >= 300) return err(errorFromResponse(status, body, undefined));
      const parsed = z.looseObject({ job_status: jobStatusSchema }).safeParse(body);
      if (!parsed.success) return err(zendeskError('unexpected_response', 'transient', 'Zendesk accepted the bulk request without a job status', 'Roster retries.'));
      const room = endpointBudget(headers, 'inflight-jobs');
      if (room) {
        accountFull = room.remaining === 0;
        wake(room.remaining);
      }
      return ok(parsed.data.job_status.id);
    }
  };

  return {
    async run(req) {
      await takeSlot();
      try {
        const id = await submit(req);
        if (!id.ok) return id;
        const since = deps.now();
        const done = new Promise<ConnectorResult<JobStatus>>((resolve) => waiting.set(id.value, { since, job: newTimedJob(since, itemsOf(req)), resolve }));
        rescheduled?.();
        void poll();
        return await done;
      } finally {
        releaseSlot();
      }
    },
  };
}
