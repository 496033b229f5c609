/**
 * What the deletion threshold is measured against, read from the database: the provisioned users
 * of an application, and the removals applied in the burst window (for incremental batches, whose
 * removals are counted together with those applied just before them).
 */
import { and, eq, gt, inArray, max, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { links, provisioningEvents, provisioningPlans } from '../../db/provisioning-schema.ts';

/**
 * Incremental removals applied in the last BURST_MINUTES count toward the threshold with the batch
 * at hand: many small batches (a group unassigned member by member, a feed deactivating a
 * department row by row) are caught like one large cycle.
 */
export const BURST_MINUTES = 10;

/** Users with a link in state provisioned or suspended: the base of the percentage. */
export async function countProvisioned(executor: Executor, applicationId: string): Promise<number> {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(links)
    .where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), inArray(links.state, ['provisioned', 'suspended'])));
  return row?.n ?? 0;
}

/**
 * User suspends and deletes applied successfully in the burst window, not counting those an admin
 * allowed or approved (anything applied before the application's last applied plan was done).
 */
export async function countRecentRemovals(executor: Executor, applicationId: string): Promise<number> {
  const [decided] = await executor
    .select({ at: max(provisioningPlans.updatedAt) })
    .from(provisioningPlans)
    .where(and(eq(provisioningPlans.applicationId, applicationId), eq(provisioningPlans.status, 'applied')));
  const e = provisioningEvents;
  const since = sql`now() - make_interval(mins => ${BURST_MINUTES})`;
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(e)
    .where(
      and(
        eq(e.applicationId, applicationId),
        eq(e.objectType, 'user'),
        inArray(e.action, ['delete', 'suspend']),
        eq(e.status, 'success'),
        gt(e.at, since),
        decided?.at ? gt(e.at, decided.at) : undefined,
      ),
    );
  return row?.n ?? 0;
}
