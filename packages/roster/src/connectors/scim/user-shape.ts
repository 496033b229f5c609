/**
 * The SCIM User (RFC 7643 §4.1, enterprise extension §4.3) to and from the connector's normalised
 * shapes: a full resource for POST and PUT, PatchOp operations for PATCH (RFC 7644 §3.5.2: one
 * `replace` per changed attribute, `remove` for an emptied one), and a local application of those
 * operations for apps without PATCH.
 */
import { z } from 'zod';
import type { TargetUser, TargetUserInput } from '../contract.ts';
import { sameName } from './canonical.ts';
import { MANAGER_KEY, ROLE_PREFIX, ROLE_USER } from './catalog.ts';
import { CORE_USER } from './discovery.ts';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const multi = z.array(z.looseObject({ value: z.unknown().optional(), type: z.string().nullable().optional(), primary: z.union([z.boolean(), z.string()]).optional() }));
export const scimUserSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  externalId: z.string().nullable().optional(),
  userName: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  name: z.looseObject({ formatted: z.string().nullable().optional(), givenName: z.string().nullable().optional(), familyName: z.string().nullable().optional() }).nullable().optional(),
  active: z.union([z.boolean(), z.string()]).nullable().optional(),
  emails: multi.nullable().optional(),
  phoneNumbers: multi.nullable().optional(),
  roles: multi.nullable().optional(),
  meta: z.looseObject({ version: z.string().nullable().optional(), created: z.string().nullable().optional(), lastModified: z.string().nullable().optional() }).nullable().optional(),
});
export type ScimUser = z.infer<typeof scimUserSchema> & Record<string, unknown>;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** Simple core attributes written under their own name. */
const CORE_SIMPLE = ['userName', 'title', 'nickName', 'userType', 'preferredLanguage', 'locale', 'timezone'] as const;
const NAME_PARTS = ['givenName', 'familyName', 'formatted'] as const;

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const primaryOf = (items: z.infer<typeof multi> | null | undefined): string | null => {
  const list = items ?? [];
  const p = list.find((i) => i.primary === true || i.primary === 'true') ?? list.find((i) => sameName(i.type, 'work')) ?? list[0];
  return typeof p?.value === 'string' ? p.value : null;
};
const workValue = (value: unknown) => [{ value, type: 'work', primary: true }];

/** `urn:…:User:department` → [schema, 'department']; core paths → [null, path]. */
export function splitPath(key: string): [string | null, string] {
  if (!key.startsWith('urn:')) return [null, key];
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** SCIM attribute path and value of one mapping key, or null for keys that are not attributes. */
function attributeOf(key: string, value: unknown): { path: string; value: unknown } | null {
  if (key === 'external_id') return null;
  if (key === 'name') return { path: 'displayName', value };
  if (key === 'email') return { path: 'emails', value: empty(value) ? null : workValue(value) };
  if (key === 'phone') return { path: 'phoneNumbers', value: empty(value) ? null : workValue(value) };
  if (key === MANAGER_KEY) return { path: key, value: empty(value) ? null : { value } };
  return { path: key, value };
}

export const roleValue = (roleKey: string): string | null => (roleKey.startsWith(ROLE_PREFIX) ? roleKey.slice(ROLE_PREFIX.length) : null);

/** PatchOp operations for a partial input: only what is present is sent. */
export function patchOperations(patch: Partial<TargetUserInput>): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [key, raw] of Object.entries(patch.attributes ?? {})) {
    const a = attributeOf(key, raw);
    if (!a) continue;
    ops.push(empty(a.value) ? { op: 'remove', path: a.path } : { op: 'replace', path: a.path, value: a.value });
  }
  if (patch.externalId !== undefined) ops.push({ op: 'replace', path: 'externalId', value: patch.externalId });
  if (patch.roleKey !== undefined) {
    const role = roleValue(patch.roleKey);
    ops.push(role === null ? { op: 'remove', path: 'roles' } : { op: 'replace', path: 'roles', value: [{ value: role, primary: true }] });
  }
  if (patch.suspended !== undefined) ops.push({ op: 'replace', path: 'active', value: !patch.suspended });
  return ops;
}

export const patchBody = (ops: PatchOperation[]) => ({ schemas: [PATCH_OP], Operations: ops });

/** Applies the operations `patchOperations` makes to a resource (PUT for apps without PATCH). */
export function applyOperations(resource: Record<string, unknown>, ops: readonly PatchOperation[]): Record<string, unknown> {
  const out = structuredClone(resource);
  for (const op of ops) {
    const [schema, path] = splitPath(op.path);
    let holder: Record<string, unknown> = out;
    if (schema) {
      const ext = out[schema];
      holder = typeof ext === 'object' && ext !== null ? (ext as Record<string, unknown>) : {};
      out[schema] = holder;
      const schemas = Array.isArray(out['schemas']) ? (out['schemas'] as string[]) : [CORE_USER];
      if (op.op !== 'remove' && !schemas.includes(schema)) out['schemas'] = [...schemas, schema];
    }
    const parts = path.split('.');
    const last = parts.pop() ?? path;
    for (const p of parts) {
      const next = holder[p];
      holder[p] = typeof next === 'object' && next !== null ? next : {};
      holder = holder[p] as Record<string, unknown>;
    }
    if (op.op === 'remove') delete holder[last];
    else holder[last] = op.value;
  }
  return out;
}

/** A full resource for POST: userName defaults to the email, then to the external id. */
export function toScimResource(input: TargetUserInput): Record<string, unknown> {
  const attrs = { ...input.attributes };
  if (empty(attrs['userName'])) attrs['userName'] = empty(attrs['email']) ? input.externalId : attrs['email'];
  const role = roleValue(input.roleKey) === null ? {} : { roleKey: input.roleKey };
  // Emptied values are left out of a create; a plain `user` role sends no roles at all.
  const ops = patchOperations({ attributes: attrs, externalId: input.externalId, suspended: input.suspended ?? false, ...role }).filter((o) => o.op !== 'remove');
  return applyOperations({ schemas: [CORE_USER] }, ops);
}

/** Every attribute the catalogue knows, read back under its mapping key. */
export function toTargetUser(u: ScimUser, extensions: readonly string[]): TargetUser {
  const attributes: Record<string, unknown> = {};
  for (const key of CORE_SIMPLE) attributes[key] = u[key] ?? null;
  attributes['name'] = u.displayName ?? null;
  for (const part of NAME_PARTS) attributes[`name.${part}`] = u.name?.[part] ?? null;
  attributes['email'] = primaryOf(u.emails);
  attributes['phone'] = primaryOf(u.phoneNumbers);
  attributes['external_id'] = u.externalId ?? null;
  for (const schema of extensions) {
    // An app's own extension URN may be spelled in another case in its Users than in its ResourceTypes.
    const ext = u[schema] ?? u[Object.keys(u).find((k) => sameName(k, schema)) ?? schema];
    if (typeof ext !== 'object' || ext === null) continue;
    for (const [attr, v] of Object.entries(ext as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        for (const [sub, sv] of Object.entries(v as Record<string, unknown>)) attributes[`${schema}:${attr}.${sub}`] = sv;
        if (`${schema}:${attr}` === MANAGER_KEY) attributes[MANAGER_KEY] = (v as { value?: unknown }).value ?? null;
      } else attributes[`${schema}:${attr}`] = v;
    }
  }
  const role = primaryOf(u.roles);
  const given = [u.name?.givenName, u.name?.familyName].filter((x): x is string => typeof x === 'string' && x !== '').join(' ');
  const out: TargetUser = {
    id: u.id,
    externalId: u.externalId ?? null,
    email: primaryOf(u.emails),
    name: u.displayName ?? u.name?.formatted ?? (given || (u.userName ?? '')),
    roleKey: role === null ? ROLE_USER : `${ROLE_PREFIX}${role}`,
    suspended: u.active === false || u.active === 'false',
    active: true,
    attributes,
  };
  if (u.meta?.lastModified) out.updatedAt = u.meta.lastModified;
  return out;
}
