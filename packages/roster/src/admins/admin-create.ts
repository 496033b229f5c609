/** Creating an admin account, with a password given by the creator or a generated one-time one. */
import { z } from 'zod';
import { plainText } from '../directory/text.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { assertEmailFree, assertMayGrant, assertMayTouch, withUniqueEmail } from './admin-rules.ts';
import { type AdminView, toAdminView } from './admin-view.ts';
import { generatePassword } from './bootstrap.ts';
import { newPasswordSchema } from './password-policy.ts';
import { type Principal, adminRoleSchema, defaultAdminPermissions, permissionSchema } from './permissions.ts';
import { hashPassword } from './secrets.ts';

export const createAdminSchema = z.strictObject({
  email: plainText().pipe(z.email('must be an email address').max(320)),
  name: plainText().trim().min(1, 'must not be empty').max(200),
  role: adminRoleSchema.default('admin'),
  /** For role `admin`; default: view_apps, assign_apps, import_users, manage_users, view_logs. */
  permissions: z.array(permissionSchema).optional(),
  /** Absent: a one-time password is generated and returned once. */
  password: newPasswordSchema.optional(),
  /** Whether the new admin must change the password at first sign-in (default true). */
  mustChangePassword: z.boolean().optional(),
});
export type CreateAdminInput = z.infer<typeof createAdminSchema>;

export async function createAdmin(
  db: Db,
  actor: Principal,
  input: CreateAdminInput,
  requestId?: string,
): Promise<{ admin: AdminView; oneTimePassword?: string }> {
  const permissions = input.role === 'owner' ? [] : [...new Set(input.permissions ?? defaultAdminPermissions)];
  assertMayTouch(actor, null, { role: input.role });
  assertMayGrant(actor, permissions);
  const oneTimePassword = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (oneTimePassword as string));
  return db.transaction(async (tx) => {
    await assertEmailFree(tx, input.email);
    const values = {
      email: input.email,
      name: input.name,
      role: input.role,
      permissions,
      passwordHash,
      mustChangePassword: oneTimePassword !== undefined || (input.mustChangePassword ?? true),
    };
    const [row] = await withUniqueEmail(input.email, () => tx.insert(admins).values(values).returning());
    if (!row) throw new Error('insert returned no row');
    const admin = toAdminView(row);
    await recordAudit(tx, actor, { action: 'admin.create', targetType: 'admin', targetId: row.id, after: admin }, requestId);
    return oneTimePassword === undefined ? { admin } : { admin, oneTimePassword };
  });
}
