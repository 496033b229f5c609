/**
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1), and so are the URNs that name schemas
 * (RFC 8141 §3.1 for the `urn` and its namespace; SCIM servers treat the whole URN so): an app may
 * answer `UserName`, `RESOURCES` or `totalresults`. Every answer Roster reads is put into the RFC's
 * spelling here, once, so the schemas that parse it (zod, case-sensitive) and the code that reads it
 * name each attribute one way. A key Roster does not know is left as the app wrote it; a canonical
 * key already present wins over another spelling of it in the same object.
 */

/** Every attribute, sub-attribute and message field Roster reads (RFC 7643 §3–§8, RFC 7644 §3). */
const NAMES = [
  // common, meta, messages
  'schemas', 'id', 'externalId', 'meta', 'resourceType', 'created', 'lastModified', 'location', 'version',
  'Resources', 'totalResults', 'itemsPerPage', 'startIndex', 'Operations', 'method', 'bulkId', 'path', 'data', 'status', 'response',
  'detail', 'scimType', 'code', 'op', 'value',
  // User, Group, enterprise extension
  'userName', 'name', 'formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix', 'displayName', 'nickName',
  'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'emails', 'phoneNumbers', 'ims', 'photos',
  'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates', 'display', 'type', 'primary', '$ref', 'members',
  'employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager',
  // ServiceProviderConfig, ResourceType, Schema
  'documentationUri', 'patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'supported', 'maxOperations', 'maxPayloadSize', 'maxResults',
  'authenticationSchemes', 'specUri', 'description', 'endpoint', 'schema', 'schemaExtensions', 'required', 'attributes', 'subAttributes',
  'multiValued', 'mutability', 'canonicalValues', 'caseExact', 'returned', 'uniqueness', 'referenceTypes',
] as const;
// The URNs Roster compares (discovery.ts and the message schemas), written out: discovery.ts imports this file.
const URNS = [
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:core:2.0:Group',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:ietf:params:scim:api:messages:2.0:ListResponse', 'urn:ietf:params:scim:api:messages:2.0:Error', 'urn:ietf:params:scim:api:messages:2.0:BulkResponse', 'urn:ietf:params:scim:api:messages:2.0:PatchOp'];

const byLower = new Map<string, string>([...NAMES, ...URNS].map((n) => [n.toLowerCase(), n]));

/** The RFC's spelling of a known attribute name or schema URN; anything else as given. */
export const canonicalName = (key: string): string => byLower.get(key.toLowerCase()) ?? key;

/** Whether two schema URNs (or attribute names) are the same, ignoring case. */
export const sameName = (a: string | null | undefined, b: string | null | undefined): boolean => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** A value with known keys (at any depth) and the URNs listed in `schemas` in the RFC's spelling. */
export function canonicalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  // Already canonical (every SCIMMY answer, most apps): the same object back, nothing copied.
  if (entries.every(([k, v]) => canonicalName(k) === k && (typeof v !== 'object' || v === null)) && !entries.some(([k]) => k === 'schemas')) return value;
  const out: Record<string, unknown> = {};
  const fix = (k: string, v: unknown) => (k === 'schemas' && Array.isArray(v) ? v.map((s) => (typeof s === 'string' ? canonicalName(s) : s)) : canonicalKeys(v));
  for (const [k, v] of entries) if (canonicalName(k) === k) out[k] = fix(k, v);
  for (const [k, v] of entries) {
    const c = canonicalName(k);
    if (c !== k && !(c in out)) out[c] = fix(c, v);
  }
  return out;
}
