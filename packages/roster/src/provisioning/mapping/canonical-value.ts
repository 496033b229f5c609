/**
 * The canonical JSON of written attributes: object keys sorted, strings in Unicode NFC, `undefined`
 * dropped, `-0` as 0, non-finite numbers as null. Two values that the target stores identically get
 * the same text, so the hash and the diff never report a change that is only a difference of spelling.
 * Written by hand rather than by normalising then `JSON.stringify`: it runs for every user of a cycle.
 */
// Printable ASCII without quote or backslash is already NFC and needs no escaping: the common case.
const NEEDS_CARE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return NEEDS_CARE.test(value) ? JSON.stringify(value.normalize('NFC')) : `"${value}"`;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const record = value as Record<string, unknown>;
      let out = '';
      for (const key of sortedKeys(record)) {
        const v = record[key];
        if (v === undefined) continue;
        out += `${out === '' ? '' : ','}${canonicalJson(key)}:${canonicalJson(v)}`;
      }
      return `{${out}}`;
    }
    default:
      return JSON.stringify(String(value));
  }
}

/** Keys in code-unit order; rendered users already come sorted, so the sort is usually skipped. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}
