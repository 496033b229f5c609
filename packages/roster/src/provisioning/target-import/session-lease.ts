/**
 * One worker at a time per import session. The lease lives in `progress.lease` (runner, heartbeat)
 * and never bumps `version`, which is the admins' (If-Match on confirm and cancel). It also names
 * the process holding it (run/lease-holder.ts): a killed worker's lease is dead as soon as its
 * holder is gone (seconds), and any worker's watchdog enqueues the session again at once
 * (`resumeLostImports`). A hung worker stops renewing; after `staleMs` it is taken over as well.
 */
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { holderGone, holderOf } from '../run/lease-holder.ts';
import { type ImportJobData, importQueue } from './import-queue.ts';

/** How long a silent lease holds. Every batch renews it, and batches are a few seconds long. */
export const LEASE_STALE_MS = 120_000;

/** Takes (or keeps) the lease; false while another runner's lease is fresh. */
export async function acquireLease(executor: Executor, sessionId: string, runner: string, staleMs = LEASE_STALE_MS): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`update import_sessions set progress = progress || jsonb_build_object('lease', jsonb_build_object('runner', ${runner}::text, 'at', now(), 'holder', ${holderOf(executor as Db)}::text))
        where id = ${sessionId} and (progress->'lease' is null or progress->'lease'->>'runner' = ${runner} or ${leaseGone(staleMs)})
        returning id`,
  );
  return rows.length === 1;
}

/** Renews the lease; false when another runner took it over. */
export async function renewLease(executor: Executor, sessionId: string, runner: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`update import_sessions set progress = jsonb_set(progress, '{lease,at}', to_jsonb(now()))
        where id = ${sessionId} and progress->'lease'->>'runner' = ${runner} returning id`,
  );
  return rows.length === 1;
}

export async function releaseLease(executor: Executor, sessionId: string, runner: string): Promise<void> {
  await executor.execute(sql`update import_sessions set progress = progress - 'lease' where id = ${sessionId} and progress->'lease'->>'runner' = ${runner}`);
}

/** SQL true when the session's lease belongs to a dead worker: its holder is gone, or it was not renewed for `staleMs`. */
function leaseGone(staleMs: number) {
  return sql`((progress->'lease'->>'at')::timestamptz < now() - make_interval(secs => ${staleMs / 1000}) or ${holderGone(sql`(progress->'lease'->>'holder')`)})`;
}

/**
 * Enqueues again, at once, every session being read or applied whose lease holder died, unless a job
 * for it is already waiting. The new job takes the dead lease over and resumes where the committed
 * batches stopped. Returns the sessions with a job waiting for them.
 */
export async function resumeLostImports(executor: Executor, queue: Queue): Promise<string[]> {
  const rows = await queryRows<{ id: string; status: string; queued: boolean }>(
    executor,
    sql`select s.id, s.status, exists (
          select 1 from pgboss.job j where j.name = ${importQueue} and j.state in ('created', 'retry') and j.data->>'sessionId' = s.id::text
        ) as queued
        from import_sessions s
        where s.status in ('reading', 'applying') and s.progress->'lease' is not null and ${leaseGone(LEASE_STALE_MS)}`,
  );
  for (const r of rows) {
    if (r.queued) continue;
    const data: ImportJobData = { sessionId: r.id, phase: r.status === 'reading' ? 'read' : 'apply' };
    await enqueue(queue, executor, importQueue, data, { expireInHours: 12, retryLimit: 5, retryDelay: 30 });
  }
  return rows.map((r) => r.id);
}
