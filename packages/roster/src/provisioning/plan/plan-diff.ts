/** Field-by-field comparison of a desired user with what was written, or with the target itself. */
import type { TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import type { DesiredUser, PropertyChange, WrittenState } from './plan-types.ts';

export interface Diff {
  patch: Partial<TargetUserInput>;
  changes: PropertyChange[];
}

/** Fields the target keeps at the top level of `TargetUser`; the rest live in `attributes`. */
const TOP_LEVEL = new Set(['name', 'email']);
/** Managed fields repaired when someone edits them directly in the target (cycles only). */
const DRIFT_FIELDS = ['name', 'email'];

/** Equal as the target sees them: '' and null are one value, emails ignore case, lists compare in order. */
export function sameValue(a: unknown, b: unknown, property = ''): boolean {
  const na = a === '' || a === undefined ? null : a;
  const nb = b === '' || b === undefined ? null : b;
  if (Array.isArray(na) || Array.isArray(nb)) {
    if (!Array.isArray(na) || !Array.isArray(nb)) return (Array.isArray(na) && na.length === 0 && nb === null) || (Array.isArray(nb) && nb.length === 0 && na === null);
    return na.length === nb.length && na.every((v, i) => v === nb[i]);
  }
  if (property === 'email' && typeof na === 'string' && typeof nb === 'string') return na.toLowerCase() === nb.toLowerCase();
  return na === nb;
}

/** Changes from what the link says was written (`null`: nothing known, so everything is sent). */
export function diffDesired(d: DesiredUser, written: WrittenState | null): Diff {
  const patch: Partial<TargetUserInput> = {};
  const changes: PropertyChange[] = [];
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d.attributes)) {
    const old = written ? written.attributes[key] : undefined;
    if (written && sameValue(old, value, key)) continue;
    attributes[key] = value;
    changes.push({ property: key, old: old ?? null, new: value });
  }
  if (Object.keys(attributes).length) patch.attributes = attributes;
  if (!written || written.roleKey !== d.roleKey) {
    patch.roleKey = d.roleKey;
    changes.push({ property: 'role', old: written?.roleKey ?? null, new: d.roleKey });
  }
  if (!written || written.externalId !== d.externalId) {
    patch.externalId = d.externalId;
    changes.push({ property: 'external_id', old: written?.externalId ?? null, new: d.externalId });
  }
  return { patch, changes };
}

const targetValue = (t: TargetUser, key: string): unknown => (key === 'name' ? t.name : key === 'email' ? t.email : t.attributes[key]);

/**
 * Differences between the desired user and the account as the target holds it. With
 * `attributes: false` only the managed fields (name, email, role, external id) are compared: the
 * others are compared with what was written, since targets normalise some values.
 */
export function driftFromTarget(d: DesiredUser, t: TargetUser, opts: { attributes: boolean }): Diff {
  const patch: Partial<TargetUserInput> = {};
  const changes: PropertyChange[] = [];
  const attributes: Record<string, unknown> = {};
  const keys = opts.attributes ? Object.keys(d.attributes) : DRIFT_FIELDS.filter((k) => k in d.attributes);
  for (const key of keys) {
    const value = d.attributes[key];
    // An empty desired value leaves the target's own value (often its default, e.g. Zendesk's time zone) alone.
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const current = targetValue(t, key);
    if (!TOP_LEVEL.has(key) && current === undefined && !opts.attributes) continue;
    if (sameValue(current, value, key)) continue;
    attributes[key] = value;
    changes.push({ property: key, old: current ?? null, new: value });
  }
  if (Object.keys(attributes).length) patch.attributes = attributes;
  if (t.roleKey !== d.roleKey) {
    patch.roleKey = d.roleKey;
    changes.push({ property: 'role', old: t.roleKey, new: d.roleKey });
  }
  if (t.externalId !== d.externalId) {
    patch.externalId = d.externalId;
    changes.push({ property: 'external_id', old: t.externalId, new: d.externalId });
  }
  return { patch, changes };
}
