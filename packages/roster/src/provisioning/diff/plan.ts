/**
 * The plan: a pure function of (desired users, links, optionally a fresh read of the target) →
 * actions. Sync-action toggles and matching are applied here, so a dry run shows exactly what apply
 * would do. Nothing here reads a clock, a database or the network.
 */
import type { Capabilities, TargetField, TargetRole, TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import type { RoleGrantRule } from '../../connectors/target-facts.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import { checkRoleForAccount, governingRule } from '../mapping/roles.ts';
import { type Diff, diffDesired, driftFromTarget } from './plan-diff.ts';
import { type TargetIndex, indexTarget, lookUp, matchInSnapshot, probesFor } from './plan-match.ts';
import type { AbsentUser, Confirmed, DesiredUser, MatchProbe, OutOfScopeUser, Plan, PlanAction, PlanStep, PropertyChange, SkippedUser, UserLink, WrittenState } from './plan-types.ts';
import { type LinkClaim, type LinkMismatch, checkIdentity, claimOf, matchClaimOf, mismatchMessage } from '../links/identity-check.ts';

export interface PlanInput {
  desired: readonly DesiredUser[];
  skipped: readonly SkippedUser[];
  /** The links of every user considered (for an incremental plan: of the given users only). */
  links: readonly UserLink[];
  /** Every target user, read once at the start of a cycle; absent for incremental plans. */
  snapshot?: readonly TargetUser[] | undefined;
  /**
   * Without a snapshot: the linked accounts as the target answers them now (one read per 100), the
   * evidence for the identity check. With neither, links are taken on trust (only unit tests do).
   */
  linkedAccounts?: readonly TargetUser[] | undefined;
  settings: Pick<ProvisioningSettings, 'syncActions' | 'matching'> & Partial<Pick<ProvisioningSettings, 'drift'>>;
  capabilities: Pick<Capabilities, 'suspend'>;
  /** The account's roles; when given, unknown role keys are skipped instead of sent. */
  roles?: readonly TargetRole[] | undefined;
  /** The connector's role rules (`ConnectorDefinition.roleRules`, e.g. billing admin only for admins). */
  roleRules?: readonly RoleGrantRule[] | undefined;
  /** The target's fields; those it cannot empty (`required`, `clearable: false`) are never sent empty on update. */
  fields?: readonly TargetField[] | undefined;
  /**
   * Candidates the scoping filters leave out (absent because of a filter, not an unassignment): a
   * deprovisioning names the clause, and one with nothing else planned is logged as an
   * `out_of_scope` skip naming it (when `log`).
   */
  outOfScope?: readonly OutOfScopeUser[] | undefined;
  /**
   * Incremental plans: users of the scope neither desired nor linked. An account of theirs may exist
   * whose link was never written (a worker died between the create and the link): each is looked up
   * (a `find` by the external id a create wrote) and deprovisioned per the sync actions.
   */
  absent?: readonly AbsentUser[] | undefined;
}

export function planUsers(input: PlanInput): Plan {
  const actions: PlanAction[] = [];
  let unchanged = 0;
  const matching = input.settings.matching;
  const read = input.snapshot ?? input.linkedAccounts;
  const accounts = read ? new Map(read.map((t) => [t.id, t])) : undefined;
  // Trust the target, not memory: a link whose account does not prove to be the user's is dropped before anything is planned on it.
  // Only links look users up by id (an initial cycle has none: no map of every user for nothing).
  const desiredById = new Map(input.links.length ? input.desired.map((d) => [d.directoryId, d]) : []);
  const mismatches = new Map<string, LinkMismatch>();
  if (accounts) {
    for (const l of input.links) {
      const verdict = checkIdentity(claimOf(l, desiredById.get(l.directoryId), matching), accounts.get(l.targetId));
      if (!verdict.ok) mismatches.set(l.directoryId, { reason: verdict.reason, expected: verdict.expected, held: verdict.held });
    }
  }
  const trusted = input.links.filter((l) => !mismatches.has(l.directoryId));
  const links = new Map(trusted.map((l) => [l.directoryId, l]));
  const index: TargetIndex | undefined = input.snapshot ? indexTarget(input.snapshot, matching, trusted) : undefined;
  const roles = input.roles ? new Map(input.roles.map((r) => [r.key, r])) : undefined;
  const considered = new Set<string>();
  const defaultAccess = new Set(input.skipped.filter((s) => s.code === 'default_access').map((s) => s.directoryId));
  const context: PlanContext = {
    unclearable: new Set((input.fields ?? []).filter((f) => f.required === true || f.clearable === false).map((f) => f.key)),
    types: new Map((input.fields ?? []).map((f) => [f.key, f.type])),
  };
  /** The action of a user whose link was dropped carries the mismatch, so apply logs it first. */
  const push = (a: PlanAction) => {
    const m = mismatches.get(a.directoryId);
    if (m && a.kind !== 'unlink') a.mismatch = m;
    const claim = claimFor(a);
    if (claim) a.claim = claim;
    // Exactly as long as it is: an array grown by push keeps spare room, and a large plan holds one per user until apply writes it.
    a.steps = a.steps.slice();
    actions.push(a);
  };
  /** One `in scope` step per role, shared by the users' actions (frozen: no action changes another's). */
  const inScopeSteps = new Map<string, PlanStep>();
  const inScopeOf = (roleKey: string): PlanStep => {
    let step = inScopeSteps.get(roleKey);
    if (!step) inScopeSteps.set(roleKey, (step = Object.freeze({ name: 'scope', outcome: 'in scope', detail: `role ${roleKey}` })));
    return step;
  };
  const linkOf = new Map(input.links.map((l) => [l.directoryId, l]));
  /** The evidence a write must still find just before it is sent: the link's claim, or the match's for a link action. */
  const claimFor = (a: PlanAction): LinkClaim | undefined => {
    if (a.kind === 'link') return matchClaimOf(a.desired, { id: a.targetId, externalId: accounts?.get(a.targetId)?.externalId ?? null }, matching);
    if (a.kind !== 'update' && a.kind !== 'suspend' && a.kind !== 'unsuspend' && a.kind !== 'deprovision-suspend' && a.kind !== 'delete') return undefined;
    const link = linkOf.get(a.directoryId);
    return link && link.targetId === a.targetId ? claimOf(link, desiredById.get(a.directoryId), matching) : undefined;
  };

  // Users of an incremental scope no longer wanted who may still hold an account without a link (see `absent`).
  const absent = input.snapshot ? [] : (input.absent ?? []);
  const absentIds = new Set(absent.map((a) => a.directoryId));
  for (const s of input.skipped) {
    considered.add(s.directoryId);
    // Handled below as absent: Default Access is never provisioned, so an account it holds is deprovisioned.
    if (s.code === 'default_access' && (links.has(s.directoryId) || mismatches.has(s.directoryId) || absentIds.has(s.directoryId))) continue;
    push({ kind: 'skip', directoryId: s.directoryId, identity: s.identity, code: s.code, reason: s.reason, failed: s.failed ?? false, steps: [{ name: 'scope', outcome: 'skipped', detail: s.reason }], changes: [] });
  }

  for (const d of input.desired) {
    considered.add(d.directoryId);
    const inScope = inScopeOf(d.roleKey);
    const roleProblem = checkRole(d.roleKey, roles, input.roleRules ?? [], links.get(d.directoryId), index);
    if (roleProblem) {
      push(skip(d, roleProblem.code, roleProblem.reason, [inScope]));
      continue;
    }
    const link = links.get(d.directoryId);
    // Without a read of the target (unit tests only), a link is alive; with one, a trusted link's account is live.
    if (link && (accounts === undefined || accounts.get(link.targetId)?.active === true)) {
      const action = planLinked(d, link, index ? accounts?.get(link.targetId) : undefined, input, inScope, context);
      if (action) push(action);
      else unchanged++;
      continue;
    }
    // The account that failed this user's identity check is not theirs: never matched to them again (another user may match it).
    const held = mismatches.get(d.directoryId)?.held?.targetId;
    const exclude = held !== undefined && index !== undefined && !index.claimed.has(held);
    if (exclude) index.claimed.add(held);
    push(planUnlinked(d, index, input, inScope, context));
    if (exclude) index.claimed.delete(held);
  }

  const filteredOut = new Map((input.outOfScope ?? []).map((o) => [o.directoryId, o]));
  for (const link of input.links) {
    if (considered.has(link.directoryId) && !defaultAccess.has(link.directoryId)) continue;
    const why = filteredOut.get(link.directoryId)?.reason ?? 'no longer assigned';
    const mismatch = mismatches.get(link.directoryId);
    const action = mismatch ? planAbsentMismatched(link, mismatch, index, input, why) : planAbsent(link, input, why);
    if (action) push(action);
    else unchanged++;
  }
  const linked = new Set(input.links.map((l) => l.directoryId));
  for (const a of absent) {
    // A linked user was handled above (deprovisioned by the link, or matched again after a mismatch).
    if ((considered.has(a.directoryId) && !defaultAccess.has(a.directoryId)) || linked.has(a.directoryId)) continue;
    const action = planAbsentUnlinked(a, input, filteredOut.get(a.directoryId)?.reason ?? 'not assigned');
    if (action) push(action);
  }
  // Left out by a filter with nothing else to do: the log says which clause, so "why is this user not in the target?" has an answer.
  const planned = new Set(filteredOut.size ? actions.map((a) => a.directoryId) : []);
  for (const o of filteredOut.values()) {
    if (!o.log || planned.has(o.directoryId) || linked.has(o.directoryId)) continue;
    const reason = `Out of scope: ${o.reason}`;
    push({ kind: 'skip', directoryId: o.directoryId, identity: o.identity, code: 'out_of_scope', reason, failed: false, steps: [{ name: 'scope', outcome: 'out of scope', detail: o.reason }], changes: [] });
  }
  for (const [directoryId, mismatch] of mismatches) {
    // A mismatched user with nothing else planned (e.g. inactive and found nowhere) still has its link dropped and logged.
    if (actions.some((a) => a.directoryId === directoryId)) continue;
    const link = input.links.find((l) => l.directoryId === directoryId)!;
    actions.push(unlinkOnly(link, mismatch, desiredById.get(directoryId)?.identity));
  }
  return { actions, unchanged };
}

const identityOf = (link: UserLink): string => String(link.lastWritten?.attributes['email'] ?? link.directoryId);

/** A dropped link with nothing else planned for its user: only logged. */
export function unlinkOnly(link: UserLink, mismatch: LinkMismatch, identity: string | undefined): PlanAction {
  const steps: PlanStep[] = [{ name: 'match', outcome: 'link_mismatch', detail: mismatchMessage(mismatch) }];
  return { kind: 'unlink', directoryId: link.directoryId, identity: identity ?? identityOf(link), targetId: link.targetId, mismatch, steps, changes: [] };
}

/**
 * A user no longer desired whose link failed the identity check: matched again as on a first cycle
 * (by the external id and matching attributes the link wrote), so the account that proves to be
 * theirs is deprovisioned, and a wrong one never is.
 */
function planAbsentMismatched(link: UserLink, mismatch: LinkMismatch, index: TargetIndex | undefined, input: PlanInput, why: string): PlanAction {
  const sync = input.settings.syncActions;
  if (!sync.delete || (sync.deprovision === 'suspend' && !input.capabilities.suspend)) return unlinkOnly(link, mismatch, undefined);
  const claim = claimOf(link, undefined, input.settings.matching);
  const probes: MatchProbe[] = input.settings.matching.flatMap((field) => (field === 'external_id' ? claim.externalIds.map((value) => ({ field, value })) : claim.matchValues.filter((m) => m.field === field)));
  if (probes.length === 0) return unlinkOnly(link, mismatch, undefined);
  const then = sync.deprovision === 'suspend' ? 'deprovision-suspend' : 'delete';
  const steps: PlanStep[] = [{ name: 'scope', outcome: 'out of scope', detail: why }, { name: 'match', outcome: 'link_mismatch', detail: mismatchMessage(mismatch) }];
  if (!index) {
    steps.push({ name: 'action', outcome: 'find', detail: `look the account up by ${probes.map((p) => p.field).join(', ')}, then ${then === 'delete' ? 'delete' : 'suspend'} it` });
    return { kind: 'find', directoryId: link.directoryId, identity: identityOf(link), probes, then, desired: null, written: link.lastWritten, steps, changes: [] };
  }
  // Removing: only an account carrying the external id Roster wrote proves to be theirs (one matched by email alone was never Roster's to remove).
  const hit = probes.flatMap((p) => lookUp(index, p.field, p.value)).find((t) => checkIdentity({ ...claim, matchValues: [], targetId: t.id }, t).ok);
  if (!hit) return unlinkOnly(link, mismatch, undefined);
  index.claimed.add(hit.id);
  steps.push({ name: 'match', outcome: 'matched', detail: `found again: target ${hit.id}` });
  const relinked: UserLink = { ...link, targetId: hit.id, state: hit.suspended ? 'suspended' : link.state };
  return planAbsent(relinked, input, why, steps) ?? unlinkOnly(link, mismatch, undefined);
}

/**
 * A user absent from an incremental scope with no link: an account Roster created may exist whose
 * link was never written (the users a dead run was creating are re-planned this way, run/create-intent.ts). Looked up by the external id a create wrote (never by email alone: such an
 * account was made by hand, not by Roster) and, when one is found, linked and deprovisioned per the
 * sync actions; none found is logged as such, and a failed lookup fails (escrow), never a success.
 */
function planAbsentUnlinked(a: AbsentUser, input: PlanInput, why: string): PlanAction | null {
  const sync = input.settings.syncActions;
  if (!sync.delete) return null;
  // Only by external id: every create of Roster's carries it, and an account matched by email alone was never Roster's to remove.
  const probes: MatchProbe[] = [...new Set([a.externalId, a.directoryId])].map((value) => ({ field: 'external_id', value }));
  const then = sync.deprovision === 'suspend' && input.capabilities.suspend ? 'deprovision-suspend' : 'delete';
  const steps: PlanStep[] = [
    { name: 'scope', outcome: 'out of scope', detail: `${why}, and no link: an account created by a run that died before its link may exist` },
    { name: 'action', outcome: 'find', detail: `look the account up by external_id, then ${then === 'delete' ? 'delete' : 'suspend'} it` },
  ];
  return { kind: 'find', directoryId: a.directoryId, identity: a.identity, probes, then, desired: null, written: null, why, steps, changes: [] };
}

/**
 * May `roleKey` be written to this user's account? A role the connector's rules govern (billing
 * admin, SETUP-FLOWS A.11) only to an account that holds an allowed role in the target now: its role
 * as the snapshot shows it, else as the link last wrote it; a new or unlinked account does not hold
 * one yet, so it is refused with the way there.
 */
function checkRole(roleKey: string, roles: ReadonlyMap<string, TargetRole> | undefined, rules: readonly RoleGrantRule[], link: UserLink | undefined, index: TargetIndex | undefined): { code: string; reason: string } | null {
  if (!roles) return null;
  const role = roles.get(roleKey);
  if (!role) return { code: 'unknown_role', reason: `the role ${roleKey} does not exist in the target account (deleted custom role?); pick another role on the assignment` };
  if (!governingRule(role, rules)) return null;
  const current = !link ? null : index ? (index.byId.get(link.targetId)?.roleKey ?? null) : (link.lastWritten?.roleKey ?? null);
  const decision = checkRoleForAccount([...roles.values()], roleKey, current, rules);
  return decision.ok ? null : { code: decision.code, reason: decision.reason };
}

/** The last step of every create (shared and frozen, like the `in scope` steps). */
const CREATE_STEP: PlanStep = Object.freeze({ name: 'action', outcome: 'create' });

function planUnlinked(d: DesiredUser, index: TargetIndex | undefined, input: PlanInput, inScope: PlanStep, context: PlanContext): PlanAction {
  const sync = input.settings.syncActions;
  const steps: PlanStep[] = [inScope];
  if (index) {
    const match = matchInSnapshot(d, index, input.settings.matching, steps);
    if (match === 'ambiguous') return skip(d, 'ambiguous_match', 'several existing accounts match; merge or fix them in the target, or change the matching order', steps);
    if (match) return planMatched(d, match, input, steps, context);
  }
  if (d.suspended && !index && sync.activateDeactivate && input.capabilities.suspend) {
    // No read of the target: an account may exist whose link was never written (a worker died mid-create). Look before concluding.
    const probes = probesFor(d, input.settings.matching);
    if (probes.length) {
      steps.push({ name: 'action', outcome: 'find', detail: `inactive in the directory: look the account up by ${probes.map((p) => p.field).join(', ')}, then suspend it` });
      return { kind: 'find', directoryId: d.directoryId, identity: d.identity, probes, then: 'suspend', desired: d, written: null, steps, changes: [{ property: 'suspended', old: false, new: true }] };
    }
  }
  if (!sync.create) return skip(d, 'create_disabled', 'creating users is switched off in the sync actions', steps);
  if (d.suspended) return skip(d, 'inactive', 'the user is inactive in the directory and has no account to suspend', steps);
  // An empty value on create means "not set": the target's default applies (some targets refuse a null value: `TargetField.clearable`).
  const attributes = Object.fromEntries(Object.entries({ ...d.createAttributes, ...d.attributes }).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
  const userInput: TargetUserInput = { externalId: d.externalId, roleKey: d.roleKey, attributes };
  steps.push(CREATE_STEP);
  return { kind: 'create', directoryId: d.directoryId, identity: d.identity, input: userInput, probes: index ? [] : probesFor(d, input.settings.matching), desired: d, steps };
}

/** An existing account found by the matching order: link it, then bring it to the desired state. */
function planMatched(d: DesiredUser, target: TargetUser, input: PlanInput, steps: PlanStep[], context: PlanContext): PlanAction {
  const { patch, changes } = driftFromTarget(d, target, { unreported: 'send', types: context.types });
  const sync = input.settings.syncActions;
  // Assigning a user whose existing account is suspended reactivates it (issue 4, sync actions).
  if (target.suspended && !d.suspended && input.capabilities.suspend) {
    patch.suspended = false;
    changes.push({ property: 'suspended', old: true, new: false });
  } else if (!target.suspended && d.suspended && sync.activateDeactivate && input.capabilities.suspend) {
    patch.suspended = true;
    changes.push({ property: 'suspended', old: false, new: true });
  }
  steps.push({ name: 'action', outcome: 'link', detail: changes.length ? `then update ${changes.map((c) => c.property).join(', ')}` : 'already up to date' });
  return { kind: 'link', directoryId: d.directoryId, identity: d.identity, targetId: target.id, patch, desired: d, steps, changes };
}

function planLinked(d: DesiredUser, link: UserLink, target: TargetUser | undefined, input: PlanInput, inScope: PlanStep, context: PlanContext): PlanAction | null {
  const sync = input.settings.syncActions;
  const report = input.settings.drift === 'report';
  const written = link.lastWritten;
  // A link without a confirmed write (or whose hash moved) is compared field by field.
  const fromDirectory = written && link.lastHash === d.hash ? { patch: {}, changes: [] } : diffDesired(d, written);
  const inTarget = target ? driftFromTarget(d, target, { unreported: 'skip', types: context.types }) : { patch: {}, changes: [] };
  // Drift: the target differs where the directory did not change since the last write, so someone edited it there.
  const directoryChanged = new Set(fromDirectory.changes.map((c) => c.property));
  const drift = inTarget.changes.filter((c) => !directoryChanged.has(c.property));
  const repaired: PropertyChange[] = [];
  const reported: PropertyChange[] = [];
  const patch: Partial<TargetUserInput> = {};
  const changes: PropertyChange[] = [];
  const kept: string[] = [];
  if (sync.update) {
    const fromTarget = report ? pick(inTarget, directoryChanged) : inTarget;
    const attributes = { ...(fromDirectory.patch.attributes ?? {}), ...(fromTarget.patch.attributes ?? {}) };
    if (Object.keys(attributes).length) patch.attributes = attributes;
    for (const key of ['roleKey', 'externalId'] as const) {
      const value = fromTarget.patch[key] ?? fromDirectory.patch[key];
      if (value !== undefined) patch[key] = value;
    }
    const seen = new Set<string>();
    // The target's value is the truer "old" of a change; the link's is the fallback.
    for (const c of [...fromTarget.changes, ...fromDirectory.changes]) {
      if (seen.has(c.property)) continue;
      seen.add(c.property);
      changes.push(c);
    }
    // Emptying a field the target refuses to empty (`TargetField.clearable` false) would fail the whole update: keep its value.
    for (const key of Object.keys(attributes)) {
      if (!context.unclearable.has(key) || !isEmpty(attributes[key])) continue;
      delete attributes[key];
      kept.push(key);
    }
    if (kept.length && !Object.keys(attributes).length) delete patch.attributes;
    for (let i = changes.length - 1; i >= 0; i--) if (kept.includes(changes[i]!.property)) changes.splice(i, 1);
    (report ? reported : repaired).push(...drift);
  } else if (report) reported.push(...drift);
  let kind: 'update' | 'suspend' | 'unsuspend' = 'update';
  const isSuspended = target ? target.suspended : link.state === 'suspended';
  const mayToggle = input.capabilities.suspend && (sync.activateDeactivate || (link.state === 'suspended' && sync.deprovision === 'suspend' && !d.suspended));
  if (mayToggle && isSuspended !== d.suspended) {
    const change = { property: 'suspended', old: isSuspended, new: d.suspended };
    // The last confirmed state already matches the directory: the account was (un)suspended by hand.
    const byHand = target !== undefined && (link.state === 'suspended') === d.suspended;
    if (byHand && report) reported.push(change);
    else {
      patch.suspended = d.suspended;
      kind = d.suspended ? 'suspend' : 'unsuspend';
      changes.push(change);
      if (byHand) repaired.push(change);
    }
  }
  if (changes.length === 0 && kept.length === 0) return reported.length ? driftReport(d, link, inScope, reported) : null;
  const steps: PlanStep[] = [inScope, { name: 'match', outcome: 'linked', detail: `target ${link.targetId}` }];
  if (kept.length) steps.push({ name: 'action', outcome: 'kept', detail: `${kept.join(', ')} not emptied: the target cannot clear ${kept.length > 1 ? 'these fields' : 'this field'}, so it keeps its current value` });
  if (reported.length) steps.push({ name: 'action', outcome: 'reported', detail: `changed in the target, left as it is (drift: report): ${describe(reported)}` });
  if (changes.length) steps.push({ name: 'action', outcome: kind, detail: repaired.length ? `drift repaired: ${describe(repaired)}` : changes.map((c) => c.property).join(', ') });
  const suspended = patch.suspended ?? isSuspended;
  // Held-back changes (update off) stay out of the link, so they are pushed once update is on again.
  const heldBack = !sync.update && fromDirectory.changes.some((c) => c.property !== 'suspended');
  const confirms: Confirmed = heldBack
    ? { written: link.lastWritten ? { ...link.lastWritten, suspended } : null, hash: null, suspended }
    : { written: { ...writtenOf(d), suspended }, hash: d.hash, suspended };
  return { kind, directoryId: d.directoryId, identity: d.identity, targetId: link.targetId, patch, desired: d, steps, changes, confirms };
}

/** What the plan needs about the target's fields, computed once per plan. */
interface PlanContext {
  /** Fields the target cannot empty (`required`, `clearable: false`): never sent empty on update. */
  unclearable: ReadonlySet<string>;
  types: ReadonlyMap<string, TargetField['type']>;
}

/** The part of a diff about the given properties (`role` and `external_id` included). */
function pick(diff: Diff, properties: ReadonlySet<string>): Diff {
  const patch: Partial<TargetUserInput> = {};
  const attributes = Object.fromEntries(Object.entries(diff.patch.attributes ?? {}).filter(([k]) => properties.has(k)));
  if (Object.keys(attributes).length) patch.attributes = attributes;
  if (diff.patch.roleKey !== undefined && properties.has('role')) patch.roleKey = diff.patch.roleKey;
  if (diff.patch.externalId !== undefined && properties.has('external_id')) patch.externalId = diff.patch.externalId;
  return { patch, changes: diff.changes.filter((c) => properties.has(c.property)) };
}

const describe = (changes: readonly PropertyChange[]): string => changes.map((c) => `${c.property} ${JSON.stringify(c.old)} → ${JSON.stringify(c.new)}`).join('; ');

/** Drift with `drift: 'report'`: logged with old → new, nothing sent, the link left as it is. */
function driftReport(d: DesiredUser, link: UserLink, inScope: PlanStep, changes: PropertyChange[]): PlanAction {
  const steps: PlanStep[] = [
    inScope,
    { name: 'match', outcome: 'linked', detail: `target ${link.targetId}` },
    { name: 'action', outcome: 'reported', detail: `changed in the target, left as it is (drift: report): ${describe(changes)}` },
  ];
  return { kind: 'drift', directoryId: d.directoryId, identity: d.identity, targetId: link.targetId, steps, changes };
}

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '';

const writtenOf = (d: DesiredUser): WrittenState => ({ externalId: d.externalId, roleKey: d.roleKey, suspended: d.suspended, attributes: d.attributes });

/** A linked user no longer desired: unassigned, deleted, moved to Default Access, or left out by the scoping filters. */
function planAbsent(link: UserLink, input: PlanInput, why: string, matched?: PlanStep[]): PlanAction | null {
  const sync = input.settings.syncActions;
  if (!sync.delete) return null;
  const identity = identityOf(link);
  const steps: PlanStep[] = matched ?? [{ name: 'scope', outcome: 'out of scope', detail: why }];
  const base = { directoryId: link.directoryId, identity, targetId: link.targetId };
  if (sync.deprovision === 'suspend' && input.capabilities.suspend) {
    if (link.state === 'suspended') return null;
    steps.push({ name: 'action', outcome: 'suspend', detail: 'deprovision by suspending (sync actions)' });
    return { ...base, kind: 'deprovision-suspend', patch: { suspended: true }, written: link.lastWritten, steps, changes: [{ property: 'suspended', old: false, new: true }] };
  }
  steps.push({ name: 'action', outcome: 'delete' });
  return { ...base, kind: 'delete', steps, changes: [] };
}

function skip(d: DesiredUser, code: string, reason: string, steps: PlanStep[]): PlanAction {
  return { kind: 'skip', directoryId: d.directoryId, identity: d.identity, code, reason, failed: false, steps: [...steps, { name: 'action', outcome: 'skipped', detail: reason }], changes: [] };
}
