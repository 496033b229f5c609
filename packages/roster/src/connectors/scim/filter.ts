/**
 * Filters for finding accounts (RFC 7644 §3.4.2.2): `userName eq "…"`, `externalId eq "…"`,
 * `emails[value eq "…"]`, `id eq "…"`, or-joined for many values and cut into requests that stay
 * under the app's maxResults and a URL length proxies accept. Values are JSON strings (quotes and
 * backslashes escaped). The contract matches exactly but case-insensitively, while apps compare
 * externalId (caseExact) and, often, everything else case-sensitively: each value is asked as
 * given and lower-cased, and the answers are matched again here.
 */
import { err, ok } from '../../errors/result.ts';
import type { ConnectorResult } from '../contract.ts';
import { scimError } from './errors.ts';

/** The SCIM attribute behind a matchable field key. */
const MATCH_PATHS: Record<string, string> = {
  external_id: 'externalId',
  externalId: 'externalId',
  email: 'emails',
  emails: 'emails',
  userName: 'userName',
  id: 'id',
};

/** Longest filter sent in one URL (the whole URL stays well under the 8 KB many proxies allow). */
export const MAX_FILTER_LENGTH = 3000;

/** How a search by email is written (see config.ts `emailFilter`). */
export type EmailFilter = 'emails[value]' | 'emails.value' | 'userName';

export function matchPath(field: string, emailFilter: EmailFilter = 'emails[value]'): ConnectorResult<string> {
  const mapped = MATCH_PATHS[field];
  const path = mapped === 'emails' && emailFilter !== 'emails[value]' ? emailFilter : mapped;
  if (path) return ok(path);
  return err(scimError('unsupported_match_field', 'configuration', `SCIM accounts cannot be matched by ${field}`, 'Match by userName, external_id or email.'));
}

export const quote = (value: string): string => JSON.stringify(value);

export function clause(path: string, value: string): string {
  return path === 'emails' ? `emails[value eq ${quote(value)}]` : `${path} eq ${quote(value)}`;
}

/** The value as given and lower-cased (ids are opaque: asked as given only). */
export function variants(path: string, value: string): string[] {
  return path === 'id' ? [value] : [...new Set([value, value.toLowerCase()])];
}

/**
 * Or-joined filters for many values, each with at most `maxValues` values and `maxLength`
 * characters; a value's variants stay in one filter. Empty and repeated values are dropped.
 */
export function filtersFor(path: string, values: readonly string[], maxValues: number, maxLength = MAX_FILTER_LENGTH): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let current: string[] = [];
  let count = 0;
  for (const v of values) {
    const key = path === 'id' ? v : v.toLowerCase();
    if (v === '' || seen.has(key)) continue;
    seen.add(key);
    const part = variants(path, v).map((x) => clause(path, x)).join(' or ');
    if (current.length > 0 && (count >= maxValues || [...current, part].join(' or ').length > maxLength)) {
      out.push(current.join(' or '));
      current = [];
      count = 0;
    }
    current.push(part);
    count += 1;
  }
  if (current.length > 0) out.push(current.join(' or '));
  return out;
}

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** Whether a SCIM resource holds the value at the path (exact, case-insensitive; ids exact). */
export function holds(resource: Record<string, unknown>, path: string, value: string): boolean {
  if (path === 'id') return resource['id'] === value;
  if (path === 'emails' || path === 'emails.value') return Array.isArray(resource['emails']) && (resource['emails'] as { value?: unknown }[]).some((e) => same(e.value, value));
  return same(resource[path], value);
}
