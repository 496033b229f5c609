/**
 * The minute tick: requests due periodic cycles, turns due escrow rows into incremental syncs,
 * and (as a backstop to every worker's watchdog) closes runs lost with their worker, handing their scope on.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs, provisioningRetries } from '../../db/provisioning-schema.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { type SyncJobData, provisioningQueues, syncJobOptions } from './job-names.ts';
import { recoverLostRuns } from '../run/lost-runs.ts';
import { requestCycle } from './request-cycle.ts';

/** Escrowed users are claimed for this long while their sync job waits; its outcome then sets the next attempt. */
const CLAIM_SECONDS = 300;

export async function tick(db: Db, queue: Queue): Promise<void> {
  await db.transaction(async (tx) => {
    // Every worker's watchdog does this within seconds; the tick is the backstop.
    await recoverLostRuns(tx, queue);

    const due = await tx
      .update(provisioningConfigs)
      .set({ nextCycleAt: sql`now() + make_interval(mins => coalesce((${provisioningConfigs.settings}->>'cycleIntervalMinutes')::int, 40))` })
      .where(and(eq(provisioningConfigs.enabled, true), inArray(provisioningConfigs.state, ['idle', 'quarantined']), lte(provisioningConfigs.nextCycleAt, sql`now()`)))
      .returning({ applicationId: provisioningConfigs.applicationId });
    for (const d of due) await requestCycle(tx, queue, d.applicationId, 'periodic');

    const r = provisioningRetries;
    const claimed = await tx
      .update(r)
      .set({ nextAttemptAt: sql`now() + make_interval(secs => ${CLAIM_SECONDS})` })
      .where(
        and(
          lte(r.nextAttemptAt, sql`now()`),
          eq(r.objectType, 'user'),
          // A quarantined application's escrow waits for its slowed full cycles, which reconcile every user.
          inArray(r.applicationId, tx.select({ id: provisioningConfigs.applicationId }).from(provisioningConfigs).where(and(eq(provisioningConfigs.enabled, true), inArray(provisioningConfigs.state, ['idle', 'running'])))),
        ),
      )
      .returning({ applicationId: r.applicationId, directoryId: r.directoryId });
    const byApp = new Map<string, string[]>();
    for (const c of claimed) byApp.set(c.applicationId, [...(byApp.get(c.applicationId) ?? []), c.directoryId]);
    for (const [applicationId, userIds] of byApp) {
      await enqueue(queue, tx, provisioningQueues.sync, { applicationId, userIds } satisfies SyncJobData, syncJobOptions);
    }
  });
}
