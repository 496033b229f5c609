/**
 * The end of every run (full cycle or incremental batch): reads what the run did from its cycle
 * row, asks assess-run.ts what that means, and writes the verdict (health memory, quarantine state
 * and reason, next cycle, notification) in one transaction, under the configuration row's lock.
 */
import { eq, sql } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs, provisioningCycles } from '../../db/provisioning-schema.ts';
import { applications } from '../../db/schema.ts';
import type { Queue } from '../../jobs/queue.ts';
import { notify } from '../notify/notify.ts';
import { type Verdict, assessRun, readHealth } from './assess-run.ts';
import { healthMessage } from './health-messages.ts';

export interface RunReport {
  cycleId: string;
  kind: string;
  /** The error that ended the run early or stopped its apply. */
  fatal: ConnectorError | null;
  /** Failed actions whose class was not `object` (ApplyResult.systemicFailures). */
  systemicFailures: number;
}

/** Counts that are not actions sent to the target. */
const NOT_ATTEMPTED = new Set(['unchanged', 'skipped', 'driftReported']);

export async function recordRunHealth(db: Db, queue: Queue | undefined, applicationId: string, report: RunReport, now = new Date()): Promise<Verdict | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, applicationId)).for('update');
    // Paused, switched off or deleted meanwhile: the admin's state wins; nothing to assess.
    if (!row || !row.enabled || !['idle', 'running', 'quarantined'].includes(row.state)) return null;
    const [cycle] = await tx.select({ counts: provisioningCycles.counts, status: provisioningCycles.status }).from(provisioningCycles).where(eq(provisioningCycles.id, report.cycleId));
    // Cancelled by a restart, which cleared the health memory this run would write to.
    if (cycle?.status === 'cancelled') return null;
    const counts = cycle?.counts ?? {};
    const attempted = Object.entries(counts).reduce((n, [k, v]) => (NOT_ATTEMPTED.has(k) ? n : n + v), 0);
    const interval = Number((row.settings as { cycleIntervalMinutes?: unknown }).cycleIntervalMinutes) || 40;
    const verdict = assessRun(
      { kind: report.kind, attempted, failed: counts['failed'] ?? 0, systemicFailures: report.systemicFailures, fatal: report.fatal },
      row.state,
      readHealth(row.health),
      interval,
      now,
    );
    await tx
      .update(provisioningConfigs)
      .set({
        health: verdict.health as unknown as Record<string, unknown>,
        ...(verdict.state ? { state: verdict.state } : {}),
        ...(verdict.stateReason !== undefined ? { stateReason: verdict.stateReason } : {}),
        ...(verdict.nextCycleInMinutes !== undefined ? { nextCycleAt: sql`now() + make_interval(mins => ${verdict.nextCycleInMinutes})` } : {}),
        updatedAt: now,
      })
      .where(eq(provisioningConfigs.applicationId, applicationId));
    if (verdict.notice) {
      const [app] = await tx.select({ name: applications.displayName }).from(applications).where(eq(applications.id, applicationId));
      await notify(tx, queue, applicationId, healthMessage(verdict.notice.kind, app?.name ?? applicationId, verdict.notice.facts));
    }
    return verdict;
  });
}
