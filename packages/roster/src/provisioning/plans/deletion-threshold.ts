/**
 * Accidental deletion prevention, the pure part: which actions of a plan remove access (deletes and
 * suspends), and whether their number passes the application's threshold. A plan that would remove
 * (unassign, scope out) every provisioned user is held whatever the settings say: a broken scoping filter or a lost group
 * assignment must never empty the target account unreviewed.
 */
import type { DeletionThreshold } from '../config/settings-schema.ts';
import type { PlanAction } from '../plan/plan-types.ts';
import type { CyclePlan } from '../cycles/compute-cycle-plan.ts';

/** Action kinds that take access away: they are counted and, above the threshold, staged. */
export const removingKinds: ReadonlySet<string> = new Set(['delete', 'deprovision-suspend', 'suspend']);

export const isRemoving = (a: Pick<PlanAction, 'kind'>): boolean => removingKinds.has(a.kind);

/** The plan's user actions that remove access. (Group deletes join here once groups are planned.) */
export const removingActions = (plan: CyclePlan): PlanAction[] => plan.users.actions.filter(isRemoving);

/** Removals that take users out of scope (not directory deactivations): what "deprovision everyone" counts. */
export const deprovisionCount = (actions: readonly PlanAction[]): number => actions.filter((a) => a.kind === 'delete' || a.kind === 'deprovision-suspend').length;

export interface ThresholdCheck {
  /** Suspends and deletes counted: this plan's plus, for an incremental batch, those applied in the burst window. */
  removing: number;
  /** Of which this plan's own. */
  planned: number;
  /** Of the plan's own, those that take users out of scope (delete, deprovision-suspend); a directory deactivation is not one. */
  deprovisions: number;
  /** Users with a link in state provisioned or suspended. */
  provisioned: number;
}

export interface ThresholdBreach {
  code: 'deletion_threshold';
  /** `count`, `percent`, or `everyone` (the plan would remove every provisioned user). */
  limit: 'count' | 'percent' | 'everyone';
  message: string;
  advice: string;
  removing: number;
  planned: number;
  provisioned: number;
  count: number | null;
  percent: number | null;
}

/** The breach, or null when the removals may go ahead. */
export function checkDeletionThreshold(threshold: DeletionThreshold, c: ThresholdCheck): ThresholdBreach | null {
  if (c.planned === 0) return null;
  const breach = (limit: ThresholdBreach['limit'], why: string): ThresholdBreach => ({
    code: 'deletion_threshold',
    limit,
    message: `${c.planned} suspend${c.planned === 1 ? '' : 's'} and deletes were held back: ${why}.`,
    advice:
      'Review the staged plan. Allow it to apply the suspends and deletes, or discard it after fixing the cause (an unassigned group, a scoping filter, a deactivated department); a discarded plan whose cause remains is staged again by the next cycle. Provisioning is paused until you decide.',
    removing: c.removing,
    planned: c.planned,
    provisioned: c.provisioned,
    count: threshold.count,
    percent: threshold.percent,
  });
  if (c.provisioned > 0 && c.deprovisions >= c.provisioned) return breach('everyone', `they would deprovision every one of the ${c.provisioned} provisioned users`);
  if (!threshold.enabled) return null;
  if (threshold.count !== null && c.removing > threshold.count) return breach('count', `${c.removing} removals at once pass the threshold of ${threshold.count}`);
  if (threshold.percent !== null && c.provisioned > 0 && (c.removing * 100) / c.provisioned > threshold.percent) {
    return breach('percent', `${c.removing} removals are ${round((c.removing * 100) / c.provisioned)}% of the ${c.provisioned} provisioned users, above the threshold of ${threshold.percent}%`);
  }
  return null;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The plan without its removals (applied now), and the removals (staged). */
export function splitRemovals(plan: CyclePlan): { rest: CyclePlan; staged: PlanAction[] } {
  const staged = plan.users.actions.filter(isRemoving);
  return { rest: { ...plan, users: { ...plan.users, actions: plan.users.actions.filter((a) => !isRemoving(a)) } }, staged };
}
