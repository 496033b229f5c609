/** Renames or re-describes a group, refusing a stale version. */
import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { groups } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, inTransaction, isUniqueViolation } from '../write-helpers.ts';
import type { Group } from './group-schemas.ts';
import { assertNameFree, checkVersion, duplicateName, findGroup } from './group-view.ts';

export interface GroupChanges {
  name?: string | undefined;
  description?: string | null | undefined;
}

/** Applies `changes` when the group is still at `expectedVersion` (undefined: no check). */
export async function updateGroup(
  executor: Executor,
  principal: Principal,
  id: string,
  changes: GroupChanges,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<Group> {
  try {
    return await inTransaction(executor, async (tx) => {
      await tx.execute(sql`select 1 from ${groups} where ${groups.id} = ${id} for update`);
      const before = await findGroup(tx, id);
      checkVersion(before, expectedVersion);
      const set: { name?: string; description?: string | null } = {};
      if (changes.name !== undefined && changes.name !== before.name) set.name = changes.name;
      if (changes.description !== undefined && changes.description !== before.description) set.description = changes.description;
      const fields = Object.keys(set);
      if (fields.length === 0) return before;
      if (set.name !== undefined && set.name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(tx, set.name, id);
      await tx
        .update(groups)
        .set({ ...set, version: sql`${groups.version} + 1`, updatedAt: new Date() })
        .where(and(eq(groups.id, id), eq(groups.version, before.version)));
      const after = await findGroup(tx, id);
      await recordAudit(tx, principal, { action: 'group.update', targetType: 'group', targetId: id, before: pick(before, fields), after: pick(after, fields) }, opts.requestId);
      await recordChange(tx, { entityType: 'group', entityId: id, op: 'updated', data: { fields } });
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'groups_name_key')) throw duplicateName(changes.name ?? '');
    throw e;
  }
}

const pick = (g: Group, fields: string[]): Record<string, unknown> =>
  Object.fromEntries(fields.map((f) => [f, (g as unknown as Record<string, unknown>)[f]]));
