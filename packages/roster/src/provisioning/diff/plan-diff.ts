/** Field-by-field comparison of a desired user with what was written, or with the target itself. */
import type { TargetField, TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import type { DesiredUser, PropertyChange, WrittenState } from './plan-types.ts';

export interface Diff {
  patch: Partial<TargetUserInput>;
  changes: PropertyChange[];
}

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

/** Fields whose stored value ignores case: addresses, language tags, organization names (some targets keep them unique without case). */
const CASE_INSENSITIVE = new Set(['email', 'locale', 'organization']);
const phoneDigits = (s: string): string => s.replace(/[^\d+]/g, '');
const scalarText = (v: unknown): string | null => (typeof v === 'string' ? v.normalize('NFC').trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/**
 * Equal as the target stores them, for reading drift off a target snapshot: looser than `sameValue`,
 * because targets normalise what they keep (trimmed text, case, phone punctuation, a date as a
 * timestamp, tags as a set), and a normalisation must never read as a hand edit to repair each cycle.
 * A time zone named in another form (a target may answer "Copenhagen" for "Europe/Copenhagen") cannot be
 * compared without the target's table, so two forms count as equal.
 */
export function sameInTarget(desired: unknown, current: unknown, property: string, type?: TargetField['type']): boolean {
  if (sameValue(desired, current, property)) return true;
  if (Array.isArray(desired) && Array.isArray(current)) {
    const set = (l: unknown[]) => [...new Set(l.map((v) => String(v).trim().toLowerCase()))].sort().join('\n');
    return set(desired) === set(current);
  }
  const d = scalarText(desired);
  const c = scalarText(current);
  if (d === null || c === null) return false;
  if (d === c) return true;
  if (CASE_INSENSITIVE.has(property)) return d.toLowerCase() === c.toLowerCase();
  if (property === 'phone') return phoneDigits(d) === phoneDigits(c);
  if (property === 'time_zone') return d.includes('/') !== c.includes('/');
  if (type === 'date') return d.slice(0, 10) === c.slice(0, 10);
  return false;
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

export interface DriftOptions {
  /**
   * A mapped field the target did not report: `send` writes it (an account just matched, whose
   * fields are unknown), `skip` leaves it (a linked account: nothing shows it was changed).
   */
  unreported: 'send' | 'skip';
  /** The target's field types, for comparing values the target normalises (dates). */
  types?: ReadonlyMap<string, TargetField['type']> | undefined;
}

/**
 * Differences between the desired user and the account as the target holds it: every mapped field
 * applied always (name and email included), the role and the external id. An empty desired value
 * leaves the target's own value (often its default, e.g. an account's time zone) alone.
 */
export function driftFromTarget(d: DesiredUser, t: TargetUser, opts: DriftOptions): Diff {
  const patch: Partial<TargetUserInput> = {};
  const changes: PropertyChange[] = [];
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d.attributes)) {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const current = targetValue(t, key);
    if (current === undefined && opts.unreported === 'skip') continue;
    if (sameInTarget(value, current, key, opts.types?.get(key))) continue;
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
