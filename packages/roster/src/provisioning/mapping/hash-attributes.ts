/** The stable hash stored in `links.last_hash`: what Roster last wrote to the target for one object. */
import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-value.ts';

// crypto.hash (Node ≥ 20.12) skips the Hash object and costs about half of createHash per call.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256 (hex) of the canonical JSON: independent of key order, Unicode spelling and `undefined` keys. */
export function hashAttributes(attributes: Readonly<Record<string, unknown>>): string {
  return sha256Hex(canonicalJson(attributes));
}
