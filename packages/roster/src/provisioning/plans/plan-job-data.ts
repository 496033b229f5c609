/** The queue of kept-plan work (dry runs to compute, approved plans to apply) and its payload. */
export const planQueue = 'provisioning.plan';

export interface PlanJobData {
  op: 'dry_run' | 'apply';
  planId: string;
}
