/** Partial update of a user with optimistic concurrency; writes nothing when nothing changes. */
import { eq } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Tx } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { AppError, versionConflict } from '../../errors/app-error.ts';
import { loadAttributeDefinitions } from '../attributes/attributes.ts';
import { mergeCustomValues } from '../attributes/custom-values.ts';
import { recordChange } from '../outbox.ts';
import type { WriteOptions } from './create-user.ts';
import { uniqueViolation } from './db-errors.ts';
import { lockUser } from './get-user.ts';
import { assertManager, assertUnique, duplicateFromConstraint } from './user-checks.ts';
import { type UpdateUserInput, type UserView, toUserView } from './user-fields.ts';
import { applyUserPatch } from './user-patch.ts';

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

  const { id: _id, createdAt: _c, deletedAt: _d, ...values } = next;
  const [row] = await tx
    .update(users)
    .set({ ...values, version: current.version + 1, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  const after = toUserView(row!);
  await recordAudit(tx, actor, { action: 'user.update', targetType: 'user', targetId: id, before, after }, opts.requestId);
  await recordChange(tx, { entityType: 'user', entityId: id, op: 'updated', data: { fields } });
  return { user: after, fields };
}

const IGNORED = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** Field names whose values differ (custom compares as a whole, reported as `custom.<key>`). */
export function changedFields(before: UserView, after: UserView): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after) as (keyof UserView)[]) {
    if (IGNORED.has(key)) continue;
    if (key === 'custom') {
      const keys = new Set([...Object.keys(before.custom), ...Object.keys(after.custom)]);
      for (const k of keys) if (JSON.stringify(before.custom[k]) !== JSON.stringify(after.custom[k])) out.push(`custom.${k}`);
    } else if (before[key] !== after[key]) out.push(key);
  }
  return out;
}
