/**
 * The canonical form of written attributes: object keys sorted, strings in Unicode NFC, `undefined`
 * dropped, `-0` as 0. Two values that the target stores identically get the same canonical JSON, so
 * the hash and the diff never report a change that is only a difference of spelling.
 */
export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

export function canonicalValue(value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, Canonical> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalValue(v);
    }
    return out;
  }
  return String(value);
}

export const canonicalJson = (value: unknown): string => JSON.stringify(canonicalValue(value));
