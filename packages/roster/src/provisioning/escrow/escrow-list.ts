/**
 * Escrow as admins see it: the objects whose last action failed, how often, when the next attempt
 * is due and the last error with its advice; and "retry now" for all of them or a chosen few.
 */
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import { z } from 'zod';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Executor } from '../../db/database.ts';
import { provisioningRetries } from '../../db/provisioning-schema.ts';
import { groups, users } from '../../db/schema.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import type { SyncJobData } from '../triggers/job-names.ts';
import { provisioningQueues, syncJobOptions } from '../triggers/job-names.ts';

export const escrowItemSchema = z.object({
  objectType: z.string(),
  directoryId: z.string(),
  /** Email of a user, name of a group; null once the object was deleted from the directory. */
  identity: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime(),
  lastError: z.object({ code: z.string(), message: z.string(), advice: z.string().nullable(), class: z.string().nullable() }).nullable(),
  updatedAt: z.iso.datetime(),
});
export type EscrowItem = z.infer<typeof escrowItemSchema>;

/** Sort key of the list: next attempt first, then object id. */
export interface EscrowCursor {
  nextAttemptAt: Date;
  directoryId: string;
}

export async function listEscrow(executor: Executor, applicationId: string, limit: number, after?: EscrowCursor): Promise<EscrowItem[]> {
  const r = provisioningRetries;
  const rows = await executor
    .select({ row: r, email: users.email, groupName: groups.name })
    .from(r)
    .leftJoin(users, and(eq(r.objectType, 'user'), eq(users.id, r.directoryId)))
    .leftJoin(groups, and(eq(r.objectType, 'group'), eq(groups.id, r.directoryId)))
    .where(and(eq(r.applicationId, applicationId), after ? or(gt(r.nextAttemptAt, after.nextAttemptAt), and(eq(r.nextAttemptAt, after.nextAttemptAt), gt(r.directoryId, after.directoryId))) : undefined))
    .orderBy(asc(r.nextAttemptAt), asc(r.directoryId))
    .limit(limit);
  return rows.map(({ row, email, groupName }) => ({
    objectType: row.objectType,
    directoryId: row.directoryId,
    identity: email ?? groupName ?? null,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError ? lastErrorOf(row.lastError) : null,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

const lastErrorOf = (e: Record<string, unknown>) => ({
  code: String(e['code'] ?? 'unknown'),
  message: String(e['message'] ?? ''),
  advice: typeof e['advice'] === 'string' ? e['advice'] : null,
  class: typeof e['class'] === 'string' ? e['class'] : null,
});

/** How long a retried user is claimed while its sync job waits (as the tick claims them). */
const CLAIM_SECONDS = 300;

/**
 * Makes the chosen escrowed users (all when `directoryIds` is absent) due now and queues their sync
 * at once, whatever the application's state: an admin asking is reason enough, even in quarantine.
 * Returns the users queued.
 */
export async function retryEscrowNow(db: Db, queue: Queue | undefined, principal: Principal, applicationId: string, directoryIds: readonly string[] | undefined, requestId?: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    await findAppRow(tx, applicationId);
    const r = provisioningRetries;
    const claimed = await tx
      .update(r)
      .set({ nextAttemptAt: queue ? sql`now() + make_interval(secs => ${CLAIM_SECONDS})` : sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(r.applicationId, applicationId), eq(r.objectType, 'user'), directoryIds ? anyOf(r.directoryId, directoryIds) : undefined))
      .returning({ directoryId: r.directoryId });
    const ids = claimed.map((c) => c.directoryId);
    if (queue && ids.length) {
      for (let i = 0; i < ids.length; i += 500) await enqueue(queue, tx, provisioningQueues.sync, { applicationId, userIds: ids.slice(i, i + 500) } satisfies SyncJobData, syncJobOptions);
    }
    await recordAudit(tx, principal, { action: 'provisioning.escrow.retry', targetType: 'application', targetId: applicationId, after: { requested: directoryIds ?? 'all', queued: ids.length } }, requestId);
    return ids;
  });
}
