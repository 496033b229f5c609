/**
 * One worker at a time per import session. The lease lives in `progress.lease` (runner, heartbeat)
 * and never bumps `version`, which is the admins' (If-Match on confirm and cancel). A worker that
 * dies stops renewing; after `staleMs` another worker takes the session over and resumes it.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { queryRows } from '../../directory/write-helpers.ts';

/** How long a silent lease holds. Every batch renews it, and batches are a few seconds long. */
export const LEASE_STALE_MS = 120_000;

/** Takes (or keeps) the lease; false while another runner's lease is fresh. */
export async function acquireLease(executor: Executor, sessionId: string, runner: string, staleMs = LEASE_STALE_MS): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`update import_sessions set progress = progress || jsonb_build_object('lease', jsonb_build_object('runner', ${runner}::text, 'at', now()))
        where id = ${sessionId} and (progress->'lease' is null or progress->'lease'->>'runner' = ${runner}
          or (progress->'lease'->>'at')::timestamptz < now() - make_interval(secs => ${staleMs / 1000}))
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
