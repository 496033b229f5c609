/** The stable hash stored in `links.last_hash`: what Roster last wrote to the target for one object. */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-value.ts';

/** sha256 (hex) of the canonical JSON: independent of key order, Unicode spelling and `undefined` keys. */
export function hashAttributes(attributes: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalJson(attributes)).digest('hex');
}
