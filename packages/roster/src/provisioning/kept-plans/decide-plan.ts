/**
 * An admin's decision on a pending plan (If-Match: its version). Approve (for staged removals:
 * allow) marks it approved and queues the job that applies it (apply-kept-plan.ts). Discard drops
 * it; discarding staged removals also ends the pause they caused and asks for a catch-up cycle,
 * which stages them again if their cause is still there.
 */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { provisioningPlans } from '../../db/provisioning-schema.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import type { WriteOptions } from '../../directory/write-helpers.ts';
import { AppError, versionConflict } from '../../errors/app-error.ts';
import { type Queue, enqueue, ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { resumeAfterDecision } from './apply-kept-plan.ts';
import { type PlanJobData, planQueue } from '../triggers/plan-job-data.ts';
import { type PlanView, planNotFound, toPlanView } from './plan-query.ts';
import { updatePlan } from '../gate/plan-rows.ts';

export type PlanDecision = 'approve' | 'discard';

export async function decidePlan(
  db: Db,
  queue: Queue | undefined,
  principal: Principal,
  applicationId: string,
  planId: string,
  decision: PlanDecision,
  expectedVersion: number,
  opts: WriteOptions = {},
): Promise<PlanView> {
  await findAppRow(db, applicationId);
  if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot apply or resume provisioning.');
  await ensureQueues(queue, [planQueue, provisioningQueues.cycle]);
  return db.transaction(async (tx) => {
    const [plan] = await tx.select().from(provisioningPlans).where(and(eq(provisioningPlans.id, planId), eq(provisioningPlans.applicationId, applicationId))).for('update');
    if (!plan) throw planNotFound(planId);
    if (plan.version !== expectedVersion) throw versionConflict('provisioning plan', planId, plan.version);
    if (plan.status !== 'pending') {
      const why = plan.kind === 'dry_run' ? 'a dry run is only a preview; approval mode keeps each cycle’s plan for a decision' : `it is ${plan.status}`;
      throw new AppError('conflict', `Only a pending plan can be approved or discarded: ${why}.`, { issues: [{ path: 'params.planId', reason: `plan is ${plan.status}` }], details: { status: plan.status, kind: plan.kind } });
    }
    const status = decision === 'approve' ? 'approved' : 'discarded';
    await updatePlan(tx, planId, { status, decidedBy: principal.adminId, decidedAt: new Date() });
    if (decision === 'approve') await enqueue(queue, tx, planQueue, { op: 'apply', planId } satisfies PlanJobData, { retryLimit: 3, retryDelay: 10, expireInHours: 12 });
    else if (plan.kind === 'staged_deletions') await resumeAfterDecision(tx, queue, plan);
    const verb = plan.kind === 'staged_deletions' ? (decision === 'approve' ? 'allow' : 'discard') : decision;
    await recordAudit(
      tx,
      principal,
      { action: `provisioning.plan.${verb}`, targetType: 'application', targetId: applicationId, before: { planId, kind: plan.kind, status: plan.status }, after: { planId, status, counts: plan.counts } },
      opts.requestId,
    );
    const [after] = await tx.select().from(provisioningPlans).where(eq(provisioningPlans.id, planId));
    return toPlanView(after!);
  });
}
