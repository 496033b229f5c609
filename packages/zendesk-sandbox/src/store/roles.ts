import { NO_CHANGES, type AccountChanges } from './changes.ts';
/** A custom role (API-NOTES §3). System roles ship with every account; more via the control API. */
export interface RoleRecord {
  id: number;
  name: string;
  description: string;
  roleType: number;
  system: boolean;
  configuration: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Built-in roles seeded into every account, with role_type per API-NOTES §2. */
export const SYSTEM_ROLES: ReadonlyArray<{ name: string; description: string; roleType: number; key: string }> = [
  { key: 'advisor', name: 'Advisor', description: 'Can manage the workflow and configure Support, but cannot solve tickets', roleType: 0 },
  { key: 'staff', name: 'Staff', description: 'Can edit tickets within their groups', roleType: 0 },
  { key: 'team_lead', name: 'Team lead', description: 'Can manage all tickets and moderate the Help Center', roleType: 0 },
  { key: 'light_agent', name: 'Light agent', description: 'Can view and add private comments to tickets', roleType: 1 },
  { key: 'contributor', name: 'Contributor', description: 'Can provide limited support', roleType: 3 },
  { key: 'admin', name: 'Admin', description: 'Can manage all settings, except billing', roleType: 4 },
  { key: 'billing_admin', name: 'Billing admin', description: 'Can manage all settings, including billing', roleType: 5 },
];

/**
 * A custom role's `configuration` as Zendesk returns it: the 36 permission keys of the OAS's
 * `CustomRoleConfigurationObject`, with the values of its response example for an agent role.
 */
const AGENT_CONFIGURATION: Readonly<Record<string, unknown>> = {
  assign_tickets_to_any_group: false,
  chat_access: true,
  end_user_list_access: 'full',
  end_user_profile_access: 'readonly',
  explore_access: 'edit',
  forum_access: 'readonly',
  forum_access_restricted_content: false,
  group_access: true,
  light_agent: false,
  macro_access: 'full',
  manage_business_rules: true,
  manage_contextual_workspaces: false,
  manage_dynamic_content: false,
  manage_extensions_and_channels: true,
  manage_facebook: false,
  manage_organization_fields: false,
  manage_ticket_fields: false,
  manage_ticket_forms: false,
  manage_user_fields: false,
  moderate_forums: false,
  organization_editing: false,
  organization_notes_editing: false,
  report_access: 'none',
  side_conversation_create: true,
  ticket_access: 'within-groups',
  ticket_comment_access: 'none',
  ticket_deletion: false,
  ticket_editing: true,
  ticket_merge: false,
  ticket_tag_editing: true,
  twitter_search_access: true,
  user_view_access: 'readonly',
  view_access: 'full',
  view_deleted_tickets: false,
  voice_access: true,
  voice_dashboard_access: false,
};

const ADMIN_CONFIGURATION: Readonly<Record<string, unknown>> = {
  ...Object.fromEntries(Object.entries(AGENT_CONFIGURATION).map(([k, v]) => [k, typeof v === 'boolean' ? true : 'full'])),
  light_agent: false,
  ticket_access: 'all',
  end_user_profile_access: 'full',
  ticket_comment_access: 'public',
};

/** Differences from the agent configuration per role_type (1 light agent, 3 contributor, 4/5 admins). */
const CONFIG_BY_TYPE: Record<number, Readonly<Record<string, unknown>>> = {
  0: AGENT_CONFIGURATION,
  1: { ...AGENT_CONFIGURATION, light_agent: true, chat_access: false, ticket_editing: false, ticket_tag_editing: false, manage_business_rules: false, manage_extensions_and_channels: false, macro_access: 'readonly', view_access: 'readonly', ticket_comment_access: 'private', voice_access: false, side_conversation_create: false },
  3: { ...AGENT_CONFIGURATION, ticket_access: 'assigned-only', ticket_comment_access: 'private', manage_business_rules: false, manage_extensions_and_channels: false, end_user_list_access: 'none', macro_access: 'readonly', view_access: 'readonly', twitter_search_access: false, voice_access: false },
  4: ADMIN_CONFIGURATION,
  5: ADMIN_CONFIGURATION,
};

export function roleConfiguration(roleType: number): Record<string, unknown> {
  return { ...(CONFIG_BY_TYPE[roleType] ?? AGENT_CONFIGURATION) };
}

/** Roles by id plus lookups for the system roles' ids. */
export class RoleStore {
  readonly ordered: RoleRecord[] = [];
  private readonly byId = new Map<number, RoleRecord>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  insert(role: RoleRecord): void {
    this.ordered.push(role);
    this.byId.set(role.id, role);
    this.changes.put('role', role.id, role);
  }

  get(id: number): RoleRecord | undefined {
    return this.byId.get(id);
  }

  byName(name: string): RoleRecord | undefined {
    const lower = name.toLowerCase();
    return this.ordered.find((r) => r.name.toLowerCase() === lower);
  }

  /** The system role with this role_type (Admin = 4, Light agent = 1…). */
  systemOfType(roleType: number): RoleRecord | undefined {
    return this.ordered.find((r) => r.system && r.roleType === roleType);
  }
}
