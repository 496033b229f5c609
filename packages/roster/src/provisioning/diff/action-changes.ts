/** What an action changes, old → new, as plans and the log show it. */
import type { TargetUserInput } from '../../connectors/contract.ts';
import type { PlanAction, PropertyChange } from './plan-types.ts';

/** A create's changes: the external id, the role and every attribute it sends, each from nothing. */
export function createChanges(input: TargetUserInput): PropertyChange[] {
  return [['external_id', input.externalId], ['role', input.roleKey], ...Object.entries(input.attributes)].map(([property, value]) => ({ property: property as string, old: null, new: value }));
}

/** Any user action's changes: kept with the action, except a create's, which follow from its input. */
export const changesOf = (a: PlanAction): PropertyChange[] => (a.kind === 'create' ? createChanges(a.input) : a.changes);
