/**
 * The *Why* of a kept plan's action, in words: the skip's reason, "Out of scope: no longer
 * assigned" (or the scoping clause that was false) for a deprovisioning, "Inactive in the
 * directory" for a suspension, else what the plan's action step says.
 */
import type { PlanStep } from '../diff/plan-types.ts';

/** What the *Why* needs of an action (user and group actions alike). */
export interface ActionForWhy {
  kind: string;
  reason?: unknown;
  steps?: readonly PlanStep[] | undefined;
  changes?: readonly { property: string; old: unknown; new: unknown }[] | undefined;
}

const capital = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export function actionWhy(a: ActionForWhy): string | null {
  if (typeof a.reason === 'string' && a.reason) return capital(a.reason);
  const steps = a.steps ?? [];
  const scope = steps.find((s) => s.name === 'scope');
  if (scope?.outcome === 'out of scope') return `Out of scope: ${scope.detail ?? 'no longer assigned'}`;
  const action = [...steps].reverse().find((s) => s.name === 'action');
  // A directory deactivation (or reactivation), unless the step says it repairs a change made by hand in the target.
  const suspended = a.changes?.find((c) => c.property === 'suspended');
  const repair = action?.detail?.startsWith('drift repaired') ?? false;
  if (!repair && a.kind === 'suspend' && suspended?.new === true) return 'Inactive in the directory';
  if (!repair && a.kind === 'unsuspend' && suspended?.new === false) return 'Active again in the directory';
  if (a.kind === 'update' && action?.detail && !repair) return `Changed in the directory: ${action.detail}`;
  if (a.kind === 'create') return 'In scope, and no account in the target yet';
  if (a.kind === 'link') return `In scope, and an existing account matches${action?.detail && action.detail !== 'already up to date' ? `: ${action.detail}` : ''}`;
  if (action?.detail) return capital(action.detail);
  return scope?.detail ? capital(scope.detail) : null;
}
