/** The worker's handler of kept-plan jobs: computing dry runs and applying approved plans. */
import type { JobHandler, WorkerContext } from '../../jobs/handler.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { applyKeptPlan } from './apply-kept-plan.ts';
import { computeDryRun } from './dry-run.ts';
import { type PlanJobData, planJobOptions, planQueue } from '../triggers/plan-job-data.ts';

export function createPlanJob(envOf: (ctx: WorkerContext) => EngineEnv): JobHandler<PlanJobData> {
  return {
    queue: planQueue,
    resend: planJobOptions,
    async handle(jobs, ctx) {
      for (const job of jobs) {
        const env = envOf(ctx);
        if (job.data.op === 'dry_run') {
          await computeDryRun(env, job.data.planId);
          continue;
        }
        const r = await applyKeptPlan({ ...env, queue: ctx.queue }, job.data.planId);
        // A cycle or batch holds the application: apply once it is done.
        if (r === 'busy') await ctx.queue.send(planQueue, job.data, { ...planJobOptions, startAfter: 5 });
      }
    },
  };
}
