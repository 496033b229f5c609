/**
 * The engine's job handlers: cycles, incremental syncs (a main and a quick lane, run/lanes.ts), the
 * outbox relay, the minute tick and failure emails.
 * Registered in src/runtime/job-handlers.ts; tests build them with their own options.
 */
import type PgBoss from 'pg-boss';
import type { AnyJobHandler, JobHandler, WorkerContext } from '../../jobs/handler.ts';
import { type WaitReason, escrowWaiting } from '../escrow/run-escrow.ts';
import { createNotifyJob } from '../notify/send-job.ts';
import { createPlanJob } from '../kept-plans/plan-jobs.ts';
import { relayOutbox } from '../triggers/outbox-relay.ts';
import { engineEnvFrom } from '../run/engine-env.ts';
import { type CycleJobData, type SyncJobData, cycleJobOptions, provisioningQueues, relayJobOptions, syncJobOptions } from '../triggers/job-names.ts';
import { leaseAlive } from '../run/cycle-lease.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';
import { tick } from '../triggers/tick.ts';
import { startWatchdog } from '../run/watchdog.ts';
import { type Lane, splitByHolder } from '../run/lanes.ts';

export interface ProvisioningJobOptions {
  /** Extra connector config (tests: `{ jobPollIntervalMs: 50 }`). */
  connectorOptions?: Record<string, unknown>;
  /** How long one relay job keeps polling the outbox before it hands over to the next (short: shutdown waits for it). */
  relayLoopMs?: number;
  /** Pause between empty outbox reads. */
  relayIdleMs?: number;
  /** Ends relay loops early (tests, shutdown). */
  signal?: AbortSignal;
  /** Watchdog period (default WATCHDOG_MS); 0: no watchdog (tests that drive recovery themselves). */
  watchdogMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createProvisioningJobs(opts: ProvisioningJobOptions = {}): AnyJobHandler[] {
  const envOf = (ctx: WorkerContext) => engineEnvFrom(ctx, opts.connectorOptions);

  const cycle: JobHandler<CycleJobData> = {
    queue: provisioningQueues.cycle,
    resend: cycleJobOptions,
    async handle(jobs, ctx) {
      for (const job of jobs) {
        const r = await runProvisioning(envOf(ctx), job.data.applicationId, job.data.kind);
        if (r.status !== 'busy') continue;
        if (!r.heldBy || r.heldBy.kind === 'incremental') {
          // A short batch holds the application (or the holder finished between the two reads of the lease): try again in a moment.
          await ctx.queue.send(provisioningQueues.cycle, job.data, { ...cycleJobOptions, startAfter: 2 });
        } else if (r.heldBy && !(await leaseAlive(ctx.database.db, r.heldBy.cycleId))) {
          // The holder stopped renewing (a hung worker): dropping would lose this request, so it comes back once the lease is stale and taken over.
          await ctx.queue.send(provisioningQueues.cycle, job.data, { ...cycleJobOptions, startAfter: 2 });
        } else {
          // Another full cycle runs: it reconciles everything this one would.
          ctx.log.info({ applicationId: job.data.applicationId, heldBy: r.heldBy }, 'cycle request dropped: one is running');
        }
      }
    },
  };

  const syncIn = (lane: Lane): JobHandler<SyncJobData> => ({
    queue: lane === 'quick' ? provisioningQueues.syncQuick : provisioningQueues.sync,
    resend: syncJobOptions,
    batchSize: 20,
    pollingIntervalSeconds: 0.5,
    async handle(jobs, ctx) {
      for (const [applicationId, batch] of mergeByApp(jobs)) {
        let { userIds } = batch;
        const { groupIds } = batch;
        let r = await runProvisioning(envOf(ctx), applicationId, 'incremental', userIds, groupIds, { lane });
        if (lane === 'quick' && r.status === 'busy' && r.heldBy?.lane === 'main') {
          // The main batch holds some of these users: they go after it, in the main lane; the others go now.
          const { free, held } = await splitByHolder(ctx.database.db, r.heldBy.cycleId, userIds);
          if (held.length) await ctx.queue.send(provisioningQueues.sync, { applicationId, userIds: held } satisfies SyncJobData, { ...syncJobOptions, startAfter: 1 });
          if (free.length === 0) continue;
          userIds = free;
          r = await runProvisioning(envOf(ctx), applicationId, 'incremental', userIds, groupIds, { lane });
        }
        if (r.status === 'off' && r.stopped) {
          // Stopped by a configuration error: the changes wait in escrow until provisioning runs again.
          await escrowAll(ctx, applicationId, userIds, 'application_stopped');
        }
        if (r.status !== 'busy') continue;
        if (r.heldBy && r.heldBy.kind !== 'incremental') {
          // A full cycle can take long: the users wait in escrow (the tick picks them up), not in a hot loop.
          await escrowAll(ctx, applicationId, userIds, 'cycle_running');
          // Groups have no escrow: their change comes back after the cycle (which may have planned before it).
          if (groupIds.length) await ctx.queue.send(provisioningQueues.sync, { applicationId, userIds: [], groupIds } satisfies SyncJobData, { ...syncJobOptions, startAfter: 15 });
        } else {
          await ctx.queue.send(lane === 'quick' ? provisioningQueues.syncQuick : provisioningQueues.sync, { applicationId, userIds, ...(groupIds.length ? { groupIds } : {}) } satisfies SyncJobData, { ...syncJobOptions, startAfter: 1 });
        }
      }
    },
  });

  const relay: JobHandler = {
    queue: provisioningQueues.relay,
    async handle(_jobs, ctx) {
      const until = Date.now() + (opts.relayLoopMs ?? 5_000);
      while (Date.now() < until && !opts.signal?.aborted) {
        const moved = await relayOutbox(ctx.database.db, ctx.queue);
        if (moved === 0) await sleep(opts.relayIdleMs ?? 250);
      }
      // The chain goes on; if a worker dies holding it, every other worker's watchdog starts a relay job within seconds (watchdog.ts).
      if (!opts.signal?.aborted) await ctx.queue.send(provisioningQueues.relay, {}, relayJobOptions);
    },
    async start(ctx) {
      await ctx.queue.send(provisioningQueues.relay, {}, relayJobOptions);
    },
  };

  const minute: JobHandler = {
    queue: provisioningQueues.tick,
    async handle(_jobs, ctx) {
      await ctx.queue.send(provisioningQueues.relay, {}, relayJobOptions);
      await tick(ctx.database.db, ctx.queue);
    },
    async start(ctx) {
      await ctx.queue.schedule(provisioningQueues.tick, '* * * * *', {}, { singletonKey: 'tick' });
      // Dead workers' work is taken over within seconds by whichever worker notices first (watchdog.ts).
      return opts.watchdogMs === 0 ? undefined : startWatchdog(ctx, opts.watchdogMs);
    },
  };

  return [cycle, syncIn('main'), syncIn('quick'), relay, minute, createNotifyJob(), createPlanJob(envOf)];
}

export { relayJobOptions };

async function escrowAll(ctx: WorkerContext, applicationId: string, userIds: string[], reason: WaitReason): Promise<void> {
  await ctx.database.db.transaction((tx) => escrowWaiting(tx, applicationId, userIds, reason));
}

function mergeByApp(jobs: PgBoss.Job<SyncJobData>[]): Map<string, { userIds: string[]; groupIds: string[] }> {
  const byApp = new Map<string, { users: Set<string>; groups: Set<string> }>();
  for (const job of jobs) {
    const sets = byApp.get(job.data.applicationId) ?? { users: new Set<string>(), groups: new Set<string>() };
    for (const id of job.data.userIds) sets.users.add(id);
    for (const id of job.data.groupIds ?? []) sets.groups.add(id);
    byApp.set(job.data.applicationId, sets);
  }
  return new Map([...byApp].map(([app, s]) => [app, { userIds: [...s.users], groupIds: [...s.groups] }]));
}

/** The engine's handlers with production options. */
export const provisioningJobs: AnyJobHandler[] = createProvisioningJobs();
