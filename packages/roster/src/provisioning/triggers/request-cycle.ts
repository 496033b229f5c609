/**
 * Asks for a full cycle of one application. The job is enqueued inside the caller's transaction, so
 * it exists exactly when the caller's change (e.g. switching provisioning on) commits.
 */
import type { Executor } from '../../db/database.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { type CycleJobData, type CycleKind, cycleJobOptions, provisioningQueues } from './job-names.ts';

/**
 * Enqueues a `provisioning.cycle` job. Only one cycle runs per application at a time (see
 * run/cycle-lease.ts); a request made while one runs is dropped by the worker, since the running
 * cycle already reconciles everything. Returns the job id (null when the queue does not exist yet,
 * i.e. no worker has ever started on this database).
 */
export function requestCycle(executor: Executor, queue: Queue, applicationId: string, kind: CycleKind): Promise<string | null> {
  const data: CycleJobData = { applicationId, kind };
  return enqueue(queue, executor, provisioningQueues.cycle, data, cycleJobOptions);
}
