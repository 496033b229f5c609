/**
 * A target account as a directory profile (pure): the values the import would write, the
 * field-by-field difference with a directory user, and the directory row after the import.
 */
import type { TargetUser } from '../../connectors/contract.ts';
import { type AttributeDefinition, mergeCustomValues } from '../../directory/attributes/custom-values.ts';
import { type UserRow, emailSchema, updateUserSchema } from '../../directory/users/user-fields.ts';
import { type ImportMapping, directoryValue, isCustom, targetValue } from './import-mapping.ts';
import { splitName } from './split-name.ts';

type Scalar = string | number | boolean | null;
/** Directory attribute → value from the target (`custom.<key>` for custom attributes). */
export type Profile = Record<string, Scalar>;

export interface Difference {
  field: string;
  directory: unknown;
  target: unknown;
}

/**
 * The profile of a target user. New users also get the `on_create` fields and the name parts split
 * from the target's one name (unless a mapping fills them); a display name falls back to the name.
 */
export function profileOf(t: TargetUser, mapping: ImportMapping, opts: { isNew: boolean }): Profile {
  const profile: Profile = {};
  for (const f of mapping.fields) {
    if (f.onCreate && !opts.isNew) continue;
    const v = directoryValue(targetValue(t, f.target), f.attribute);
    // A later mapping of the same attribute does not blank an earlier one's value.
    if (v !== undefined && !(v === null && profile[f.attribute] != null)) profile[f.attribute] = v;
  }
  if (opts.isNew) {
    const parts = splitName(t.name);
    profile['givenName'] ??= parts.givenName;
    profile['familyName'] ??= parts.familyName;
    profile['displayName'] ??= t.name.trim() === '' ? null : t.name.trim();
    profile['email'] ??= t.email;
  }
  return profile;
}

const same = (a: unknown, b: unknown, field: string): boolean => {
  const na = a === '' || a === undefined ? null : a;
  const nb = b === '' || b === undefined ? null : b;
  if (field === 'email' && typeof na === 'string' && typeof nb === 'string') return na.toLowerCase() === nb.toLowerCase();
  return na === nb;
};

const currentValue = (row: UserRow, field: string): unknown => (isCustom(field) ? row.custom[field.slice('custom.'.length)] ?? null : (row as unknown as Record<string, unknown>)[field]);

/**
 * The fields a target user would change on a directory user. A changed display name also brings
 * the name parts split from it, unless a mapping fills them.
 */
export function differencesOf(row: UserRow, t: TargetUser, mapping: ImportMapping): Difference[] {
  const profile = profileOf(t, mapping, { isNew: false });
  if ('displayName' in profile && profile['displayName'] === null) delete profile['displayName']; // the directory requires one
  if ('email' in profile && profile['email'] === null) delete profile['email'];
  if (profile['displayName'] !== undefined && !same(row.displayName, profile['displayName'], 'displayName')) {
    const parts = splitName(t.name);
    if (!('givenName' in profile)) profile['givenName'] = parts.givenName;
    if (!('familyName' in profile)) profile['familyName'] = parts.familyName;
  }
  const out: Difference[] = [];
  for (const [field, value] of Object.entries(profile)) {
    const current = currentValue(row, field);
    if (!same(current, value, field)) out.push({ field, directory: current ?? null, target: value });
  }
  return out;
}

/**
 * Checks the values against the directory's rules; the first problem names the field. A new user
 * must also carry every required custom attribute.
 */
export function checkProfile(profile: Profile, defs: ReadonlyMap<string, AttributeDefinition>, opts: { isNew: boolean }): { ok: true; value: Profile } | { ok: false; field: string; reason: string } {
  const out: Profile = {};
  const custom: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(profile)) {
    if (isCustom(field)) {
      custom[field.slice('custom.'.length)] = value;
      continue;
    }
    const schema = field === 'email' ? emailSchema : updateUserSchema.shape[field as keyof typeof updateUserSchema.shape];
    if (!schema) return { ok: false, field, reason: 'is not a directory attribute' };
    const r = schema.safeParse(value);
    if (!r.success) return { ok: false, field, reason: `The target's value ${JSON.stringify(value)} ${r.error.issues[0]?.message ?? 'is not valid'}` };
    out[field] = (r.data ?? null) as Scalar;
  }
  if (Object.keys(custom).length > 0 || opts.isNew) {
    const merged = mergeCustomValues(defs, {}, custom, { prefix: 'custom', fromText: false });
    if (!merged.ok) {
      const first = merged.issues.find((i) => opts.isNew || Object.hasOwn(custom, i.path.slice('custom.'.length)));
      if (first) {
        const key = first.path.slice('custom.'.length);
        return { ok: false, field: first.path, reason: Object.hasOwn(custom, key) ? `The target's value ${JSON.stringify(custom[key])} ${first.reason}` : `${first.reason}, and no target field is mapped to it` };
      }
    }
    for (const k of Object.keys(custom)) out[`custom.${k}`] = merged.ok ? ((merged.value[k] ?? null) as Scalar) : (custom[k] as Scalar);
  }
  return { ok: true, value: out };
}

/** The row with the profile's values written over it (custom values merged key by key). */
export function withProfile(row: UserRow, profile: Profile): UserRow {
  const next: UserRow = { ...row, custom: { ...row.custom } };
  const target = next as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(profile)) {
    if (isCustom(field)) {
      const key = field.slice('custom.'.length);
      if (value === null) delete next.custom[key];
      else next.custom[key] = value;
    } else {
      target[field] = value;
    }
  }
  return next;
}

/** The profile of the given differences (the target's side of each). */
export const profileOfDifferences = (differences: readonly Difference[]): Profile => Object.fromEntries(differences.map((d) => [d.field, d.target as Scalar]));
