/**
 * What the account offers, read once per connection and cached: roles (built-in and custom,
 * https://developer.zendesk.com/api-reference/ticketing/account-configuration/custom_roles/), user
 * fields (built-in and the account's custom ones, https://developer.zendesk.com/api-reference/ticketing/users/user_fields/)
 * and organization names.
 */
import { z } from 'zod';
import { ok } from '../../errors/result.ts';
import type { ConnectorResult, TargetField, TargetRole } from '../contract.ts';
import type { ZendeskHttp } from './http.ts';

const customRoleSchema = z.looseObject({ id: z.number(), name: z.string(), description: z.string().nullable().optional(), role_type: z.number().nullable().optional() });
const userFieldSchema = z.looseObject({
  key: z.string(),
  title: z.string().nullable().optional(),
  type: z.string(),
  active: z.boolean().optional(),
  custom_field_options: z.array(z.looseObject({ value: z.string() })).nullable().optional(),
});
export const organizationSchema = z.looseObject({ id: z.number(), name: z.string() });

export const BUILT_IN_ROLES: TargetRole[] = [
  { key: 'end-user', label: 'End user', kind: 'end-user', description: 'A customer: can submit and view their own tickets.', typeCode: null },
  { key: 'agent', label: 'Agent', kind: 'agent', description: 'A team member who works on tickets.', typeCode: null },
  { key: 'admin', label: 'Admin', kind: 'admin', description: 'Manages all settings except billing.', typeCode: 4 },
];

/** role_type 4 is the system Admin role, the same as the built-in `admin`. */
const ADMIN_ROLE_TYPES = new Set([4, 5]);

export const BUILT_IN_FIELDS: TargetField[] = [
  { key: 'name', label: 'Name', type: 'string', custom: false, required: true },
  { key: 'email', label: 'Primary email', type: 'string', custom: false, matchable: true },
  { key: 'external_id', label: 'External ID', type: 'string', custom: false, matchable: true },
  { key: 'phone', label: 'Phone', type: 'string', custom: false },
  // Zendesk refuses null for these (API-NOTES §2: plain strings): an emptied directory value is kept, not sent.
  { key: 'time_zone', label: 'Time zone', type: 'string', custom: false, clearable: false },
  { key: 'locale', label: 'Language (locale)', type: 'string', custom: false, clearable: false },
  { key: 'organization', label: 'Organization (by name)', type: 'string', custom: false },
  { key: 'tags', label: 'Tags', type: 'string[]', custom: false },
  { key: 'alias', label: 'Alias', type: 'string', custom: false },
  { key: 'details', label: 'Details', type: 'string', custom: false },
  { key: 'notes', label: 'Notes', type: 'string', custom: false },
  { key: 'signature', label: 'Signature (agents)', type: 'string', custom: false },
];

const FIELD_TYPES: Record<string, TargetField['type']> = {
  text: 'string',
  textarea: 'string',
  regexp: 'string',
  lookup: 'string',
  checkbox: 'boolean',
  date: 'date',
  integer: 'number',
  decimal: 'number',
  dropdown: 'enum',
  multiselect: 'string[]',
};

export interface Catalog {
  /** Custom roles, or null when the plan has none (403). */
  customRoles(): Promise<ConnectorResult<z.infer<typeof customRoleSchema>[] | null>>;
  roles(): Promise<ConnectorResult<TargetRole[]>>;
  /** Custom role ids that make a user an admin (Billing admin). */
  adminRoleIds(): Promise<ReadonlySet<number>>;
  fields(): Promise<ConnectorResult<TargetField[]>>;
  organizationName(id: number): string | null;
  /** Learns organization names from a sideload (`include=organizations`) or a write by name. */
  rememberOrganizations(orgs: readonly { id: number; name: string }[]): void;
}

export function createCatalog(http: ZendeskHttp): Catalog {
  let customRoles: z.infer<typeof customRoleSchema>[] | null | undefined;
  const organizations = new Map<number, string>();

  const readCustomRoles = async (): Promise<ConnectorResult<z.infer<typeof customRoleSchema>[] | null>> => {
    if (customRoles !== undefined) return ok(customRoles);
    const r = await http.json({ method: 'GET', path: '/api/v2/custom_roles' }, z.looseObject({ custom_roles: z.array(customRoleSchema) }));
    if (!r.ok) {
      // Plans without custom roles answer 403: just the built-ins.
      if (r.error.code === 'zendesk.forbidden') {
        customRoles = null;
        return ok(null);
      }
      return r;
    }
    customRoles = r.value.custom_roles;
    return ok(customRoles);
  };

  return {
    customRoles: readCustomRoles,
    async roles() {
      const r = await readCustomRoles();
      if (!r.ok) return r;
      const custom: TargetRole[] = (r.value ?? [])
        .filter((c) => c.role_type !== 4)
        .map((c) => ({
          key: `custom:${c.id}`,
          label: c.name,
          kind: c.role_type === 5 ? 'admin' : 'custom',
          ...(c.description ? { description: c.description } : {}),
          typeCode: c.role_type ?? null,
        }));
      return ok([...BUILT_IN_ROLES, ...custom]);
    },
    async adminRoleIds() {
      const r = await readCustomRoles();
      return new Set(r.ok ? (r.value ?? []).filter((c) => ADMIN_ROLE_TYPES.has(c.role_type ?? -1)).map((c) => c.id) : []);
    },
    async fields() {
      const r = await readUserFields(http);
      if (!r.ok) return r;
      const custom: TargetField[] = r.value
        .filter((f) => f.active !== false)
        .map((f) => {
          const field: TargetField = { key: `user_fields.${f.key}`, label: f.title ?? f.key, type: FIELD_TYPES[f.type] ?? 'string', custom: true };
          if (f.custom_field_options && f.custom_field_options.length > 0) field.enumValues = f.custom_field_options.map((o) => o.value);
          return field;
        });
      return ok([...BUILT_IN_FIELDS, ...custom]);
    },
    organizationName: (id) => organizations.get(id) ?? null,
    rememberOrganizations(orgs) {
      for (const o of orgs) organizations.set(o.id, o.name);
    },
  };
}

/** User fields are few and offset-paged (`next_page`); Zendesk documents no cursor for them. */
async function readUserFields(http: ZendeskHttp): Promise<ConnectorResult<z.infer<typeof userFieldSchema>[]>> {
  const pageSchema = z.looseObject({ user_fields: z.array(userFieldSchema), next_page: z.string().nullable().optional() });
  const all: z.infer<typeof userFieldSchema>[] = [];
  for (let page = 1; page <= 50; page += 1) {
    const r = await http.json({ method: 'GET', path: '/api/v2/user_fields', query: { page, per_page: 100 } }, pageSchema);
    if (!r.ok) return r;
    all.push(...r.value.user_fields);
    if (!r.value.next_page) break;
  }
  return ok(all);
}
