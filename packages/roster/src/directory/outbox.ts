/**
 * The outbox: one row per directory change, written in the same transaction as the change, for the
 * provisioning engine to read in id order.
 */
import type { Executor } from '../db/database.ts';
import { outbox } from '../db/schema.ts';

export type OutboxEntity = 'user' | 'group' | 'group_member' | 'application' | 'assignment' | 'attribute';
export type OutboxOp = 'created' | 'updated' | 'deleted' | 'activated' | 'deactivated' | 'added' | 'removed';

export interface Change {
  entityType: OutboxEntity;
  entityId: string;
  op: OutboxOp;
  /** Changed field names (`fields`) and the ids a consumer needs (`groupId`, `applicationId`). */
  data?: Record<string, unknown>;
}

export async function recordChanges(executor: Executor, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  await executor.insert(outbox).values(changes.map((c) => ({ entityType: c.entityType, entityId: c.entityId, op: c.op, data: c.data ?? {} })));
}

export const recordChange = (executor: Executor, change: Change): Promise<void> => recordChanges(executor, [change]);
