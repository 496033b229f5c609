/**
 * Validates a user's custom attribute values against the definitions. Pure, so the CSV import can
 * run it on every row without a query, and so it is tested without a database.
 */
import { NUL_REASON, hasNul } from '../text.ts';
import type { FieldIssue } from '../../errors/app-error.ts';
import type { AttributeType } from './attribute-schema.ts';

export interface AttributeDefinition {
  key: string;
  type: AttributeType | string;
  enumValues: string[] | null;
  required: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** Coerces one value to its attribute's type; `fromText` accepts CSV spellings ("yes", "42"). */
export function coerceCustomValue(def: AttributeDefinition, value: unknown, fromText: boolean): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null) return { ok: true, value: null };
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') return { ok: false, reason: 'must be a string' };
      if (value.length > 2000) return { ok: false, reason: 'must be at most 2000 characters' };
      if (hasNul(value)) return { ok: false, reason: NUL_REASON };
      return { ok: true, value };
    case 'number': {
      const n = fromText && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { ok: false, reason: 'must be a number' };
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (fromText && typeof value === 'string') {
        const v = value.trim().toLowerCase();
        if (['true', 'yes', '1'].includes(v)) return { ok: true, value: true };
        if (['false', 'no', '0'].includes(v)) return { ok: true, value: false };
      }
      return { ok: false, reason: 'must be true or false' };
    }
    case 'date':
      if (typeof value !== 'string' || !isRealDate(value)) return { ok: false, reason: 'must be a date as YYYY-MM-DD' };
      return { ok: true, value };
    case 'enum':
      if (typeof value !== 'string' || !(def.enumValues ?? []).includes(value)) {
        return { ok: false, reason: `must be one of: ${(def.enumValues ?? []).join(', ')}` };
      }
      return { ok: true, value };
    default:
      return { ok: false, reason: `has an unknown attribute type ${def.type}` };
  }
}

/**
 * Merges `patch` into `current` (a null value removes the key) and checks the result: unknown keys,
 * wrong types, and required attributes left without a value. Issue paths read `<prefix>.<key>`.
 */
export function mergeCustomValues(
  defs: ReadonlyMap<string, AttributeDefinition>,
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
  opts: { prefix: string; fromText?: boolean },
): { ok: true; value: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const next: Record<string, unknown> = { ...current };
  for (const [key, raw] of Object.entries(patch)) {
    const def = defs.get(key);
    if (!def) {
      issues.push({ path: `${opts.prefix}.${key}`, reason: 'is not a defined custom attribute' });
      continue;
    }
    const blank = raw === null || (opts.fromText === true && raw === '');
    const r = coerceCustomValue(def, blank ? null : raw, opts.fromText ?? false);
    if (!r.ok) issues.push({ path: `${opts.prefix}.${key}`, reason: r.reason });
    else if (r.value === null) delete next[key];
    else next[key] = r.value;
  }
  for (const def of defs.values()) {
    if (def.required && (next[def.key] === undefined || next[def.key] === null) && !issues.some((i) => i.path === `${opts.prefix}.${def.key}`)) {
      issues.push({ path: `${opts.prefix}.${def.key}`, reason: 'is required' });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: next };
}
