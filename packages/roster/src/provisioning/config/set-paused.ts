/**
 * Pausing and resuming a switched-on application: while `paused` the engine starts no work for it;
 * resuming sets it `idle` (or back to `quarantined`, if it was) and asks for a cycle, which catches
 * up on every change made meanwhile.
 */
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { recordChange } from '../../directory/outbox.ts';
import type { WriteOptions } from '../../directory/write-helpers.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Queue, ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { requestCycle } from '../triggers/request-cycle.ts';
import { readHealth } from '../health/assess-run.ts';
import { lockConfigRow, updateConfigRow } from './config-row.ts';
import { type ProvisioningConfig, toProvisioningConfig } from './load-config.ts';

export async function setPaused(
  db: Db,
  queue: Queue | undefined,
  principal: Principal,
  applicationId: string,
  paused: boolean,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<ProvisioningConfig> {
  await findAppRow(db, applicationId);
  if (!paused) {
    if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot resume provisioning.');
    await ensureQueues(queue, [provisioningQueues.cycle]);
  }
  return db.transaction(async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const before = toProvisioningConfig(app, applicationId, row);
    if (!before.enabled) throw new AppError('conflict', 'Provisioning is off for this application: there is nothing to pause or resume.', { issues: [{ path: 'enabled', reason: 'provisioning is off' }] });
    if ((before.state === 'paused') === paused) return before;
    // A pause hides a quarantine without ending it: resuming returns to it (and its reason), so only a successful cycle lifts it.
    const health = readHealth(row.health);
    const resumeTo = health.quarantinedAt ? { state: 'quarantined', stateReason: health.reason } : { state: 'idle', stateReason: null };
    const after = await updateConfigRow(tx, applicationId, paused ? { state: 'paused', stateReason: { code: 'paused', message: `Paused by ${principal.email ?? 'an admin'}`, at: new Date().toISOString() } } : resumeTo);
    await recordAudit(tx, principal, { action: paused ? 'provisioning.pause' : 'provisioning.resume', targetType: 'application', targetId: applicationId, before: { state: before.state }, after: { state: after.state } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.state'] } });
    if (!paused && queue) await requestCycle(tx, queue, applicationId, 'on_demand');
    return toProvisioningConfig(app, applicationId, after);
  });
}
