/**
 * Classifying one target account against the directory (pure): New, Update, Activate, Deactivate,
 * Unchanged, or a Conflict with its reason. Conflicts are never merged silently; the admin fixes
 * the data and starts a new session. "Two target accounts match one directory user" needs the whole
 * read, so it is found after it (read-session.ts).
 */
import type { TargetUser } from '../../connectors/contract.ts';
import type { AttributeDefinition } from '../../directory/attributes/custom-values.ts';
import type { UserRow } from '../../directory/users/user-fields.ts';
import { type ImportMapping, directoryValue, targetValue } from './import-mapping.ts';
import { type Difference, checkProfile, differencesOf, profileOf, profileOfDifferences } from './target-profile.ts';

export const importCategories = ['new', 'update', 'activate', 'deactivate', 'conflict', 'unchanged'] as const;
export type ImportCategory = (typeof importCategories)[number];
/** The categories an admin can confirm. */
export const confirmableCategories = ['new', 'update', 'activate', 'deactivate'] as const;
export type ConfirmableCategory = (typeof confirmableCategories)[number];

export type ConflictCode = 'no_email' | 'several_target_users' | 'email_owned_by_other_user' | 'ambiguous_match' | 'invalid_value';

export interface ItemDraft {
  targetId: string;
  category: ImportCategory;
  directoryUserId: string | null;
  identity: string;
  target: TargetUser;
  differences: Difference[];
  reasonCode: ConflictCode | null;
  reason: string | null;
}

/** What classification needs to know of the directory around one page of target users. */
export interface DirectoryView {
  /** The directory user already linked to this target account (a previous import or provisioning). */
  linkedTo(targetId: string): UserRow | undefined;
  /** Live directory users whose `attribute` equals `value` (emails compared ignoring case). */
  find(attribute: string, value: string): UserRow[];
}

export function classifyTarget(t: TargetUser, mapping: ImportMapping, view: DirectoryView, defs: ReadonlyMap<string, AttributeDefinition>): ItemDraft | null {
  const identity = t.email ?? (t.name.trim() || `target user ${t.id}`);
  const base = { targetId: t.id, identity, target: t, differences: [] as Difference[], reasonCode: null, reason: null };
  const conflict = (code: ConflictCode, reason: string, directoryUserId: string | null = null): ItemDraft => ({ ...base, category: 'conflict', directoryUserId, reasonCode: code, reason });
  if (!t.email) return conflict('no_email', 'The account in the target has no email address, and every directory user needs one: add one in the target, then start a new session.');

  let matched = view.linkedTo(t.id);
  let how = 'already linked';
  if (!matched) {
    for (const key of mapping.matchKeys) {
      const value = directoryValue(targetValue(t, key.target), key.attribute);
      if (value === null || value === undefined) continue;
      const hits = view.find(key.attribute, String(value));
      if (hits.length > 1) return conflict('ambiguous_match', `${key.target} = ${value} matches ${hits.length} directory users (${hits.map((h) => h.email).join(', ')}): make it unique, then start a new session.`);
      if (hits.length === 1) {
        matched = hits[0]!;
        how = `${key.target} = ${value}`;
        break;
      }
    }
  }
  const owner = view.find('email', t.email)[0];
  if (matched) {
    if (owner && owner.id !== matched.id) {
      return conflict('email_owned_by_other_user', `Matched directory user ${matched.email} (${how}), but the email ${t.email} belongs to another directory user (${owner.email}).`, matched.id);
    }
    const differences = differencesOf(matched, t, mapping);
    const checked = checkProfile(profileOfDifferences(differences), defs, { isNew: false });
    if (!checked.ok) return conflict('invalid_value', `${checked.field}: ${checked.reason}.`, matched.id);
    const targetOff = t.suspended || !t.active;
    const category: ImportCategory =
      matched.status === 'inactive' && !targetOff ? 'activate' : matched.status !== 'inactive' && targetOff ? 'deactivate' : differences.length === 0 && how === 'already linked' ? 'unchanged' : 'update';
    return { ...base, category, directoryUserId: matched.id, differences };
  }
  if (owner) {
    return conflict('email_owned_by_other_user', `The email ${t.email} belongs to directory user ${owner.email}, but the matching order (${mapping.matchKeys.map((k) => k.target).join(', ') || 'none'}) did not match them: it would be a second user with one email.`, owner.id);
  }
  if (!t.active) return null;
  const checked = checkProfile(profileOf(t, mapping, { isNew: true }), defs, { isNew: true });
  if (!checked.ok) return conflict('invalid_value', `${checked.field}: ${checked.reason}.`);
  const differences = Object.entries(checked.value)
    .filter(([, v]) => v !== null)
    .map(([field, v]) => ({ field, directory: null, target: v }));
  return { ...base, category: 'new', directoryUserId: null, differences };
}
