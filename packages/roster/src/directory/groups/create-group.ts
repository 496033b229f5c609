/** Creates a group: unique name (ignoring case) among live groups, audited, with an outbox row. */
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { groups } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, inTransaction, isUniqueViolation } from '../write-helpers.ts';
import type { CreateGroupInput, Group } from './group-schemas.ts';
import { assertNameFree, duplicateName, findGroup } from './group-view.ts';

export async function createGroup(executor: Executor, principal: Principal, input: CreateGroupInput, opts: WriteOptions = {}): Promise<Group> {
  try {
    return await inTransaction(executor, async (tx) => {
      await assertNameFree(tx, input.name);
      const [row] = await tx.insert(groups).values({ name: input.name, description: input.description ?? null }).returning({ id: groups.id });
      const group = await findGroup(tx, row!.id);
      await recordAudit(tx, principal, { action: 'group.create', targetType: 'group', targetId: group.id, after: { name: group.name, description: group.description } }, opts.requestId);
      await recordChange(tx, { entityType: 'group', entityId: group.id, op: 'created', data: { fields: ['name', 'description'] } });
      return group;
    });
  } catch (e) {
    // Two creators racing past the check: the unique index decides.
    if (isUniqueViolation(e, 'groups_name_key')) throw duplicateName(input.name);
    throw e;
  }
}
