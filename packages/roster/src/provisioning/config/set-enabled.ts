/**
 * Switching provisioning on and off. On requires a connection that passes Test connection and
 * settings that fit the connected account's fields; it sets the state to `idle` and asks for the
 * initial cycle in the same transaction. Off sets the state to `off`; the engine ignores jobs of a
 * switched-off application, so queued work is dropped rather than run.
 */
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { TargetUrls } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { recordChange } from '../../directory/outbox.ts';
import type { WriteOptions } from '../../directory/write-helpers.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Queue, ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { testConnection } from '../connection/test-connection.ts';
import { requestCycle } from '../triggers/request-cycle.ts';
import { validateMappings } from '../mapping/validate-mappings.ts';
import { lockConfigRow, updateConfigRow } from './config-row.ts';
import { type ProvisioningConfig, loadProvisioningConfig, toProvisioningConfig } from './load-config.ts';
import { directorySourceAttributes, targetFieldsOf } from './target-catalogue.ts';

export interface SwitchContext {
  db: Db;
  queue: Queue | undefined;
  secretKey: Buffer;
  /** Where this process reaches targets (`config.targetUrls`). */
  targetUrls: TargetUrls;
  fetch?: typeof fetch;
}

export async function setEnabled(
  ctx: SwitchContext,
  principal: Principal,
  applicationId: string,
  enabled: boolean,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<ProvisioningConfig> {
  const queue = ctx.queue;
  if (enabled) {
    const current = await loadProvisioningConfig(ctx.db, applicationId);
    if (current.enabled) return current;
    if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot start provisioning cycles.');
    await assertWorkingConnection(ctx, applicationId);
    // pg-boss drops sends to a queue nobody created; an API-only process may be first on a new database.
    await ensureQueues(queue, [provisioningQueues.cycle]);
  }
  return ctx.db.transaction(async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const before = toProvisioningConfig(app, applicationId, row);
    if (before.enabled === enabled) return before;
    if (enabled) {
      // The catalogue was just refreshed by Test connection: settings saved against built-in fields must still fit.
      const issues = validateMappings(before.settings.mappings, before.settings.matching, targetFieldsOf(before), await directorySourceAttributes(tx), { path: 'settings' });
      if (issues.length > 0) {
        throw new AppError('validation_failed', `The saved settings do not fit the connected account: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}`, { issues });
      }
    }
    const after = await updateConfigRow(tx, applicationId, {
      enabled,
      state: enabled ? 'idle' : 'off',
      stateReason: null,
      ...(enabled ? {} : { nextCycleAt: null }),
    });
    await recordAudit(tx, principal, { action: enabled ? 'provisioning.enable' : 'provisioning.disable', targetType: 'application', targetId: applicationId, before: { enabled: before.enabled, state: before.state }, after: { enabled, state: after.state } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.enabled'] } });
    if (enabled && queue) await requestCycle(tx, queue, applicationId, 'initial');
    return toProvisioningConfig(app, applicationId, after);
  });
}

/** Test connection must pass; its report travels in the error's details. */
async function assertWorkingConnection(ctx: SwitchContext, applicationId: string): Promise<void> {
  const tested = await testConnection({ db: ctx.db, secretKey: ctx.secretKey, targetUrls: ctx.targetUrls, applicationId, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
  if (!tested.ok) throw tested.error;
  const { report } = tested.value;
  if (!report.ok) {
    const failed = report.steps.find((s) => !s.ok);
    throw new AppError('connection_failed', `Provisioning stays off: Test connection failed${failed ? ` at "${failed.name}": ${failed.message}` : ''}.`, {
      details: { steps: report.steps, warnings: report.warnings },
    });
  }
}
