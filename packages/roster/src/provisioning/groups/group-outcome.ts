/**
 * What one group or membership action's result means for the engine's records: the provisioning
 * event, and the group or membership link to write or drop.
 */
import type { ConnectorError } from '../../connectors/contract.ts';
import type { EventAction, ProvisioningEventInput } from '../events/record-event.ts';
import type { PlanStep } from '../diff/plan-types.ts';
import type { GroupLink, GroupPlanAction, MembershipLink } from './group-plan-types.ts';

export interface GroupOutcome {
  event: Omit<ProvisioningEventInput, 'applicationId' | 'cycleId'>;
  groupLink?: GroupLink;
  /** Directory group ids whose link (and membership links) go. */
  groupUnlink?: string;
  memberLink?: MembershipLink;
  memberUnlink?: { groupId: string; userId: string };
  /** A configuration error: the application stops. */
  error?: ConnectorError;
}

const eventOf = (a: GroupPlanAction, targetId: string | null, status: 'success' | 'failed' | 'skipped', steps: PlanStep[], durationMs: number): GroupOutcome['event'] => ({
  objectType: a.objectType,
  directoryId: a.directoryId,
  targetId,
  identity: a.identity,
  action: a.kind as EventAction,
  status,
  steps,
  changes: a.changes,
  durationMs,
});

/** Skips and drift reports: logged, nothing sent. */
export function noted(a: Extract<GroupPlanAction, { kind: 'skip' | 'report' }>, extra: PlanStep[] = []): GroupOutcome {
  return { event: { ...eventOf(a, null, 'skipped', [...a.steps, ...extra], 0), error: { code: a.code, message: a.reason, advice: adviceFor(a.code) } } };
}

/** A skip decided while applying (e.g. a member whose account is not there yet). */
export function skippedAt(a: GroupPlanAction, code: string, reason: string, durationMs: number): GroupOutcome {
  const steps: PlanStep[] = [...a.steps.filter((s) => s.name !== 'action'), { name: 'action', outcome: 'skipped', detail: reason }];
  return { event: { ...eventOf(a, null, 'skipped', steps, durationMs), action: 'skip', error: { code, message: reason, advice: adviceFor(code) } } };
}

export function failedAt(a: GroupPlanAction, targetId: string | null, error: ConnectorError, durationMs: number, extra: PlanStep[] = []): GroupOutcome {
  const steps: PlanStep[] = [...a.steps.filter((s) => s.name !== 'action'), ...extra, { name: 'action', outcome: 'failed', detail: error.message }];
  return { event: { ...eventOf(a, targetId, 'failed', steps, durationMs), error: { code: error.code, message: error.message, advice: error.advice } }, ...(error.class === 'configuration' ? { error } : {}) };
}

export function succeededAt(a: GroupPlanAction, targetId: string, durationMs: number, extra: PlanStep[] = []): GroupOutcome {
  const steps = extra.length ? [...a.steps.slice(0, -1), ...extra, a.steps.at(-1)!] : a.steps;
  const out: GroupOutcome = { event: eventOf(a, targetId, 'success', steps, durationMs) };
  switch (a.kind) {
    case 'create':
      out.groupLink = { directoryId: a.directoryId, targetId, lastWritten: a.input, state: 'provisioned' };
      break;
    case 'link':
      out.groupLink = { directoryId: a.directoryId, targetId, lastWritten: a.written, state: 'linked' };
      break;
    case 'update':
      out.groupLink = { directoryId: a.directoryId, targetId, lastWritten: a.written, state: 'provisioned' };
      break;
    case 'delete':
    case 'unlink':
      out.groupUnlink = a.directoryId;
      break;
    case 'add_member':
    case 'link_member':
      if (a.directoryId) out.memberLink = { groupId: a.groupId, userId: a.directoryId, targetMembershipId: targetId };
      break;
    case 'remove_member':
      if (a.directoryId && a.linked) out.memberUnlink = { groupId: a.groupId, userId: a.directoryId };
      break;
    case 'skip':
    case 'report':
      break;
  }
  return out;
}

function adviceFor(code: string): string {
  switch (code) {
    case 'member_role_not_allowed':
      return 'Give the user an agent or admin role on the assignment, or take them out of the group.';
    case 'member_not_provisioned':
      return 'None: the membership is added once the user is provisioned.';
    case 'drift':
      return 'Set drift to repair to restore what the directory says, or make the change in the directory.';
    case 'ambiguous_match':
      return 'Rename or delete the extra target groups of that name.';
    case 'create_disabled':
      return 'Switch on group creation in the group sync actions.';
    default:
      return 'See the reason.';
  }
}
