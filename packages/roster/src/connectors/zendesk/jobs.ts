/**
 * Bulk jobs (https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/):
 * submitted under the 30-jobs-in-flight cap (`zendesk-ratelimit-inflight-jobs`; after a 429
 * `TooManyJobs` submitters wait for a job to finish rather than retry blindly), then polled together
 * with one `show_many` request per interval, however many jobs are waiting.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult } from '../contract.ts';
import { errorFromResponse, parseZendeskError, zendeskError } from './errors.ts';
import type { HttpRequest, ZendeskHttp } from './http.ts';
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
  // Ticket deletion jobs answer an object here; user jobs an array.
  results: z.union([z.array(jobResultSchema), z.record(z.string(), z.unknown())]).nullable().optional(),
  message: z.string().nullable().optional(),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

const TERMINAL = new Set(['completed', 'failed', 'killed']);
/** A job not finished after this long is reported as transient; its items are looked up on retry. */
const JOB_DEADLINE_MS = 15 * 60_000;
const SUBMIT_DEADLINE_MS = 10 * 60_000;
/** Longest wait for a free job slot before asking Zendesk again (other workers' jobs free slots unseen). */
const ROOM_WAIT_MAX_MS = 15_000;

export interface JobRunner {
  /** Submits a job-creating request and resolves with the finished job. */
  run(req: HttpRequest): Promise<ConnectorResult<JobStatus>>;
}

export function createJobRunner(http: ZendeskHttp, deps: ConnectorDeps, options: { pollIntervalMs: number; maxInFlight: number }): JobRunner {
  const waiting = new Map<string, { since: number; resolve: (r: ConnectorResult<JobStatus>) => void }>();
  let inFlight = 0;
  const slotWaiters: (() => void)[] = [];
  let polling = false;
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

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      let failures = 0;
      while (waiting.size > 0) {
        await deps.sleep(options.pollIntervalMs);
        const ids = [...waiting.keys()].slice(0, 100);
        const r = await http.json({ method: 'GET', path: '/api/v2/job_statuses/show_many', query: { ids: ids.join(',') } }, z.looseObject({ job_statuses: z.array(jobStatusSchema) }));
        if (!r.ok) {
          failures += 1;
          if (failures < 5 && r.error.class !== 'configuration') continue;
          for (const id of ids) {
            waiting.get(id)?.resolve(r);
            waiting.delete(id);
          }
          continue;
        }
        failures = 0;
        const now = deps.now();
        for (const job of r.value.job_statuses) {
          if (!TERMINAL.has(job.status)) continue;
          wake(1);
          waiting.get(job.id)?.resolve(ok(job));
          waiting.delete(job.id);
        }
        for (const id of ids) {
          const w = waiting.get(id);
          if (w && now - w.since > JOB_DEADLINE_MS) {
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
      const r = await http.send(req).finally(() => {
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
        const done = new Promise<ConnectorResult<JobStatus>>((resolve) => waiting.set(id.value, { since: deps.now(), resolve }));
        void poll();
        return await done;
      } finally {
        releaseSlot();
      }
    },
  };
}
