/**
 * Restart provisioning: start over from a clean engine state without switching off. Cancels the
 * running cycle's lease (its worker stops sending), clears escrow, the health memory and any
 * quarantine, supersedes plans waiting for a decision, optionally forgets the links, and requests
 * an initial cycle. With `links: 'reset'` that cycle matches target accounts again by the matching
 * attributes (external_id, email…) before creating anything, so no duplicates appear.
 * A paused application stays paused (resuming starts the cycle).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { links, membershipLinks, provisioningConfigs, provisioningCycles, provisioningPlans, provisioningRetries } from '../../db/provisioning-schema.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { recordChange } from '../../directory/outbox.ts';
import type { WriteOptions } from '../../directory/write-helpers.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Queue, ensureQueues } from '../../jobs/queue.ts';
import { lockConfigRow, updateConfigRow } from '../config/config-row.ts';
import { type ProvisioningConfig, toProvisioningConfig } from '../config/load-config.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { requestCycle } from '../triggers/request-cycle.ts';

export type LinksMode = 'keep' | 'reset';

export interface RestartSummary {
  cancelledCycles: number;
  clearedEscrow: number;
  supersededPlans: number;
  deletedLinks: number;
  cycleRequested: boolean;
}

export async function restartProvisioning(
  db: Db,
  queue: Queue | undefined,
  principal: Principal,
  applicationId: string,
  mode: LinksMode,
  expectedVersion: number,
  opts: WriteOptions = {},
): Promise<{ config: ProvisioningConfig; summary: RestartSummary }> {
  await findAppRow(db, applicationId);
  if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot restart provisioning.');
  await ensureQueues(queue, [provisioningQueues.cycle]);
  return db.transaction(async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const before = toProvisioningConfig(app, applicationId, row);
    if (!before.enabled) throw new AppError('conflict', 'Provisioning is off for this application: switch it on instead (POST …/provisioning/enable).', { issues: [{ path: 'enabled', reason: 'provisioning is off' }] });

    const cancelled = await tx
      .update(provisioningCycles)
      .set({ status: 'cancelled', finishedAt: sql`now()`, error: { code: 'restarted', message: `Cancelled: provisioning was restarted by ${principal.email ?? 'an admin'}.` } })
      .where(and(eq(provisioningCycles.applicationId, applicationId), eq(provisioningCycles.status, 'running')))
      .returning({ id: provisioningCycles.id });
    const cleared = await tx.delete(provisioningRetries).where(eq(provisioningRetries.applicationId, applicationId)).returning({ id: provisioningRetries.directoryId });
    const superseded = await tx
      .update(provisioningPlans)
      .set({ status: 'superseded', version: sql`${provisioningPlans.version} + 1`, updatedAt: new Date() })
      .where(and(eq(provisioningPlans.applicationId, applicationId), inArray(provisioningPlans.status, ['computing', 'ready', 'pending'])))
      .returning({ id: provisioningPlans.id });
    let deletedLinks = 0;
    if (mode === 'reset') {
      // Starting over from the account as it is now: its identity is recorded again by the next cycle.
      await tx.update(provisioningConfigs).set({ connection: sql`${provisioningConfigs.connection} - 'targetIdentity'` }).where(eq(provisioningConfigs.applicationId, applicationId));
      await tx.delete(membershipLinks).where(eq(membershipLinks.applicationId, applicationId));
      deletedLinks = (await tx.delete(links).where(eq(links.applicationId, applicationId)).returning({ id: links.directoryId })).length;
    }
    const paused = before.state === 'paused';
    // A pause for staged deletions is about plans just superseded: restarting ends it too.
    const stagedPause = paused && before.stateReason?.['planId'] !== undefined;
    const after = await updateConfigRow(tx, applicationId, {
      health: {},
      ...(paused && !stagedPause ? {} : { state: 'idle', stateReason: null }),
      lastCycleAt: null,
      nextCycleAt: null,
    });
    const cycleRequested = !paused || stagedPause;
    if (cycleRequested) await requestCycle(tx, queue, applicationId, 'initial');
    const summary: RestartSummary = { cancelledCycles: cancelled.length, clearedEscrow: cleared.length, supersededPlans: superseded.length, deletedLinks, cycleRequested };
    await recordAudit(tx, principal, { action: 'provisioning.restart', targetType: 'application', targetId: applicationId, before: { state: before.state }, after: { links: mode, ...summary } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.state'] } });
    return { config: toProvisioningConfig(app, applicationId, after), summary };
  });
}
