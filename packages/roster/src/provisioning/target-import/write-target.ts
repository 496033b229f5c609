/**
 * The target half of applying a batch: the accounts that need their external id (or, with source
 * profile `directory`, the directory's values) get it through the connection — bulk `update_many`
 * jobs when the account allows them, single updates otherwise — paced by the shared pacer and
 * retried by error class like the engine's apply. Runs before the directory transaction, so a
 * link is written only for what the target confirmed.
 */
import type { Capabilities, Connection, ConnectorError } from '../../connectors/contract.ts';
import { BULK_FROM } from '../apply/apply-plan.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import { runPool } from '../apply/run-pool.ts';
import type { ItemPlan } from './plan-item.ts';

export interface TargetWriteResult {
  /** Items the target refused, by target id. */
  failed: Map<string, ConnectorError>;
  /** A configuration error (credentials, permissions): the apply stops, items stay pending. */
  stopped: ConnectorError | null;
}

export async function writeTarget(connection: Connection, capabilities: Capabilities, plans: readonly ItemPlan[], sleep: (ms: number) => Promise<void>): Promise<TargetWriteResult> {
  const result: TargetWriteResult = { failed: new Map(), stopped: null };
  const todo = plans.filter((p) => Object.keys(p.patch).length > 0);
  const policy = { sleep };
  const fail = (p: ItemPlan, e: ConnectorError) => {
    if (e.class === 'configuration') result.stopped ??= e;
    result.failed.set(p.item.targetId, e);
  };
  const one = async (p: ItemPlan) => {
    if (result.stopped) return fail(p, result.stopped);
    const r = await callWithRetry(() => connection.users.update(p.item.targetId, p.patch), policy);
    if (!r.ok) fail(p, r.error);
  };
  const updateMany = connection.users.updateMany?.bind(connection.users);
  if (!capabilities.bulk || !updateMany || todo.length < BULK_FROM) {
    await runPool(todo, 8, one);
    return result;
  }
  const size = Math.max(1, capabilities.bulkMaxItems);
  const chunks: ItemPlan[][] = [];
  for (let i = 0; i < todo.length; i += size) chunks.push(todo.slice(i, i + size));
  await runPool(chunks, Math.max(1, capabilities.bulkMaxInFlight), async (chunk) => {
    if (result.stopped) return chunk.forEach((p) => fail(p, result.stopped!));
    const r = await callWithRetry(() => updateMany(chunk.map((p) => ({ id: p.item.targetId, patch: p.patch }))), policy);
    if (!r.ok) return chunk.forEach((p) => fail(p, r.error));
    for (const [i, p] of chunk.entries()) {
      const item = r.value.find((x) => x.index === i);
      if (item?.ok) continue;
      // A transient per-item failure (or none reported): one single call settles it.
      if (item && !item.ok && item.error.class !== 'transient') fail(p, item.error);
      else await one(p);
    }
  });
  return result;
}
