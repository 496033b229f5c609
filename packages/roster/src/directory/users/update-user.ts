/** Partial update of a user with optimistic concurrency; writes nothing when nothing changes. */
import type { Principal } from '../../admins/permissions.ts';
import type { Db, Tx } from '../../db/database.ts';
import { AppError, versionConflict } from '../../errors/app-error.ts';
import { loadAttributeDefinitions } from '../attributes/attributes.ts';
import { mergeCustomValues } from '../attributes/custom-values.ts';
import type { WriteOptions } from './create-user.ts';
import { uniqueViolation } from './db-errors.ts';
import { lockUser } from './get-user.ts';
import { assertManager, assertUnique, duplicateFromConstraint } from './user-checks.ts';
import { type UpdateUserInput, type UserView, toUserView } from './user-fields.ts';
import { applyUserPatch } from './user-patch.ts';
import { changedFields, updateUserRow } from './user-writer.ts';

export { changedFields } from './user-writer.ts';

export interface UpdateResult {
  user: UserView;
  /** Names of the fields that changed; empty when the update changed nothing. */
  fields: string[];
}

export async function updateUser(
  db: Db,
  actor: Principal,
  id: string,
  input: UpdateUserInput,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<UpdateResult> {
  try {
    return await db.transaction((tx) => updateUserIn(tx, actor, id, input, expectedVersion, opts));
  } catch (e) {
    const constraint = uniqueViolation(e);
    const mapped = constraint === undefined ? undefined : duplicateFromConstraint(constraint, input, opts.issuePrefix);
    throw mapped ?? e;
  }
}

export async function updateUserIn(
  tx: Tx,
  actor: Principal,
  id: string,
  input: UpdateUserInput,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<UpdateResult> {
  const prefix = opts.issuePrefix ?? 'body';
  const current = await lockUser(tx, id);
  const wanted = expectedVersion ?? input.version;
  if (wanted !== undefined && wanted !== current.version) throw versionConflict('user', id, current.version);

  const next = applyUserPatch(current, input);
  if (input.custom !== undefined) {
    const merged = mergeCustomValues(await loadAttributeDefinitions(tx), current.custom, input.custom, { prefix: `${prefix}.custom` });
    if (!merged.ok) throw new AppError('validation_failed', merged.issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues: merged.issues });
    next.custom = merged.value;
  }

  const before = toUserView(current);
  const fields = changedFields(before, toUserView(next));
  if (fields.length === 0) return { user: before, fields };
  if (fields.includes('email') || fields.includes('employeeId')) {
    await assertUnique(tx, { email: fields.includes('email') ? next.email : undefined, employeeId: fields.includes('employeeId') ? next.employeeId : undefined }, id, prefix);
  }
  if (fields.includes('managerId') && next.managerId) await assertManager(tx, id, next.managerId, prefix);

  const { row } = await updateUserRow(tx, { current, next, fields }, { actor, requestId: opts.requestId, audit: 'full' });
  return { user: toUserView(row), fields };
}
