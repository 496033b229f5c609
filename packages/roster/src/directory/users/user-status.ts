/** Activate, deactivate and (soft) delete a user. */
import type { Principal } from '../../admins/permissions.ts';
import type { Db, Tx } from '../../db/database.ts';
import { versionConflict } from '../../errors/app-error.ts';
import type { WriteOptions } from './create-user.ts';
import { lockUser } from './get-user.ts';
import { type UserStatus, type UserView, toUserView } from './user-fields.ts';
import { deleteUserRow, updateUserRow } from './user-writer.ts';

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
  const { row } = await updateUserRow(tx, { current, next: { ...current, status }, fields: ['status'] }, { actor, requestId: opts.requestId, audit: 'full' });
  const after = toUserView(row);
  return { user: after, changed: true };
}

/** Soft delete (user-writer.ts): the row stays, the user's memberships and direct assignments go, in one transaction. */
export async function deleteUser(db: Db, actor: Principal, id: string, expectedVersion: number | undefined, opts: WriteOptions = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockUser(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict('user', id, current.version);
    await deleteUserRow(tx, current, { actor, requestId: opts.requestId, audit: 'full' });
  });
}
