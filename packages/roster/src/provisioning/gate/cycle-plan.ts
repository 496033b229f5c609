/** One run's plan as the gate receives it (computed in reconcile/compute-cycle-plan.ts). */
import type { GroupPlan } from '../groups/group-plan-types.ts';
import type { Plan } from '../diff/plan-types.ts';

/** `full`: every user in scope, with a read of the whole target; `incremental`: the given users only, from the stored catalogue. */
export type PlanScope = 'full' | 'incremental';

/**
 * One run's plan, by object type. Other object types (groups, memberships) join as optional
 * members, so code that handles only users keeps working.
 */
export interface CyclePlan {
  users: Plan;
  /** Groups and memberships (provisioning/groups), applied after the users; absent when the target has no groups or provisionGroups is off. */
  groups?: GroupPlan | undefined;
}
