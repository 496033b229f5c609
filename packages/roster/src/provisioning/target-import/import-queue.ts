/** The import's pg-boss queue: one job reads and classifies a session, another applies what was confirmed. */
import type { Executor } from '../../db/database.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';

export const importQueue = 'provisioning.import';

export interface ImportJobData {
  sessionId: string;
  phase: 'read' | 'apply';
}

/** Enqueued in the caller's transaction, so the job exists exactly when the session (or the confirmation) does. */
/** Big accounts read and apply for longer than pg-boss's default expiry; a dead worker's session is resumed by its lease or its job's claim. */
export const importJobOptions = { expireInHours: 12, retryLimit: 5, retryDelay: 30 } as const;

export function enqueueImportJob(queue: Queue, executor: Executor, data: ImportJobData, startAfterSeconds?: number): Promise<string | null> {
  return enqueue(queue, executor, importQueue, data, { ...importJobOptions, ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) });
}
