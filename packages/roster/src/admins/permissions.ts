/**
 * Admin roles and permissions, named as in the setup guides: the Organization Owner holds every
 * permission; an Organization Admin holds the ones granted to them.
 */
import { z } from 'zod';

export const permissionNames = [
  'view_apps',
  'assign_apps',
  'import_users',
  'manage_users',
  'manage_provisioning',
  'view_logs',
  'manage_admins',
] as const;

export type Permission = (typeof permissionNames)[number];

/** What each permission allows, as the admin UI and `GET /api/permissions` describe it. */
export const permissionDescriptions: Record<Permission, string> = {
  view_apps: 'See applications, their assignments and provisioning settings',
  assign_apps: 'Assign users and groups to applications, with an app role',
  import_users: 'Import users from CSV or JSON, and from connected applications',
  manage_users: 'Create, change, deactivate and delete users, groups and custom attributes',
  manage_provisioning: 'Connect applications, edit mappings and sync settings, run cycles',
  view_logs: 'Read the audit log and provisioning logs',
  manage_admins: 'Create and change admin accounts and their permissions',
};
export const permissionSchema = z.enum(permissionNames);

export const adminRoles = ['owner', 'admin'] as const;
export type AdminRole = (typeof adminRoles)[number];
export const adminRoleSchema = z.enum(adminRoles);

/** What a new Organization Admin gets when no permissions are named. */
export const defaultAdminPermissions: readonly Permission[] = ['view_apps', 'assign_apps', 'import_users', 'manage_users', 'view_logs'];

/** Who is acting: an admin signed in by session or token, the CLI on the database, or the system. */
export interface Principal {
  adminId: string | null;
  email: string | null;
  role: AdminRole | 'system';
  permissions: ReadonlySet<Permission>;
  /** `portal`: a directory user acting on their own sign-in (people/), never holding a permission. */
  via: 'session' | 'token' | 'cli' | 'system' | 'portal';
}

export function effectivePermissions(role: AdminRole | 'system', granted: readonly string[]): ReadonlySet<Permission> {
  if (role === 'owner' || role === 'system') return new Set(permissionNames);
  return new Set(granted.filter((p): p is Permission => (permissionNames as readonly string[]).includes(p)));
}

export const hasPermission = (p: Principal, perm: Permission): boolean => p.permissions.has(perm);

/** The principal for work Roster does on its own (bootstrap, scheduled cycles). */
export const systemPrincipal: Principal = {
  adminId: null,
  email: null,
  role: 'system',
  permissions: new Set(permissionNames),
  via: 'system',
};
