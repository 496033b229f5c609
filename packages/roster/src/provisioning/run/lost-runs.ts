/**
 * Nothing is lost in a crash (issue 11, item 3). Every run writes its scope with its lease before it
 * sends anything (write-ahead intent, cycle-lease.ts): the users and groups of a batch, an on-demand
 * run or a group sync; the plan of an approved-plan apply; a full cycle's kind. When the run's worker
 * dies, the lease is closed as `worker_lost` and the scope is enqueued again at once — the users and
 * groups re-planned by a `provisioning.sync` job, the full cycle requested again, the approved plan
 * applied again. Re-planning is safe: creates carry the external id and are looked up before a retry,
 * so the users the dead run created are linked, not created twice.
 *
 * Called by every acquirer (for its application) and by every worker's watchdog every few seconds
 * (watchdog.ts), and by the minute tick. Concurrent callers cannot both recover one lease: the update
 * re-checks `status = 'running'` on the row it locks.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningConfigs, provisioningCycles } from '../../db/provisioning-schema.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { escrowWaiting } from '../escrow/run-escrow.ts';
import { type PlanJobData, planJobOptions, planQueue } from '../triggers/plan-job-data.ts';
import { type CycleKind, type SyncJobData, provisioningQueues, syncJobOptions } from '../triggers/job-names.ts';
import { leaseDead } from './lease-holder.ts';
import { requestCycle } from '../triggers/request-cycle.ts';

export interface LostRun {
  cycleId: string;
  applicationId: string;
  kind: string;
  /** What was done with its scope. */
  resumedAs: 'cycle' | 'sync' | 'plan' | 'escrow' | 'next_cycle';
}

const FULL: readonly string[] = ['initial', 'periodic', 'on_demand'];

/**
 * Closes the dead leases (of one application, or all) and hands their scope on. Without a queue
 * (an environment with no job queue) users go to escrow, due at once, and anything else brings the
 * application's next periodic cycle forward to now.
 */
export async function recoverLostRuns(executor: Executor, queue: Queue | undefined, opts: { applicationId?: string } = {}): Promise<LostRun[]> {
  const c = provisioningCycles;
  const lost = await executor
    .update(c)
    .set({ status: 'failed', finishedAt: sql`now()`, error: { code: 'worker_lost', message: 'The worker running this stopped (killed, crashed or hung); its work was handed to another worker at once.' } })
    .where(and(eq(c.status, 'running'), opts.applicationId ? eq(c.applicationId, opts.applicationId) : undefined, leaseDead()))
    .returning({ cycleId: c.id, applicationId: c.applicationId, kind: c.kind, scope: c.scope });
  const out: LostRun[] = [];
  for (const run of lost) {
    const scope = run.scope ?? {};
    const base = { cycleId: run.cycleId, applicationId: run.applicationId, kind: run.kind };
    // The users a full cycle or a kept plan was creating (create-intent.ts): re-planned by themselves, since the
    // full cycle asked for below plans only who is wanted then — someone unassigned meanwhile would keep the account.
    const creating = FULL.includes(run.kind) || run.kind === 'approved_plan' ? (scope.createIds ?? []) : [];
    if (creating.length > 0) await replanUsers(executor, queue, run.applicationId, creating);
    if (FULL.includes(run.kind)) {
      if (queue) await requestCycle(executor, queue, run.applicationId, run.kind as CycleKind);
      else await cycleNow(executor, run.applicationId);
      out.push({ ...base, resumedAs: queue ? 'cycle' : 'next_cycle' });
    } else if (run.kind === 'approved_plan' && scope.planId) {
      if (queue) await enqueue(queue, executor, planQueue, { op: 'apply', planId: scope.planId } satisfies PlanJobData, planJobOptions);
      else await cycleNow(executor, run.applicationId);
      out.push({ ...base, resumedAs: queue ? 'plan' : 'next_cycle' });
    } else if (scope.userIds?.length || scope.groupIds?.length) {
      if (queue) {
        const data: SyncJobData = { applicationId: run.applicationId, userIds: scope.userIds ?? [], ...(scope.groupIds?.length ? { groupIds: scope.groupIds } : {}) };
        await enqueue(queue, executor, provisioningQueues.sync, data, syncJobOptions);
        out.push({ ...base, resumedAs: 'sync' });
      } else {
        await escrowWaiting(executor, run.applicationId, scope.userIds ?? [], 'worker_lost');
        if (scope.groupIds?.length) await cycleNow(executor, run.applicationId);
        out.push({ ...base, resumedAs: scope.groupIds?.length ? 'next_cycle' : 'escrow' });
      }
    } else {
      // A run with no recorded scope (taken before scopes were written): a full cycle reconciles whatever it was doing.
      if (queue) await requestCycle(executor, queue, run.applicationId, 'on_demand');
      else await cycleNow(executor, run.applicationId);
      out.push({ ...base, resumedAs: queue ? 'cycle' : 'next_cycle' });
    }
  }
  return out;
}

async function replanUsers(executor: Executor, queue: Queue | undefined, applicationId: string, userIds: readonly string[]): Promise<void> {
  if (queue) {
    for (let i = 0; i < userIds.length; i += 1000) {
      await enqueue(queue, executor, provisioningQueues.sync, { applicationId, userIds: userIds.slice(i, i + 1000) } satisfies SyncJobData, syncJobOptions);
    }
    return;
  }
  await escrowWaiting(executor, applicationId, userIds, 'worker_lost_creating');
}

async function cycleNow(executor: Executor, applicationId: string): Promise<void> {
  await executor.update(provisioningConfigs).set({ nextCycleAt: sql`now()` }).where(eq(provisioningConfigs.applicationId, applicationId));
}
