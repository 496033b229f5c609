/**
 * Every worker's watchdog (issue 11, items 3–4): every {@link WATCHDOG_MS} it closes the leases of
 * dead workers and re-enqueues their scope (lost-runs.ts), enqueues again the import sessions whose
 * worker died (target-import/session-lease.ts), sends again the jobs a dead worker fetched (claimed or not
 * yet, jobs/claims.ts: covers a kill before the run took its lease), and keeps the outbox relay running (a killed worker's relay
 * job stays `active` in pg-boss until it expires; another relay job starts within seconds instead).
 * Any live worker does it, so a kill is noticed in seconds without waiting for the minute tick.
 */
import { type LostJob, recoverLostJobs } from '../../jobs/claims.ts';
import type { WorkerContext } from '../../jobs/handler.ts';
import { resumeLostImports } from '../target-import/session-lease.ts';
import { provisioningQueues, relayJobOptions } from '../triggers/job-names.ts';
import { type LostRun, recoverLostRuns } from './lost-runs.ts';

export const WATCHDOG_MS = 1_000;

export async function watchdogPass(ctx: Pick<WorkerContext, 'database' | 'queue' | 'log' | 'resend'>): Promise<{ runs: LostRun[]; imports: string[]; jobs: LostJob[] }> {
  const db = ctx.database.db;
  const runs = await db.transaction((tx) => recoverLostRuns(tx, ctx.queue));
  const imports = await db.transaction((tx) => resumeLostImports(tx, ctx.queue));
  // Jobs fetched by a worker that died before its run recorded a lease (or any job of a claimed queue): sent again.
  const jobs = ctx.resend?.size ? await db.transaction((tx) => recoverLostJobs(tx, ctx.queue, ctx.resend!)) : [];
  if (runs.length || imports.length || jobs.length) ctx.log.info({ runs, imports, jobs }, 'took over the work of a dead worker');
  await ctx.queue.send(provisioningQueues.relay, {}, relayJobOptions);
  return { runs, imports, jobs };
}

/** Starts the watchdog; the returned function stops it (and waits for a pass in progress). */
export function startWatchdog(ctx: Pick<WorkerContext, 'database' | 'queue' | 'log' | 'resend'>, everyMs = WATCHDOG_MS): () => Promise<void> {
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    if (stopped || busy) return; // a slow pass is not overlapped by the next
    busy = true;
    running = watchdogPass(ctx)
      .catch((e: unknown) => ctx.log.error({ err: e }, 'watchdog pass failed'))
      .finally(() => (busy = false));
  };
  pass();
  const timer = setInterval(pass, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
