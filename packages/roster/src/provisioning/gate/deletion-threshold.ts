/**
 * Accidental deletion prevention, the pure part: which actions of a plan remove access (user
 * deletes and suspends, group deletes), and whether their number passes the application's
 * threshold. A plan that would deprovision (unassign, scope out) every provisioned user is held
 * whatever the settings say: a broken scoping filter or a lost group assignment must never empty
 * the target account unreviewed.
 */
import type { DeletionThreshold } from '../config/settings-schema.ts';
import type { CyclePlan } from './cycle-plan.ts';
import type { GroupPlanAction } from '../groups/group-plan-types.ts';
import type { PlanAction, PropertyChange } from '../diff/plan-types.ts';
import { changesOf } from '../diff/action-changes.ts';
import { heldBackSentence } from '../../words/words.ts';

/** A user, group or membership action of a kept plan. */
export type KeptAction = PlanAction | GroupPlanAction;

/** User action kinds that take access away: they are counted and, above the threshold, staged. */
export const removingKinds: ReadonlySet<string> = new Set(['delete', 'deprovision-suspend', 'suspend']);

export const objectTypeOf = (a: KeptAction): 'user' | 'group' | 'membership' => ('objectType' in a ? a.objectType : 'user');

/** A kept action's changes, old → new (a user create's follow from its input: `changesOf`). */
export const keptChanges = (a: KeptAction): PropertyChange[] => ('objectType' in a ? a.changes : changesOf(a));

/** User deletes and suspends, and group deletes (memberships are not counted). */
export const isRemoving = (a: KeptAction): boolean => (objectTypeOf(a) === 'user' ? removingKinds.has(a.kind) : objectTypeOf(a) === 'group' && a.kind === 'delete');

/** Every action of the plan, users first. */
export const allActions = (plan: CyclePlan): KeptAction[] => [...plan.users.actions, ...(plan.groups?.actions ?? [])];

export const removingActions = (plan: CyclePlan): KeptAction[] => allActions(plan).filter(isRemoving);

/** Removals that take users out of scope (not directory deactivations): what "deprovision everyone" counts. */
export const deprovisionCount = (actions: readonly KeptAction[]): number => actions.filter((a) => objectTypeOf(a) === 'user' && (a.kind === 'delete' || a.kind === 'deprovision-suspend')).length;

export interface ThresholdCheck {
  /** Removals counted: this plan's plus, for an incremental batch, those applied in the burst window. */
  removing: number;
  /** Of which this plan's own. */
  planned: number;
  /** Of the plan's own, user removals that take users out of scope (delete, deprovision-suspend); a directory deactivation is not one. */
  deprovisions: number;
  /** Users with a link in state provisioned or suspended. */
  provisioned: number;
  /** The burst window's length, when `removing` counts removals applied in it (incremental batches). */
  burstMinutes?: number | undefined;
  /** The plan's removals by action kind (`countByKind`), as the staged plan stores them. */
  counts?: Record<string, number> | undefined;
}

export interface ThresholdBreach {
  code: 'deletion_threshold';
  /** `count`, `percent`, or `everyone` (the plan would deprovision every provisioned user). */
  limit: 'count' | 'percent' | 'everyone';
  message: string;
  advice: string;
  removing: number;
  planned: number;
  /** Removals applied in the burst window and counted with the plan's (`removing - planned`). */
  recent: number;
  burstMinutes: number | null;
  provisioned: number;
  count: number | null;
  percent: number | null;
  /** The held-back removals by action kind: the staged plan's counts, so the banner and the plan show the same figures. */
  counts: Record<string, number> | null;
}

/** The breach, or null when the removals may go ahead. */
export function checkDeletionThreshold(threshold: DeletionThreshold, c: ThresholdCheck): ThresholdBreach | null {
  if (c.planned === 0) return null;
  const breach = (limit: ThresholdBreach['limit']): ThresholdBreach => {
    const figures = {
      limit,
      removing: c.removing,
      planned: c.planned,
      recent: Math.max(0, c.removing - c.planned),
      burstMinutes: c.burstMinutes ?? null,
      provisioned: c.provisioned,
      count: threshold.count,
      percent: threshold.percent,
      counts: c.counts ?? null,
    };
    return {
      code: 'deletion_threshold',
      ...figures,
      message: heldBackSentence({ ...figures, burstMinutes: figures.burstMinutes ?? undefined, counts: figures.counts ?? undefined }),
      advice:
        'Review the staged plan. Allow it to apply the suspends and deletes, or discard it after fixing the cause (an unassigned group, a scoping filter, a deactivated department); a discarded plan whose cause remains is staged again by the next cycle. Provisioning is paused until you decide.',
    };
  };
  if (c.provisioned > 0 && c.deprovisions >= c.provisioned) return breach('everyone');
  if (!threshold.enabled) return null;
  if (threshold.count !== null && c.removing > threshold.count) return breach('count');
  if (threshold.percent !== null && c.provisioned > 0 && (c.removing * 100) / c.provisioned > threshold.percent) return breach('percent');
  return null;
}

/** The plan without its removals (applied now), and the removals (staged). */
export function splitRemovals(plan: CyclePlan): { rest: CyclePlan; staged: KeptAction[] } {
  const rest: CyclePlan = { ...plan, users: { ...plan.users, actions: plan.users.actions.filter((a) => !isRemoving(a)) } };
  if (plan.groups) rest.groups = { ...plan.groups, actions: plan.groups.actions.filter((a) => !isRemoving(a)) };
  return { rest, staged: removingActions(plan) };
}

/** Counts by action kind: user kinds as they are (`create`, `delete`…), others prefixed (`group:delete`, `membership:add_member`). */
export function countByKind(actions: readonly KeptAction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of actions) {
    const type = objectTypeOf(a);
    const key = type === 'user' ? a.kind : `${type}:${a.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** A plan's counts: by kind, plus `unchanged` users (and `group:unchanged` when groups were planned). */
export function planCounts(plan: CyclePlan): Record<string, number> {
  return { ...countByKind(allActions(plan)), unchanged: plan.users.unchanged, ...(plan.groups?.unchanged ? { 'group:unchanged': plan.groups.unchanged } : {}) };
}
