import { fail, problems, type ApiProblem } from '../http/errors.ts';
import { ok, type Reply, type RequestContext } from '../http/route.ts';
import type { JobItem } from '../store/jobs.ts';
import { views } from '../views/resource-views.ts';

/**
 * Queues a bulk job (API-NOTES §5): 403 when the plan has bulk import off (for user imports),
 * 429 `TooManyJobs` past the in-flight cap, `zendesk-ratelimit-inflight-jobs` on success.
 * The TooManyJobs status is UNVERIFIED (the notes say "likely 429").
 */
export function submitJob(ctx: RequestContext, jobType: string, verb: string, items: JobItem[], needsBulkImport: boolean): Reply {
  const account = ctx.account;
  if (needsBulkImport && !account.plan.bulkImport) fail(problems.forbidden());
  const cap = account.plan.maxInflightJobs;
  const inflight = account.jobs.inflight();
  if (inflight.length >= cap) {
    fail({
      status: 429,
      body: {
        error: 'TooManyJobs',
        description: `Too many ${jobType} jobs are currently queued or running. Try again later.`,
        current_job_ids: inflight.map((j) => j.id),
      },
      headers: { 'retry-after': '60', 'zendesk-ratelimit-inflight-jobs': `total=${cap}; remaining=0; resets=60` },
    });
  }
  const job = account.jobs.submit(jobType, verb, items);
  ctx.headers['zendesk-ratelimit-inflight-jobs'] = `total=${cap}; remaining=${cap - inflight.length - 1}; resets=60`;
  return ok({ job_status: views.job(job, ctx.base) });
}

/** Refuses bodies with more than 100 items (observed 400 TooManyValues). */
export function capItems(items: readonly unknown[], what: string, verb: string): void {
  if (items.length > 100) fail(problems.tooManyValues(`Maximum 100 ${what} may be ${verb} per call`));
}

/** A failure as a one-line `details` string for job results. */
export function problemText(problem: ApiProblem): string {
  const body = problem.body as { details?: Record<string, Array<{ description: string }>>; description?: string } | undefined;
  if (body?.details) return Object.values(body.details).flat().map((d) => d.description).join(' ');
  if (problem.status === 403) return 'Permission denied';
  return body?.description ?? `HTTP ${problem.status}`;
}
