/**
 * What one action's result means for the engine's records: the link to write or drop, the
 * provisioning event, and whether the user goes to escrow.
 */
import type { ConnectorError } from '../../connectors/contract.ts';
import type { EventAction, ProvisioningEventInput } from '../events/record-event.ts';
import type { LinkWrite } from '../links/user-links.ts';
import type { DesiredUser, PlanAction, WrittenState } from '../diff/plan-types.ts';
import { changesOf } from '../diff/action-changes.ts';
import { MISMATCH_ADVICE, type LinkMismatch, mismatchMessage } from '../links/identity-check.ts';

export interface Outcome {
  event: Omit<ProvisioningEventInput, 'applicationId' | 'cycleId'>;
  link?: LinkWrite;
  unlink?: string;
  /** Succeeded: any escrow row of the user is cleared. */
  cleared?: string;
  failure?: { directoryId: string; error: ConnectorError };
  /** Not applied for a reason that passes at once (the plan went stale): retried now, with a fresh plan. */
  retry?: { directoryId: string; error: ConnectorError };
}

const writtenOf = (d: DesiredUser): WrittenState => ({ externalId: d.externalId, roleKey: d.roleKey, suspended: d.suspended, attributes: d.attributes });

/** Reported drift is logged as `report`, like the groups' (counted as drift reported). */
const eventAction = (a: PlanAction): EventAction =>
  a.kind === 'deprovision-suspend' ? 'suspend' : a.kind === 'drift' ? 'report' : a.kind === 'find' ? (a.then === 'delete' ? 'delete' : 'suspend') : a.kind;

/**
 * A link that failed the identity check: dropped, and logged as `unlink` with the code
 * `link_mismatch` and both identities (old: what the link expected, new: what the target holds).
 */
export function mismatched(a: { directoryId: string; identity: string }, m: LinkMismatch): Outcome {
  const message = mismatchMessage(m);
  return {
    event: {
      directoryId: a.directoryId,
      targetId: m.expected.targetId,
      identity: a.identity,
      action: 'unlink',
      status: 'skipped',
      steps: [{ name: 'match', outcome: 'link_mismatch', detail: message }],
      changes: [{ property: 'target_identity', old: m.expected, new: m.held }],
      error: { code: 'link_mismatch', message, advice: MISMATCH_ADVICE },
      durationMs: 0,
    },
    unlink: a.directoryId,
  };
}

export function succeeded(a: PlanAction, targetId: string, durationMs: number): Outcome {
  const event = { directoryId: a.directoryId, targetId, identity: a.identity, action: eventAction(a), status: 'success' as const, steps: a.steps, changes: changesOf(a), durationMs };
  switch (a.kind) {
    case 'update':
    case 'suspend':
    case 'unsuspend':
      return {
        event,
        cleared: a.directoryId,
        link: { directoryId: a.directoryId, targetId, lastHash: a.confirms.hash, lastWritten: a.confirms.written, state: a.confirms.suspended ? 'suspended' : 'provisioned' },
      };
    case 'create':
    case 'link':
      return {
        event,
        cleared: a.directoryId,
        link: { directoryId: a.directoryId, targetId, lastHash: a.desired.hash, lastWritten: writtenOf(a.desired), state: a.desired.suspended ? 'suspended' : 'provisioned' },
      };
    case 'deprovision-suspend':
      return {
        event,
        cleared: a.directoryId,
        link: { directoryId: a.directoryId, targetId, lastHash: null, lastWritten: a.written ? { ...a.written, suspended: true } : null, state: 'suspended' },
      };
    case 'delete':
      return { event, cleared: a.directoryId, unlink: a.directoryId };
    case 'skip':
      return { event: { ...event, action: 'skip', status: a.failed ? 'failed' : 'skipped', error: { code: a.code, message: a.reason, advice: a.reason } } };
    case 'drift':
      // Reported, not repaired: no call was made and the link stays as it is.
      return { event: { ...event, status: 'skipped' } };
    case 'unlink':
      return mismatched(a, a.mismatch);
    case 'find': {
      // The target answered: no account of this user exists, so there is nothing to suspend or delete.
      const looked = `no account of this user in the target (looked up by ${a.probes.map((p) => p.field).join(', ')}): nothing to ${a.then === 'delete' ? 'delete' : 'suspend'}`;
      const reason = a.why ? `Out of scope: ${a.why}; ${looked}` : looked;
      return { event: { ...event, action: 'skip', status: 'skipped', steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'skipped', detail: reason }], error: { code: 'no_account', message: reason, advice: 'None.' } }, cleared: a.directoryId };
    }
  }
}

export function failed(a: PlanAction, error: ConnectorError, durationMs: number): Outcome {
  return {
    event: {
      directoryId: a.directoryId,
      targetId: 'targetId' in a ? a.targetId : null,
      identity: a.identity,
      action: eventAction(a),
      status: 'failed',
      steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'failed', detail: error.message }],
      changes: changesOf(a),
      error: { code: error.code, message: error.message, advice: error.advice },
      durationMs,
    },
    failure: { directoryId: a.directoryId, error },
  };
}

/** Held back because the plan went stale (e.g. apply/stale-claims.ts): logged as skipped with the reason, retried at once. */
export function deferred(a: PlanAction, error: ConnectorError): Outcome {
  return {
    event: {
      directoryId: a.directoryId,
      targetId: 'targetId' in a ? a.targetId : null,
      identity: a.identity,
      action: eventAction(a),
      status: 'skipped',
      steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'skipped', detail: error.message }],
      changes: [],
      error: { code: error.code, message: error.message, advice: error.advice },
      durationMs: 0,
    },
    retry: { directoryId: a.directoryId, error },
  };
}
