/**
 * Dry run: a full cycle's plan computed and kept without applying anything. Requested by an admin
 * (a `computing` plan row and a job, in one transaction), computed by the job: it reads the target
 * like a full cycle but takes no lease, so cycles and batches go on meanwhile. The kept plan says
 * what a cycle would do now, including removals the deletion threshold would stage.
 */
import { eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { provisioningPlans } from '../../db/provisioning-schema.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import type { WriteOptions } from '../../directory/write-helpers.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Queue, enqueue, ensureQueues } from '../../jobs/queue.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import { computeCyclePlan } from '../reconcile/compute-cycle-plan.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { allActions, checkDeletionThreshold, deprovisionCount, planCounts, removingActions } from '../gate/deletion-threshold.ts';
import { insertPlan, insertPlanActions, updatePlan } from '../gate/plan-rows.ts';
import { type PlanView, toPlanView } from './plan-query.ts';
import { type PlanJobData, planQueue } from '../triggers/plan-job-data.ts';
import { countProvisioned } from '../gate/threshold-inputs.ts';

export async function requestDryRun(db: Db, queue: Queue | undefined, principal: Principal, applicationId: string, opts: WriteOptions = {}): Promise<PlanView> {
  await findAppRow(db, applicationId);
  if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot compute a dry run.');
  const config = await loadProvisioningConfig(db, applicationId);
  if (!config.connection.connected) {
    throw new AppError('not_connected', 'Connect the application first: a dry run reads the target account.', { issues: [{ path: 'connection', reason: 'not connected' }] });
  }
  await ensureQueues(queue, [planQueue]);
  return db.transaction(async (tx) => {
    const row = await insertPlan(tx, { applicationId, kind: 'dry_run', status: 'computing', createdBy: principal.adminId });
    await enqueue(queue, tx, planQueue, { op: 'dry_run', planId: row.id } satisfies PlanJobData, { retryLimit: 2, retryDelay: 10, expireInHours: 2 });
    await recordAudit(tx, principal, { action: 'provisioning.dry_run', targetType: 'application', targetId: applicationId, after: { planId: row.id } }, opts.requestId);
    return toPlanView(row);
  });
}

/** The job's part: compute, store the actions and counts, mark the plan `ready` (or `failed` with the reason). */
export async function computeDryRun(env: Pick<EngineEnv, 'db' | 'connect' | 'sleep'>, planId: string): Promise<void> {
  const [plan] = await env.db.select().from(provisioningPlans).where(eq(provisioningPlans.id, planId));
  if (!plan || plan.status !== 'computing') return;
  const config = await loadProvisioningConfig(env.db, plan.applicationId);
  const computed = await computeCyclePlan(env, config, 'full');
  if (!computed.ok) {
    const e = computed.error;
    await updatePlan(env.db, planId, { status: 'failed', reason: { code: e.code, message: e.message, advice: e.advice } });
    return;
  }
  const cyclePlan = computed.value.plan;
  const removals = removingActions(cyclePlan);
  const planned = removals.length;
  const breach = planned ? checkDeletionThreshold(config.settings.deletionThreshold, { planned, removing: planned, deprovisions: deprovisionCount(removals), provisioned: await countProvisioned(env.db, plan.applicationId) }) : null;
  await env.db.transaction(async (tx) => {
    await insertPlanActions(tx, planId, allActions(cyclePlan));
    const reason = {
      code: 'dry_run',
      message: 'What a full cycle would do now; nothing was applied.',
      requireApproval: config.settings.requireApproval,
      ...(breach ? { deletionThreshold: breach } : {}),
    };
    await updatePlan(tx, planId, { status: 'ready', counts: planCounts(cyclePlan), reason });
  });
}
