/**
 * The group plan: a pure function of (desired groups, group and membership links, optionally a
 * fresh read of the target's groups and memberships) → actions. Group sync actions, matching an
 * existing group by exact name, the default group rule and drift repair or report are applied here,
 * so a dry run shows exactly what apply would do. No clock, database or network.
 */
import type { TargetGroup } from '../../connectors/contract.ts';
import type { PlanStep, PropertyChange } from '../diff/plan-types.ts';
import type { DesiredGroup, GroupLink, GroupPlan, GroupPlanAction, GroupPlanInput, GroupSnapshot, WrittenGroup } from './group-plan-types.ts';
import { indexMembers, planMembers } from './plan-members.ts';

export type { GroupPlanInput };

/** Targets may store an empty description as ''; null and '' are one value. */
const sameText = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? '') === (b ?? '');

export function planGroups(input: GroupPlanInput): GroupPlan {
  const plan: GroupPlan = { actions: [], unchanged: 0 };
  if (!input.capabilities.groups || !input.settings.provisionGroups) return plan;
  const sync = input.settings.groupSyncActions;
  const links = new Map(input.links.map((l) => [l.directoryId, l]));
  const snapshot = input.snapshot;
  const byId = new Map((snapshot?.groups ?? []).map((g) => [g.id, g]));
  const linkedTargets = new Set(input.links.map((l) => l.targetId));
  const claimed = new Set<string>();
  const considered = new Set<string>();
  const index = indexMembers(input);

  for (const s of input.skipped ?? []) {
    considered.add(s.directoryId);
    if (links.has(s.directoryId)) considered.delete(s.directoryId); // linked: handled below as absent
    plan.actions.push({ objectType: 'group', kind: 'skip', directoryId: s.directoryId, identity: s.name, code: s.code, reason: s.reason, steps: [{ name: 'scope', outcome: 'skipped', detail: s.reason }], changes: [] });
  }

  for (const g of input.groups) {
    considered.add(g.directoryId);
    const inScope: PlanStep = { name: 'scope', outcome: 'in scope', detail: `${g.memberIds.length} member${g.memberIds.length === 1 ? '' : 's'}` };
    const link = links.get(g.directoryId);
    const target = link && snapshot ? byId.get(link.targetId) : undefined;
    const desired: WrittenGroup = { name: g.name, description: g.description };
    let targetGroupId: string | null;
    let current: GroupSnapshot['members'][string] | undefined;
    if (link && (!snapshot || target)) {
      targetGroupId = link.targetId;
      current = snapshot?.members[link.targetId];
      const action = planLinked(g, link, target, desired, input, inScope);
      if (action) plan.actions.push(action);
      else plan.unchanged++;
    } else {
      const steps: PlanStep[] = [inScope];
      if (link) steps.push({ name: 'match', outcome: 'gone', detail: `target group ${link.targetId} no longer exists` });
      const matches = snapshot ? snapshot.groups.filter((t) => t.name === g.name && !linkedTargets.has(t.id) && !claimed.has(t.id)) : [];
      if (matches.length > 1) {
        plan.actions.push(groupSkip(g, 'ambiguous_match', `${matches.length} target groups are named "${g.name}"; rename or delete the extra ones in the target`, steps));
        continue;
      }
      const match = matches[0];
      if (match) {
        claimed.add(match.id);
        plan.actions.push(planMatched(g, match, desired, steps));
        targetGroupId = match.id;
        current = snapshot?.members[match.id];
      } else if (!sync.create) {
        plan.actions.push(groupSkip(g, 'create_disabled', 'creating groups is switched off in the group sync actions', steps));
        continue;
      } else {
        if (snapshot) steps.push({ name: 'match', outcome: 'no match', detail: `no target group is named "${g.name}"` });
        steps.push({ name: 'action', outcome: 'create' });
        const changes: PropertyChange[] = [{ property: 'name', old: null, new: g.name }];
        if (g.description) changes.push({ property: 'description', old: null, new: g.description });
        plan.actions.push({ objectType: 'group', kind: 'create', directoryId: g.directoryId, identity: g.name, input: desired, probe: !snapshot, steps, changes });
        targetGroupId = null;
        current = snapshot ? [] : undefined;
      }
    }
    planMembers(plan, g, targetGroupId, current, input, index);
  }

  for (const link of input.links) {
    if (considered.has(link.directoryId)) continue;
    const action = planAbsent(link, snapshot ? (byId.get(link.targetId) ?? null) : undefined, input);
    if (action) plan.actions.push(action);
  }
  return plan;
}

function planLinked(g: DesiredGroup, link: GroupLink, target: TargetGroup | undefined, desired: WrittenGroup, input: GroupPlanInput, inScope: PlanStep): GroupPlanAction | null {
  const written = link.lastWritten;
  const patch: Partial<WrittenGroup> = {};
  const changes: PropertyChange[] = [];
  let drifted = false;
  for (const key of ['name', 'description'] as const) {
    const fromDirectory = !written || !sameText(written[key], desired[key]);
    // With a snapshot the target's own value decides; without one, what the link says was written.
    const differs = target ? !sameText(target[key], desired[key]) : fromDirectory;
    if (!differs) continue;
    if (key === 'name') patch.name = desired.name;
    else patch.description = desired.description;
    changes.push({ property: key, old: target ? (target[key] ?? null) : (written?.[key] ?? null), new: desired[key] });
    if (!fromDirectory) drifted = true;
  }
  const steps: PlanStep[] = [inScope, { name: 'match', outcome: 'linked', detail: `target group ${link.targetId}` }];
  if (changes.length === 0) {
    if (written && sameText(written.name, desired.name) && sameText(written.description, desired.description)) return null;
    // The target already holds the desired values: only the link learns them.
    steps.push({ name: 'action', outcome: 'update', detail: 'the target already holds the name and description; the link records them' });
    return { objectType: 'group', kind: 'update', directoryId: g.directoryId, identity: g.name, targetId: link.targetId, patch: {}, written: desired, steps, changes };
  }
  const identity = g.name;
  const detail = changes.map((c) => c.property).join(', ');
  if (drifted && input.settings.drift === 'report') {
    const reason = `changed in the target: ${changes.map((c) => `${c.property} "${String(c.old ?? '')}"`).join(', ')}; not repaired (drift: report)`;
    return { objectType: 'group', kind: 'report', directoryId: g.directoryId, identity, code: 'drift', reason, steps: [...steps, { name: 'action', outcome: 'reported', detail: reason }], changes };
  }
  if (!input.settings.groupSyncActions.update) return null;
  steps.push({ name: 'action', outcome: 'update', detail: drifted ? `drift repaired: ${detail}` : detail });
  return { objectType: 'group', kind: 'update', directoryId: g.directoryId, identity, targetId: link.targetId, patch, written: desired, steps, changes };
}

/** An existing target group of exactly the desired name: linked, never duplicated. */
function planMatched(g: DesiredGroup, match: TargetGroup, desired: WrittenGroup, steps: PlanStep[]): GroupPlanAction {
  const patch: Partial<WrittenGroup> = {};
  const changes: PropertyChange[] = [];
  if (!sameText(match.description, g.description)) {
    patch.description = g.description;
    changes.push({ property: 'description', old: match.description ?? null, new: g.description });
  }
  steps.push({ name: 'match', outcome: 'matched', detail: `name = "${g.name}" → target group ${match.id}${match.isDefault ? ' (the default group)' : ''}` });
  steps.push({ name: 'action', outcome: 'link', detail: changes.length ? 'then update description' : 'already up to date' });
  return { objectType: 'group', kind: 'link', directoryId: g.directoryId, identity: g.name, targetId: match.id, patch, written: desired, steps, changes };
}

/** A linked group no longer desired: unassigned, deleted in the directory, or moved to Default Access. */
function planAbsent(link: GroupLink, target: TargetGroup | null | undefined, input: GroupPlanInput): GroupPlanAction | null {
  const identity = link.lastWritten?.name ?? link.directoryId;
  const steps: PlanStep[] = [{ name: 'scope', outcome: 'out of scope', detail: 'no longer assigned' }];
  const base = { objectType: 'group' as const, directoryId: link.directoryId, identity, targetId: link.targetId };
  if (target === null) {
    const reason = 'the target group no longer exists';
    return { ...base, kind: 'unlink', reason, steps: [...steps, { name: 'action', outcome: 'unlink', detail: reason }], changes: [] };
  }
  if (!input.settings.groupSyncActions.delete) return null;
  if (target?.isDefault) {
    const reason = "it is the target account's default group, which cannot be deleted: the group is left in place and no longer managed";
    return { ...base, kind: 'unlink', reason, steps: [...steps, { name: 'action', outcome: 'unlink', detail: reason }], changes: [] };
  }
  return { ...base, kind: 'delete', steps: [...steps, { name: 'action', outcome: 'delete' }], changes: [{ property: 'name', old: identity, new: null }] };
}

function groupSkip(g: DesiredGroup, code: string, reason: string, steps: PlanStep[]): GroupPlanAction {
  return { objectType: 'group', kind: 'skip', directoryId: g.directoryId, identity: g.name, code, reason, steps: [...steps, { name: 'action', outcome: 'skipped', detail: reason }], changes: [] };
}
