/** Changing an admin account (optimistic concurrency), and transferring ownership. */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { plainText } from '../directory/text.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { AppError, versionConflict } from '../errors/app-error.ts';
import { getAdminRow } from './admin-read.ts';
import { auditingRefusals } from './admin-refusals.ts';
import { type AdminState, assertEmailFree, assertKeepsAnOwner, assertKeepsOwnAdminRights, assertMayActOn, assertMayGrant, assertMayTouch, withUniqueEmail } from './admin-rules.ts';
import { revokeAdminTokens } from './api-tokens.ts';
import { type AdminRow, type AdminView, adminStatusSchema, toAdminView } from './admin-view.ts';
import { type Permission, type Principal, adminRoleSchema, permissionNames, permissionSchema } from './permissions.ts';
import { endSessions } from './sessions.ts';

export const updateAdminSchema = z.strictObject({
  email: plainText().pipe(z.email('must be an email address').max(320)).optional(),
  name: plainText().trim().min(1, 'must not be empty').max(200).optional(),
  role: adminRoleSchema.optional(),
  permissions: z.array(permissionSchema).optional(),
  /** `disabled` ends the admin's sessions and revokes their API tokens (the answer says how many). */
  status: adminStatusSchema.optional(),
  /** The version read; alternatively send `If-Match: "<version>"`. */
  version: z.number().int().positive().optional(),
});
export type UpdateAdminInput = z.infer<typeof updateAdminSchema>;

const stateOf = (row: AdminRow): AdminState => ({
  role: row.role === 'owner' ? 'owner' : 'admin',
  permissions: row.permissions,
  status: row.status === 'disabled' ? 'disabled' : 'active',
});

/** What a change did besides the change: present when it disabled the admin. */
export interface DisableEffects {
  sessionsEnded: number;
  tokensRevoked: number;
}

export async function updateAdmin(
  db: Db,
  actor: Principal,
  id: string,
  input: Omit<UpdateAdminInput, 'version'>,
  expectedVersion: number,
  requestId?: string,
): Promise<{ admin: AdminView; disabled?: DisableEffects }> {
  return auditingRefusals(db, actor, { action: 'admin.update', targetId: id }, requestId, () => db.transaction(async (tx) => {
    const current = await getAdminRow(tx, id, { forUpdate: true });
    if (current.version !== expectedVersion) throw versionConflict('admin', id, current.version);
    const before = stateOf(current);
    const role = input.role ?? before.role;
    // A demoted owner keeps what they could do, unless permissions are named.
    const permissions: readonly string[] =
      role === 'owner' ? [] : input.permissions ? [...new Set(input.permissions)] : before.role === 'owner' ? permissionNames : before.permissions;
    const next: AdminState = { role, permissions, status: input.status ?? before.status };

    assertMayActOn(actor, current, 'change');
    assertMayTouch(actor, current, next);
    if (input.permissions) assertMayGrant(actor, input.permissions as Permission[]);
    assertKeepsOwnAdminRights(actor, id, next);
    await assertKeepsAnOwner(tx, current, next);
    if (input.email !== undefined) await assertEmailFree(tx, input.email, id);

    const set = {
      ...(input.email === undefined ? {} : { email: input.email }),
      ...(input.name === undefined ? {} : { name: input.name }),
      role: next.role,
      permissions: [...next.permissions],
      status: next.status,
    };
    const row = await withUniqueEmail(input.email ?? current.email, () => writeAdmin(tx, id, set));
    const disabled: DisableEffects | undefined =
      before.status === 'active' && next.status === 'disabled'
        ? { sessionsEnded: await endSessions(tx, id), tokensRevoked: await revokeAdminTokens(tx, actor, id, 'admin_disabled', requestId) }
        : undefined;
    const view = toAdminView(row);
    await recordAudit(tx, actor, { action: 'admin.update', targetType: 'admin', targetId: id, before: toAdminView(current), after: disabled ? { ...view, sessionsEnded: disabled.sessionsEnded } : view }, requestId);
    return disabled ? { admin: view, disabled } : { admin: view };
  }));
}

/** Makes `targetId` an owner and the acting owner an admin with every permission, at once. */
export async function transferOwnership(db: Db, actor: Principal, targetId: string, requestId?: string): Promise<{ from: AdminView; to: AdminView }> {
  if (actor.role !== 'owner' || !actor.adminId) throw new AppError('forbidden', 'Only an Organization Owner can transfer ownership.', { details: { requiredRole: 'owner' } });
  const actorId = actor.adminId;
  if (actorId === targetId) throw new AppError('conflict', 'You already are an owner; name the admin who should become owner.', { details: { reason: 'same_admin' } });
  return db.transaction(async (tx) => {
    const target = await getAdminRow(tx, targetId, { forUpdate: true });
    if (target.status !== 'active') throw new AppError('conflict', 'Ownership can only go to an active admin.', { details: { reason: 'target_disabled' } });
    const self = await getAdminRow(tx, actorId, { forUpdate: true });
    const to = await writeAdmin(tx, targetId, { role: 'owner', permissions: [] });
    const from = await writeAdmin(tx, actorId, { role: 'admin', permissions: [...permissionNames] });
    await recordAudit(tx, actor, { action: 'admin.ownership.transfer', targetType: 'admin', targetId, before: { from: toAdminView(self), to: toAdminView(target) }, after: { from: toAdminView(from), to: toAdminView(to) } }, requestId);
    return { from: toAdminView(from), to: toAdminView(to) };
  });
}

/** Writes changed columns and bumps the version. */
export async function writeAdmin(tx: Executor, id: string, set: Partial<typeof admins.$inferInsert>): Promise<AdminRow> {
  const [row] = await tx
    .update(admins)
    .set({ ...set, version: sql`${admins.version} + 1`, updatedAt: new Date() })
    .where(eq(admins.id, id))
    .returning();
  if (!row) throw new Error(`admin ${id} vanished inside its transaction`);
  return row;
}
