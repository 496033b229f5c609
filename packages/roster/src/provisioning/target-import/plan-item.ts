/**
 * What applying one confirmed item does (pure): the directory row after it, the role to assign,
 * and what the target account needs so the engine's next cycle finds nothing to change — the
 * rendered `external_id` (the engine identifies accounts by it) and, with source profile
 * `directory`, the directory's values.
 */
import type { TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import type { AttributeDefinition } from '../../directory/attributes/custom-values.ts';
import { type UserRow, defaultDisplayName } from '../../directory/users/user-fields.ts';
import { type RenderContext, renderDesired } from '../desired/render-desired.ts';
import { driftFromTarget } from '../diff/plan-diff.ts';
import type { DesiredUser } from '../diff/plan-types.ts';
import type { ImportCategory } from './classify.ts';
import type { ImportMapping } from './import-mapping.ts';
import { type Difference, checkProfile, differencesOf, profileOf, profileOfDifferences, withProfile } from './target-profile.ts';

export interface ConfirmedItem {
  targetId: string;
  category: ImportCategory;
  directoryUserId: string | null;
  identity: string;
  target: TargetUser;
  sourceProfile: 'target' | 'directory' | null;
}

export interface ItemPlan {
  item: ConfirmedItem;
  /** The directory row before (null for a new user) and after. */
  current: UserRow | null;
  next: UserRow;
  /** Directory fields written, with old → new. */
  changes: Difference[];
  /** The role the user's own assignment gets; null keeps the assignment as it is. */
  assignRole: string | null;
  /** False when the target account is gone: the directory user is only deactivated. */
  link: boolean;
  /** What the target account needs (empty: nothing). */
  patch: Partial<TargetUserInput>;
  /** The desired state rendered for `next` with `assignRole` (absent when it did not render); a new user's link is written from it. */
  desired?: DesiredUser;
}

export type PlanResult = { ok: true; plan: ItemPlan } | { ok: false; code: string; message: string };

export interface PlanContext {
  mapping: ImportMapping;
  defs: ReadonlyMap<string, AttributeDefinition>;
  render: RenderContext;
  /** The user's current effective role on the application, if any. */
  effectiveRole(userId: string): string | undefined;
}

export function planItem(item: ConfirmedItem, current: UserRow | null, ctx: PlanContext, now: Date): PlanResult {
  const t = item.target;
  let next: UserRow;
  let changes: Difference[];
  if (item.category === 'new') {
    const checked = checkProfile(profileOf(t, ctx.mapping, { isNew: true }), ctx.defs, { isNew: true });
    if (!checked.ok) return { ok: false, code: 'invalid_value', message: `${checked.field}: ${checked.reason}` };
    next = withProfile(newRow(item.directoryUserId!, t.email ?? '', now), checked.value);
    next.displayName ||= defaultDisplayName(next.givenName, next.familyName, next.email);
    next.status = t.suspended ? 'inactive' : 'active';
    changes = [];
  } else {
    if (!current) return { ok: false, code: 'user_deleted', message: 'The directory user was deleted after the session was read.' };
    changes = item.sourceProfile === 'directory' || !t.active ? [] : differencesOf(current, t, ctx.mapping);
    const checked = checkProfile(profileOfDifferences(changes), ctx.defs, { isNew: false });
    if (!checked.ok) return { ok: false, code: 'invalid_value', message: `${checked.field}: ${checked.reason}` };
    next = withProfile(current, checked.value);
    if (item.category === 'activate') next.status = 'active';
    if (item.category === 'deactivate') next.status = 'inactive';
    if (next.status !== current.status) changes.push({ field: 'status', directory: current.status, target: next.status });
  }
  if (!t.active) return { ok: true, plan: { item, current, next, changes, assignRole: null, link: false, patch: {} } };

  const existingRole = current ? ctx.effectiveRole(current.id) : undefined;
  const keepDirectory = item.sourceProfile === 'directory' && existingRole !== undefined;
  const assignRole = keepDirectory ? null : t.roleKey;
  const rendered = renderDesired(next, keepDirectory ? existingRole : t.roleKey, ctx.render);
  const patch = 'desired' in rendered ? targetPatch(rendered.desired, t, item.sourceProfile === 'directory') : {};
  return { ok: true, plan: { item, current, next, changes, assignRole, link: 'desired' in rendered, patch, ...('desired' in rendered && !keepDirectory ? { desired: rendered.desired } : {}) } };
}

/** The target keeps its values (source `target`) except the external id; or takes the directory's (source `directory`). */
function targetPatch(desired: DesiredUser, t: TargetUser, fromDirectory: boolean): Partial<TargetUserInput> {
  if (fromDirectory) {
    const { patch } = driftFromTarget(desired, t, { unreported: 'send' });
    if (t.suspended !== desired.suspended) patch.suspended = desired.suspended;
    return patch;
  }
  return t.externalId === desired.externalId ? {} : { externalId: desired.externalId };
}

function newRow(id: string, email: string, now: Date): UserRow {
  return {
    id, email, givenName: null, familyName: null, displayName: '', phone: null, mobile: null, jobTitle: null, department: null, employeeId: null,
    managerId: null, locale: null, timeZone: null, organization: null, location: null, custom: {}, status: 'active', deletedAt: null, version: 1, createdAt: now, updatedAt: now,
  };
}
