/** Activate, deactivate and (soft) delete a user. */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Tx } from '../../db/database.ts';
import { assignments, groupMembers, users } from '../../db/schema.ts';
import { versionConflict } from '../../errors/app-error.ts';
import { type Change, recordChange, recordChanges } from '../outbox.ts';
import type { WriteOptions } from './create-user.ts';
import { lockUser } from './get-user.ts';
import { type UserStatus, type UserView, toUserView } from './user-fields.ts';

/** Sets the status; a user already in that status is returned unchanged, with nothing written. */
export async function setUserStatus(
  db: Db,
  actor: Principal,
  id: string,
  status: UserStatus,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<{ user: UserView; changed: boolean }> {
  return db.transaction((tx) => setUserStatusIn(tx, actor, id, status, expectedVersion, opts));
}

/** The same, inside a transaction the caller owns. */
export async function setUserStatusIn(
  tx: Tx,
  actor: Principal,
  id: string,
  status: UserStatus,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<{ user: UserView; changed: boolean }> {
  const current = await lockUser(tx, id);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict('user', id, current.version);
  if (current.status === status) return { user: toUserView(current), changed: false };
  const [row] = await tx.update(users).set({ status, version: current.version + 1, updatedAt: new Date() }).where(eq(users.id, id)).returning();
  const after = toUserView(row!);
  const verb = status === 'active' ? 'activate' : 'deactivate';
  await recordAudit(tx, actor, { action: `user.${verb}`, targetType: 'user', targetId: id, before: toUserView(current), after }, opts.requestId);
  await recordChange(tx, { entityType: 'user', entityId: id, op: status === 'active' ? 'activated' : 'deactivated', data: { fields: ['status'] } });
  return { user: after, changed: true };
}

/**
 * Soft delete: the row stays (with `deleted_at`) so links and history still resolve; the email and
 * employee id become free for a new user. The user's group memberships and direct assignments go
 * in the same transaction, each with its outbox row and audit entry.
 */
export async function deleteUser(db: Db, actor: Principal, id: string, expectedVersion: number | undefined, opts: WriteOptions = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockUser(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict('user', id, current.version);
    await tx.update(users).set({ deletedAt: new Date(), version: current.version + 1, updatedAt: new Date() }).where(eq(users.id, id));
    await recordAudit(tx, actor, { action: 'user.delete', targetType: 'user', targetId: id, before: toUserView(current) }, opts.requestId);
    await recordChange(tx, { entityType: 'user', entityId: id, op: 'deleted', data: { fields: [] } });
    await removeUserLinks(tx, actor, id, opts.requestId);
  });
}

/** Deletes the user's group memberships and direct assignments, with outbox rows and audit entries like one-by-one removal writes. */
async function removeUserLinks(tx: Tx, actor: Principal, id: string, requestId: string | undefined): Promise<void> {
  const memberships = await tx
    .delete(groupMembers)
    .where(and(eq(groupMembers.memberType, 'user'), eq(groupMembers.memberId, id)))
    .returning({ groupId: groupMembers.groupId });
  const assigned = await tx
    .delete(assignments)
    .where(and(eq(assignments.principalType, 'user'), eq(assignments.principalId, id)))
    .returning();
  const member = { memberType: 'user' as const, memberId: id };
  const changes: Change[] = [
    ...memberships.map((m): Change => ({ entityType: 'group_member', entityId: m.groupId, op: 'removed', data: { groupId: m.groupId, ...member } })),
    ...assigned.map((a): Change => ({
      entityType: 'assignment',
      entityId: a.id,
      op: 'deleted',
      data: { applicationId: a.applicationId, principalType: a.principalType, principalId: a.principalId, role: a.role },
    })),
  ];
  await recordChanges(tx, changes);
  await recordAudit(tx, actor, [
    ...memberships.map((m) => ({ action: 'group.member.remove', targetType: 'group', targetId: m.groupId, before: { member } })),
    ...assigned.map((a) => ({ action: 'assignment.delete', targetType: 'assignment', targetId: a.id, before: a })),
  ], requestId);
}
