/**
 * The import's job handler: reads and classifies a session, or applies what was confirmed. A job
 * that finds another worker holding the session's lease comes back later, so a session a dead
 * worker left behind is resumed once its lease goes stale.
 */
import type { JobHandler } from '../../jobs/handler.ts';
import { engineEnvFrom } from '../run/engine-env.ts';
import { runImportApply } from './apply-session.ts';
import { type ImportJobData, enqueueImportJob, importJobOptions, importQueue } from './import-queue.ts';
import { runImportRead } from './read-session.ts';

export interface ImportJobOptions {
  /** Extra connector config (tests: `{ jobPollIntervalMs: 20 }`). */
  connectorOptions?: Record<string, unknown>;
}

/** Seconds before a job that found the lease held looks again. */
const BUSY_RETRY_SECONDS = 30;

export function createImportJobs(opts: ImportJobOptions = {}): JobHandler<ImportJobData>[] {
  return [
    {
      queue: importQueue,
      resend: importJobOptions,
      async handle(jobs, ctx) {
        for (const job of jobs) {
          const env = engineEnvFrom(ctx, opts.connectorOptions);
          const r = job.data.phase === 'read' ? await runImportRead(env, job.data.sessionId, job.id) : await runImportApply(env, job.data.sessionId, job.id);
          if (r === 'busy') await enqueueImportJob(ctx.queue, ctx.database.db, job.data, BUSY_RETRY_SECONDS);
        }
      },
    },
  ];
}

export const importJobs = createImportJobs();
