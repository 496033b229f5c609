/**
 * The user form edits strings; the API wants only the fields that changed, with `null` for a
 * cleared optional field, and custom values typed by their attribute. This computes that body,
 * and, after a stale edit (409 version_conflict), which of my changes collide with the new version.
 */
import type { User } from '../api/types.ts';

/** Built-in fields the form edits, in form order. */
export const userFormFields = ['email', 'givenName', 'familyName', 'displayName', 'jobTitle', 'department', 'employeeId', 'phone', 'mobile', 'organization', 'location', 'locale', 'timeZone'] as const;
export type UserFormField = (typeof userFormFields)[number];

export const userFieldLabels: Record<UserFormField, string> = {
  email: 'Email',
  givenName: 'Given name',
  familyName: 'Family name',
  displayName: 'Display name',
  jobTitle: 'Job title',
  department: 'Department',
  employeeId: 'Employee ID',
  phone: 'Phone',
  mobile: 'Mobile',
  organization: 'Organization',
  location: 'Location',
  locale: 'Locale',
  timeZone: 'Time zone',
};

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'enum';

export interface UserFormValues {
  fields: Record<UserFormField, string>;
  /** Custom attribute values as the inputs hold them ('' = empty; booleans as 'true'/'false'). */
  custom: Record<string, string>;
}

const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function toFormValues(user: Pick<User, UserFormField | 'custom'> | null, customKeys: readonly string[]): UserFormValues {
  const fields = Object.fromEntries(userFormFields.map((f) => [f, asText(user?.[f])])) as Record<UserFormField, string>;
  const custom = Object.fromEntries(customKeys.map((k) => [k, asText(user?.custom[k])]));
  return { fields, custom };
}

/** The typed value of a custom attribute input, or null when empty. Unparseable numbers stay text (the API names the field). */
export function customValue(type: AttributeType, raw: string): unknown {
  const v = raw.trim();
  if (v === '') return null;
  if (type === 'number') return Number.isFinite(Number(v)) ? Number(v) : v;
  if (type === 'boolean') return v === 'true';
  return v;
}

/** PATCH body (without version) with only what changed between `before` and `after`; empty when nothing did. */
export function changedFields(before: UserFormValues, after: UserFormValues, types: Record<string, AttributeType>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of userFormFields) {
    const a = after.fields[f].trim();
    if (a === before.fields[f].trim()) continue;
    // email and displayName cannot be emptied; the API says so on the field.
    body[f] = a === '' && f !== 'email' && f !== 'displayName' ? null : a;
  }
  const custom: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(after.custom)) {
    if (raw.trim() === (before.custom[k] ?? '').trim()) continue;
    custom[k] = customValue(types[k] ?? 'string', raw);
  }
  if (Object.keys(custom).length > 0) body['custom'] = custom;
  return body;
}

/** Create body: every filled field (empty ones left out). */
export function createBody(values: UserFormValues, types: Record<string, AttributeType>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of userFormFields) if (values.fields[f].trim()) body[f] = values.fields[f].trim();
  const custom: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(values.custom)) if (raw.trim()) custom[k] = customValue(types[k] ?? 'string', raw);
  if (Object.keys(custom).length > 0) body['custom'] = custom;
  return body;
}

export interface Collision {
  field: string;
  label: string;
  /** What the form was opened with. */
  base: string;
  /** What someone else saved meanwhile. */
  theirs: string;
  /** What I typed. */
  mine: string;
}

/**
 * After a version conflict: the fields that both I and someone else changed since `base`,
 * each with the three values, so the admin can choose. Fields only one side changed are not listed.
 */
export function collisions(base: UserFormValues, mine: UserFormValues, theirs: UserFormValues, customLabels: Record<string, string> = {}): Collision[] {
  const out: Collision[] = [];
  const consider = (field: string, label: string, b: string, m: string, t: string) => {
    if (m.trim() !== b.trim() && t.trim() !== b.trim() && m.trim() !== t.trim()) out.push({ field, label, base: b, theirs: t, mine: m });
  };
  for (const f of userFormFields) consider(f, userFieldLabels[f], base.fields[f], mine.fields[f], theirs.fields[f]);
  for (const k of Object.keys(mine.custom)) consider(`custom.${k}`, customLabels[k] ?? k, base.custom[k] ?? '', mine.custom[k] ?? '', theirs.custom[k] ?? '');
  return out;
}

/** API field errors (`email`, `custom.seats`) keyed by the form's paths (`fields.email`, `custom.seats`). */
export function toFormErrors(apiErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(apiErrors)) out[(userFormFields as readonly string[]).includes(k) ? `fields.${k}` : k] = v;
  return out;
}

/** My edits re-applied over someone else's newer version: fields I changed keep mine, the rest take theirs. */
export function rebase(base: UserFormValues, mine: UserFormValues, theirs: UserFormValues): UserFormValues {
  const fields = { ...theirs.fields };
  for (const f of userFormFields) if (mine.fields[f].trim() !== base.fields[f].trim()) fields[f] = mine.fields[f];
  const custom = { ...theirs.custom };
  for (const [k, v] of Object.entries(mine.custom)) if (v.trim() !== (base.custom[k] ?? '').trim()) custom[k] = v;
  return { fields, custom };
}
