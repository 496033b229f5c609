/**
 * Key-by-key comparison of a sandbox answer with a recorded Zendesk answer: the same keys at every
 * level, the same JSON type for each value (null counts as its own type, so nullability is
 * compared), arrays compared by their first element. Values themselves are not compared.
 */
export interface RecordedFixture {
  readonly case: string;
  readonly source: string;
  readonly status: number;
  /** Keys the recording has or lacks because Zendesk changed since it was made: key → why. Skipped anywhere. */
  readonly drift: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Keys whose members are account data (custom field keys), compared as "an object" only. */
const FREE_FORM = new Set(['user_fields']);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every difference as `path: what`; empty when the shapes agree. */
export function shapeDifferences(recorded: unknown, actual: unknown, drift: Readonly<Record<string, string>> = {}, path = '$'): string[] {
  const r = kind(recorded);
  const a = kind(actual);
  if (r !== a) return [`${path}: recorded ${r}, sandbox ${a}`];
  if (r === 'array') {
    const rs = recorded as unknown[];
    const as = actual as unknown[];
    if (rs.length === 0) return [];
    if (as.length === 0) return [`${path}: recorded a non-empty array, sandbox an empty one`];
    return shapeDifferences(rs[0], as[0], drift, `${path}[0]`);
  }
  if (r !== 'object') return [];
  const ro = recorded as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  const out: string[] = [];
  for (const k of Object.keys(ro)) {
    if (k in drift) continue;
    if (!(k in ao)) out.push(`${path}.${k}: missing in the sandbox's answer`);
    else if (FREE_FORM.has(k)) {
      if (kind(ao[k]) !== kind(ro[k])) out.push(`${path}.${k}: recorded ${kind(ro[k])}, sandbox ${kind(ao[k])}`);
    } else out.push(...shapeDifferences(ro[k], ao[k], drift, `${path}.${k}`));
  }
  for (const k of Object.keys(ao)) if (!(k in ro) && !(k in drift)) out.push(`${path}.${k}: not in the recording`);
  return out;
}
