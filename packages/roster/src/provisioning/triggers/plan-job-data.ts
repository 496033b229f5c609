/** The queue of kept-plan work (dry runs to compute, approved plans to apply) and its payload. */
export const planQueue = 'provisioning.plan';

/** Every kept-plan job's options; a lost one is sent again by its claim (jobs/claims.ts) or its lease (run/lost-runs.ts). */
export const planJobOptions = { retryLimit: 3, retryDelay: 10, expireInHours: 12 } as const;

export interface PlanJobData {
  op: 'dry_run' | 'apply';
  planId: string;
}
