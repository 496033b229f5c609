/**
 * The User attributes a mapping can write, and the roles an assignment can hold. Keys are SCIM
 * attribute paths (RFC 7644 §3.10: `name.givenName`, `urn:…:enterprise:2.0:User:department`),
 * except four that every connector shares: `name` (displayName), `email` (the primary work email),
 * `phone` (the primary work phone) and `external_id` (externalId).
 */
import type { TargetField, TargetRole } from '../contract.ts';
import { CORE_USER, ENTERPRISE_USER, type AttributeDef, type ScimDiscovery } from './discovery.ts';

export const ROLE_USER = 'user';
export const ROLE_PREFIX = 'role:';
/** The enterprise manager: written by the manager's externalId, resolved to their SCIM id. */
export const MANAGER_KEY = `${ENTERPRISE_USER}:manager`;

export const BUILT_IN_ROLES: TargetRole[] = [
  { key: ROLE_USER, label: 'User', kind: 'end-user', description: 'An account without a SCIM roles value (the app decides its rights).', typeCode: null },
];

const ent = (attr: string, label: string): TargetField => ({ key: `${ENTERPRISE_USER}:${attr}`, label: `${label} (enterprise)`, type: 'string', custom: false });

export const BUILT_IN_FIELDS: TargetField[] = [
  { key: 'userName', label: 'User name (userName)', type: 'string', custom: false, matchable: true },
  { key: 'name', label: 'Display name (displayName)', type: 'string', custom: false, required: true },
  { key: 'name.givenName', label: 'Given name', type: 'string', custom: false },
  { key: 'name.familyName', label: 'Family name', type: 'string', custom: false },
  { key: 'name.formatted', label: 'Full name (name.formatted)', type: 'string', custom: false },
  { key: 'email', label: 'Primary work email (emails)', type: 'string', custom: false, matchable: true },
  { key: 'external_id', label: 'External ID (externalId)', type: 'string', custom: false, matchable: true },
  { key: 'phone', label: 'Primary work phone (phoneNumbers)', type: 'string', custom: false },
  { key: 'title', label: 'Job title', type: 'string', custom: false },
  { key: 'nickName', label: 'Nickname', type: 'string', custom: false },
  { key: 'userType', label: 'User type', type: 'string', custom: false },
  { key: 'preferredLanguage', label: 'Preferred language', type: 'string', custom: false },
  { key: 'locale', label: 'Locale', type: 'string', custom: false },
  { key: 'timezone', label: 'Time zone', type: 'string', custom: false },
  ent('employeeNumber', 'Employee number'),
  ent('costCenter', 'Cost center'),
  ent('organization', 'Organization'),
  ent('division', 'Division'),
  ent('department', 'Department'),
  { key: MANAGER_KEY, label: "Manager (enterprise; the manager's external ID)", type: 'string', custom: false },
];

const BUILT_IN_KEYS = new Set(BUILT_IN_FIELDS.map((f) => f.key));

const FIELD_TYPES: Record<string, TargetField['type']> = { string: 'string', boolean: 'boolean', integer: 'number', decimal: 'number', dateTime: 'date', reference: 'string', binary: 'string' };

/** The writable, non-complex attributes of one extension schema as fields (complex ones by sub-attribute). */
export function extensionFields(schemaId: string, attributes: readonly AttributeDef[]): TargetField[] {
  const writable = (a: AttributeDef) => a.mutability === 'readWrite' || a.mutability === 'writeOnly' || a.mutability === 'immutable';
  const out: TargetField[] = [];
  const label = schemaId.split(':').at(-2) ?? schemaId;
  const field = (a: AttributeDef, path: string): TargetField | null => {
    const base = FIELD_TYPES[a.type];
    if (!base) return null;
    const f: TargetField = { key: `${schemaId}:${path}`, label: `${path} (${label})`, type: a.multiValued ? 'string[]' : base, custom: true };
    if (a.canonicalValues.length > 0 && !a.multiValued) {
      f.type = 'enum';
      f.enumValues = a.canonicalValues;
    }
    if (a.mutability === 'immutable') f.createOnly = true;
    if (a.required) f.required = true;
    return f;
  };
  for (const a of attributes) {
    if (!writable(a)) continue;
    if (a.type === 'complex') {
      if (a.multiValued) continue;
      for (const sub of a.subAttributes) {
        const f = writable(sub) ? field(sub, `${a.name}.${sub.name}`) : null;
        if (f) out.push(f);
      }
      continue;
    }
    const f = field(a, a.name);
    if (f) out.push(f);
  }
  return out;
}

/** Built-in fields plus every extension attribute the app declared (enterprise ones not repeated). */
export function fieldsOf(discovery: ScimDiscovery): TargetField[] {
  const extra: TargetField[] = [];
  for (const id of discovery.userExtensions) {
    const attrs = discovery.schemas.get(id);
    if (!attrs) continue;
    for (const f of extensionFields(id, attrs)) if (!BUILT_IN_KEYS.has(f.key) && !(id === ENTERPRISE_USER && f.key.startsWith(`${MANAGER_KEY}.`))) extra.push(f);
  }
  return [...BUILT_IN_FIELDS, ...extra];
}

/** `user`, then a `role:<value>` per configured value and per canonical value of the app's `roles.value`. */
export function rolesOf(configured: readonly string[], discovery: ScimDiscovery | null): TargetRole[] {
  const rolesAttr = discovery?.schemas.get(CORE_USER)?.find((a) => a.name === 'roles');
  const canonical = rolesAttr?.subAttributes.find((s) => s.name === 'value')?.canonicalValues ?? [];
  const values = [...new Set([...configured, ...canonical])];
  return [...BUILT_IN_ROLES, ...values.map((v): TargetRole => ({ key: `${ROLE_PREFIX}${v}`, label: v, kind: 'custom', description: `SCIM roles value "${v}"`, typeCode: null }))];
}
