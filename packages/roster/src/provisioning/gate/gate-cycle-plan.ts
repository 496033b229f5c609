/**
 * The safety net between plan and apply. With `requireApproval`, a full cycle's plan is kept for an
 * admin and nothing is applied; otherwise suspends and deletes above the deletion threshold (or
 * removing every provisioned user) are kept as staged removals, the application is paused, and the
 * rest of the plan goes ahead. Either way the admin is notified.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { applications } from '../../db/schema.ts';
import type { Queue } from '../../jobs/queue.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import type { CyclePlan, PlanScope } from './cycle-plan.ts';
import { type NotificationMessage, notify } from '../notify/notify.ts';
import { type ThresholdBreach, allActions, checkDeletionThreshold, countByKind, deprovisionCount, planCounts, removingActions, splitRemovals } from './deletion-threshold.ts';
import { insertPlan, insertPlanActions, supersedePending } from './plan-rows.ts';
import { BURST_MINUTES, countProvisioned, countRecentRemovals } from './threshold-inputs.ts';

export type Gate =
  /** Nothing held: apply the plan as it is. */
  | { kind: 'apply'; plan: CyclePlan }
  /** Removals staged as plan `planId` and the application paused: apply the rest. */
  | { kind: 'staged'; plan: CyclePlan; planId: string; breach: ThresholdBreach }
  /** The whole plan waits for approval as plan `planId`: apply nothing. */
  | { kind: 'awaiting_approval'; planId: string };

export interface GateEnv {
  db: Db;
  /** For notifications; without one (some tests) the plan is still kept, only no email is queued. */
  queue?: Queue | undefined;
}

/** Actions that change nothing in the target (logged only), which never need an admin's approval. */
const inert = new Set(['skip', 'drift', 'report']);

export async function gateCyclePlan(env: GateEnv, config: ProvisioningConfig, cycleId: string, scope: PlanScope, plan: CyclePlan): Promise<Gate> {
  const applicationId = config.applicationId;
  const removals = removingActions(plan);
  const planned = removals.length;
  const breach =
    planned === 0
      ? null
      : await (async () => {
          const provisioned = await countProvisioned(env.db, applicationId);
          const incremental = scope === 'incremental';
          const recent = incremental ? await countRecentRemovals(env.db, applicationId) : 0;
          return checkDeletionThreshold(config.settings.deletionThreshold, {
            planned,
            removing: planned + recent,
            deprovisions: deprovisionCount(removals),
            provisioned,
            burstMinutes: incremental ? BURST_MINUTES : undefined,
            // The same counts the staged plan stores below, so the pause's reason and the plan agree.
            counts: countByKind(removals),
          });
        })();

  const actions = allActions(plan);
  if (scope === 'full' && config.settings.requireApproval && actions.some((a) => !inert.has(a.kind))) {
    const counts = planCounts(plan);
    const planId = await env.db.transaction(async (tx) => {
      const superseded = await supersedePending(tx, applicationId, 'approval');
      const reason = {
        code: 'approval_required',
        message: 'Provisioning requires approval of each cycle: review the plan, then approve or discard it.',
        ...(breach ? { deletionThreshold: breach } : {}),
      };
      const row = await insertPlan(tx, { applicationId, kind: 'approval', status: 'pending', cycleId, counts, reason });
      await insertPlanActions(tx, row.id, actions);
      // One email per new plan content: a periodic cycle that finds the same changes does not mail again.
      const same = superseded.some((p) => sameCounts(p.counts, counts));
      if (!same) await tell(tx, env.queue, applicationId, 'approval_required', (name) => approvalMessage(name, counts, breach));
      return row.id;
    });
    return { kind: 'awaiting_approval', planId };
  }

  if (!breach) return { kind: 'apply', plan };
  const { rest, staged } = splitRemovals(plan);
  const planId = await env.db.transaction(async (tx) => {
    await supersedePending(tx, applicationId, 'staged_deletions');
    const row = await insertPlan(tx, { applicationId, kind: 'staged_deletions', status: 'pending', cycleId, counts: countByKind(staged), reason: { ...breach } });
    await insertPlanActions(tx, row.id, staged);
    await tx
      .update(provisioningConfigs)
      .set({
        state: 'paused',
        stateReason: { ...breach, planId: row.id, at: new Date().toISOString() },
        version: sql`${provisioningConfigs.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(provisioningConfigs.applicationId, applicationId));
    await tell(tx, env.queue, applicationId, 'staged_deletions', (name) => stagedMessage(name, breach));
    return row.id;
  });
  return { kind: 'staged', plan: rest, planId, breach };
}

const sameCounts = (a: Record<string, number>, b: Record<string, number>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

async function tell(tx: Executor, queue: Queue | undefined, applicationId: string, kind: NotificationMessage['kind'], message: (appName: string) => Omit<NotificationMessage, 'kind'>): Promise<void> {
  if (!queue) return;
  const [app] = await tx.select({ name: applications.displayName }).from(applications).where(eq(applications.id, applicationId));
  await notify(tx, queue, applicationId, { kind, ...message(app?.name ?? applicationId) });
}

const describeCounts = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');

function approvalMessage(name: string, counts: Record<string, number>, breach: ThresholdBreach | null): Omit<NotificationMessage, 'kind'> {
  const lines = [
    `A provisioning cycle of "${name}" computed a plan that waits for your approval (the application requires approval of each cycle).`,
    `Planned actions: ${describeCounts(counts)}.`,
    ...(breach ? [`Warning: ${breach.message}`] : []),
    'Nothing was changed in the target. Review the plan on the Provisioning tab and approve or discard it; changes made in the directory meanwhile wait for the next cycle.',
  ];
  return { subject: `Roster: "${name}" has a provisioning plan waiting for approval`, text: lines.join('\n\n') };
}

function stagedMessage(name: string, breach: ThresholdBreach): Omit<NotificationMessage, 'kind'> {
  return {
    subject: `Roster: "${name}" is paused: ${breach.planned} removal${breach.planned === 1 ? '' : 's'} (suspends and deletes) held back`,
    text: [`Accidental deletion prevention held back provisioning of "${name}". ${breach.message}`, 'Every other change was applied.', breach.advice].join('\n\n'),
  };
}
