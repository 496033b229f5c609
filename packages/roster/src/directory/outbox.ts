/**
 * The outbox: one row per directory change, written in the same transaction as the change, for the
 * provisioning engine to read in id order.
 */
import { sql } from 'drizzle-orm';
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

/** Above this many rows one JSON parameter beats a multi-row VALUES list (about 2× on PGlite at hundreds of rows). */
export const JSON_ROWS_THRESHOLD = 20;

export interface RecordOptions {
  /**
   * The application the change was read from (an import from it): stored as `data.origin`, so the
   * outbox relay does not send the change back to the application that already has it.
   */
  origin?: string | undefined;
}

/** Writes the changes in the order given (outbox ids follow it). */
export async function recordChanges(executor: Executor, given: readonly Change[], opts: RecordOptions = {}): Promise<void> {
  if (given.length === 0) return;
  const origin = opts.origin;
  const changes = origin === undefined ? given : given.map((c) => ({ ...c, data: { ...c.data, origin } }));
  if (changes.length <= JSON_ROWS_THRESHOLD) {
    await executor.insert(outbox).values(changes.map((c) => ({ entityType: c.entityType, entityId: c.entityId, op: c.op, data: c.data ?? {} })));
    return;
  }
  const records = changes.map((c, ord) => ({ ord, entity_type: c.entityType, entity_id: c.entityId, op: c.op, data: c.data ?? {} }));
  await executor.execute(sql`insert into outbox (entity_type, entity_id, op, data)
    select entity_type, entity_id, op, data from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(ord int, entity_type text, entity_id text, op text, data jsonb) order by ord`);
}

export const recordChange = (executor: Executor, change: Change, opts: RecordOptions = {}): Promise<void> => recordChanges(executor, [change], opts);

/** The application a stored outbox row's change was read from, if any. */
export const originOf = (data: Record<string, unknown>): string | undefined => (typeof data['origin'] === 'string' ? data['origin'] : undefined);
