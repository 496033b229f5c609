/**
 * The target half of applying a batch: the accounts that need their external id (or, with source
 * profile `directory`, the directory's values) get it through the engine's one target writer
 * (apply/target-writer.ts: bulk `update_many` jobs and single updates at the same time, paced by
 * the shared pacer, retried by error class). Runs before the directory transaction, so a link is
 * written only for what the target confirmed.
 */
import type { Capabilities, Connection, ConnectorError } from '../../connectors/contract.ts';
import { writeUsers } from '../apply/target-writer.ts';
import type { ItemPlan } from './plan-item.ts';

export interface TargetWriteResult {
  /** Items the target refused, by target id. */
  failed: Map<string, ConnectorError>;
  /** A configuration error (credentials, permissions): the apply stops, items stay pending. */
  stopped: ConnectorError | null;
}

export async function writeTarget(connection: Connection, capabilities: Capabilities, plans: readonly ItemPlan[], sleep: (ms: number) => Promise<void>, now: () => number = Date.now): Promise<TargetWriteResult> {
  const result: TargetWriteResult = { failed: new Map(), stopped: null };
  const fail = (p: ItemPlan, e: ConnectorError) => {
    if (e.class === 'configuration') result.stopped ??= e;
    result.failed.set(p.item.targetId, e);
  };
  const todo = plans.filter((p) => Object.keys(p.patch).length > 0);
  await writeUsers({ connection, capabilities, sleep, now }, todo, (p) => ({ kind: 'update', id: p.item.targetId, patch: p.patch }), {
    go: () => !result.stopped,
    held: (rest) => rest.forEach((p) => fail(p, result.stopped!)),
    done: async (results) => results.forEach((r) => (r.ok ? undefined : fail(r.item, r.error))),
  });
  return result;
}
