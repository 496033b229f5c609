/**
 * The one place where a run's unfinished work is put in escrow (issue 15, item 2): users whose
 * change could not be applied for a reason of the run, not of the user — the application stopped, a
 * full cycle held the lease, the worker died, the run ended on an exception. Each reason has one code
 * and one class, whoever writes it. (Failed actions are escrowed by apply itself, with the class of
 * the target's error: apply/apply-plan.ts.)
 */
import { eq } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Executor } from '../../db/database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';
import { escrowUsers } from './retries.ts';

/** Why a run left users waiting, with the class each code always carries. */
export const WAIT_REASONS = {
  /** The application is stopped by a configuration error: the change waits, due at once, until it runs again. */
  application_stopped: { code: 'application_stopped', class: 'configuration', message: 'Provisioning was stopped when this change arrived.', advice: 'Fix the connection; the change is applied when provisioning runs again.' },
  /** A full cycle held the application: the batch waits for the tick instead of looping. */
  cycle_running: { code: 'cycle_running', class: 'transient', message: 'A full cycle was running.', advice: 'None: applied after the cycle.' },
  /** The run's worker died (no queue to hand the scope to). */
  worker_lost: { code: 'worker_lost', class: 'transient', message: 'The worker applying this change stopped.', advice: 'None: applied again automatically.' },
  /** The run's worker died between a create and its link (no queue to hand the users to). */
  worker_lost_creating: { code: 'worker_lost', class: 'transient', message: 'The worker creating this account stopped before it was linked.', advice: 'None: applied again automatically.' },
} as const satisfies Record<string, ConnectorError>;

export type WaitReason = keyof typeof WAIT_REASONS;

/** Users that wait for a reason of the run: due at once (a later run applies them), their attempts not counted. */
export async function escrowWaiting(executor: Executor, applicationId: string, userIds: readonly string[], reason: WaitReason | ConnectorError): Promise<void> {
  const error = typeof reason === 'string' ? WAIT_REASONS[reason] : reason;
  await escrowUsers(executor, applicationId, userIds.map((directoryId) => ({ directoryId, error })), { immediate: true });
}

/**
 * A run that ended with an exception (its worker alive): the users it was creating (their accounts
 * may exist without links) and an incremental batch's users wait in escrow and are planned again,
 * with the escrow's growing delays (an exception that repeats does not loop). The error is the
 * stored one (a code and a correlation id); its class is always `transient`.
 */
export async function escrowFailedRun(executor: Executor, cycleId: string, error: { code: string; message: string; advice: string }): Promise<void> {
  const c = provisioningCycles;
  const [run] = await executor.select({ applicationId: c.applicationId, kind: c.kind, scope: c.scope }).from(c).where(eq(c.id, cycleId));
  if (!run) return;
  const scope = run.scope ?? {};
  const users = [...new Set([...(scope.createIds ?? []), ...(run.kind === 'incremental' ? (scope.userIds ?? []) : [])])];
  await escrowUsers(executor, run.applicationId, users.map((directoryId) => ({ directoryId, error: { ...error, class: 'transient' as const } })));
}
