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

const CONFIG_BY_TYPE: Record<number, Record<string, unknown>> = {
  0: { ticket_access: 'within-groups', manage_team_members: 'readonly', manage_roles: 'none', manage_groups: false, manage_group_memberships: false, end_user_profile_access: 'edit', light_agent: false },
  1: { ticket_access: 'within-groups', manage_team_members: 'none', manage_roles: 'none', manage_groups: false, manage_group_memberships: false, end_user_profile_access: 'readonly', light_agent: true },
  3: { ticket_access: 'assigned-only', manage_team_members: 'none', manage_roles: 'none', manage_groups: false, manage_group_memberships: false, end_user_profile_access: 'readonly', light_agent: false },
  4: { ticket_access: 'all', manage_team_members: 'all-with-self-restriction', manage_roles: 'all-except-self', manage_groups: true, manage_group_memberships: true, end_user_profile_access: 'full', light_agent: false },
  5: { ticket_access: 'all', manage_team_members: 'all-with-self-restriction', manage_roles: 'all-except-self', manage_groups: true, manage_group_memberships: true, end_user_profile_access: 'full', light_agent: false },
};

export function roleConfiguration(roleType: number): Record<string, unknown> {
  return { ...(CONFIG_BY_TYPE[roleType] ?? CONFIG_BY_TYPE[0]) };
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
