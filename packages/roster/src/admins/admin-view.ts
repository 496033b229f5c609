/** How an admin account leaves the service: never with its password hash. */
import { z } from 'zod';
import type { admins } from '../db/schema.ts';
import { adminRoleSchema, effectivePermissions, permissionNames, permissionSchema } from './permissions.ts';

export type AdminRow = typeof admins.$inferSelect;

export const adminStatuses = ['active', 'disabled'] as const;
export const adminStatusSchema = z.enum(adminStatuses);

export const adminViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: adminRoleSchema,
  /** What the admin may do: every permission for an owner, the granted ones for an admin. */
  permissions: z.array(permissionSchema),
  status: adminStatusSchema,
  mustChangePassword: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type AdminView = z.infer<typeof adminViewSchema>;

export function toAdminView(row: AdminRow): AdminView {
  const role = row.role === 'owner' ? 'owner' : 'admin';
  const held = effectivePermissions(role, row.permissions);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role,
    permissions: permissionNames.filter((p) => held.has(p)),
    status: row.status === 'disabled' ? 'disabled' : 'active',
    mustChangePassword: row.mustChangePassword,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}
