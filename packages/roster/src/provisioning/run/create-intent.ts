/**
 * Write-ahead intent for creates: before a run sends creates, its lease row records the users
 * (`scope.createIds`). A run that dies between the target's answer and the link leaves accounts no
 * link names; recovery (lost-runs.ts) re-plans exactly those users, so each is linked if still
 * wanted, or looked up by the external id its create carried and deprovisioned if not — and an
 * account Roster never created is never touched.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';

export async function recordCreateIntent(executor: Executor, cycleId: string, directoryIds: readonly string[]): Promise<void> {
  if (directoryIds.length === 0) return;
  await executor.execute(sql`
    update provisioning_cycles
    set scope = jsonb_set(coalesce(scope, '{}'::jsonb), '{createIds}', coalesce(scope -> 'createIds', '[]'::jsonb) || ${JSON.stringify(directoryIds)}::jsonb)
    where id = ${cycleId} and status = 'running'`);
}
