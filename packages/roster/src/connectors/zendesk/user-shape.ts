/**
 * The Zendesk user object and its translation to and from the connector's normalised shapes
 * (https://developer.zendesk.com/api-reference/ticketing/users/users/). Lenient where Zendesk
 * varies: nullable fields, unknown keys kept out.
 */
import { z } from 'zod';
import type { TargetUser, TargetUserInput } from '../contract.ts';

export const zendeskUserSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  role: z.string(),
  role_type: z.number().nullable().optional(),
  custom_role_id: z.number().nullable().optional(),
  suspended: z.boolean().optional(),
  active: z.boolean().optional(),
  phone: z.string().nullable().optional(),
  time_zone: z.string().nullable().optional(),
  locale: z.string().nullable().optional(),
  organization_id: z.number().nullable().optional(),
  tags: z.array(z.string()).nullable().optional(),
  alias: z.string().nullable().optional(),
  details: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
  signature: z.string().nullable().optional(),
  user_fields: z.record(z.string(), z.unknown()).nullable().optional(),
  default_group_id: z.number().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});
export type ZendeskUser = z.infer<typeof zendeskUserSchema>;

/** Built-in attributes written as-is (the `organization` attribute is a name, see below). */
export const PLAIN_ATTRIBUTES = ['name', 'email', 'phone', 'time_zone', 'locale', 'tags', 'alias', 'details', 'notes', 'signature'] as const;

/** `custom:<id>` for agents in a custom role; admins are `admin` even with the system Admin role id. */
export function roleKeyOf(user: Pick<ZendeskUser, 'role' | 'custom_role_id' | 'role_type'>): string {
  if (user.role === 'admin') return user.role_type === 5 && user.custom_role_id ? `custom:${user.custom_role_id}` : 'admin';
  if (user.role === 'agent' && user.custom_role_id) return `custom:${user.custom_role_id}`;
  return user.role;
}

/** The role fields to send for a role key; `adminRoleIds` are custom roles that make an admin (Billing admin). */
export function roleFields(roleKey: string, adminRoleIds: ReadonlySet<number>): Record<string, unknown> {
  if (roleKey.startsWith('custom:')) {
    const id = Number(roleKey.slice('custom:'.length));
    return { role: adminRoleIds.has(id) ? 'admin' : 'agent', custom_role_id: id };
  }
  // A plain agent leaves any custom role it had; other roles carry none.
  return roleKey === 'agent' ? { role: 'agent', custom_role_id: null } : { role: roleKey };
}

export function toTargetUser(u: ZendeskUser, organizationName: (id: number) => string | null): TargetUser {
  const attributes: Record<string, unknown> = {};
  for (const key of PLAIN_ATTRIBUTES) attributes[key] = u[key] ?? null;
  attributes['external_id'] = u.external_id ?? null;
  attributes['organization'] = u.organization_id ? organizationName(u.organization_id) : null;
  for (const [k, v] of Object.entries(u.user_fields ?? {})) attributes[`user_fields.${k}`] = v;
  const out: TargetUser = {
    id: String(u.id),
    externalId: u.external_id ?? null,
    email: u.email ?? null,
    name: u.name ?? '',
    roleKey: roleKeyOf(u),
    suspended: u.suspended ?? false,
    active: u.active ?? true,
    attributes,
  };
  if (u.updated_at) out.updatedAt = u.updated_at;
  return out;
}

/** The `user` body for a create or an update; only the keys present in the input are sent. */
export function toZendeskBody(input: Partial<TargetUserInput>, adminRoleIds: ReadonlySet<number>, options: { create: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const attrs = input.attributes ?? {};
  const userFields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('user_fields.')) userFields[key.slice('user_fields.'.length)] = value;
    else if (key !== 'organization' && key !== 'external_id') body[key] = value;
  }
  if ('organization' in attrs) {
    const org = attrs['organization'];
    // Zendesk creates or links an organization by name; an empty value removes the user's organization.
    if (typeof org === 'string' && org.trim() !== '') body['organization'] = { name: org.trim() };
    else body['organization_id'] = null;
  }
  if (Object.keys(userFields).length > 0) body['user_fields'] = userFields;
  if (input.externalId !== undefined) body['external_id'] = input.externalId;
  if (input.roleKey !== undefined) Object.assign(body, roleFields(input.roleKey, adminRoleIds));
  if (input.suspended !== undefined) body['suspended'] = input.suspended;
  if (options.create) body['skip_verify_email'] = true;
  else {
    // Email on update adds a secondary identity; users.ts changes the primary through identities.
    delete body['email'];
  }
  return body;
}
