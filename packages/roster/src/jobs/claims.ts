/**
 * Job claims: a job fetched by a worker that dies before its run records anything (before the
 * provisioning lease, with its scope, is taken) is sent again within seconds, not after pg-boss's
 * expiry. The worker records a claim {job id, holder} as the very first step of every job of a
 * claimed queue (runtime/worker.ts); every worker's watchdog (provisioning/run/watchdog.ts)
 * calls {@link recoverLostJobs}, which sends again:
 *
 * - the jobs of unfinished claims whose holder is gone (the same test as leases: the PostgreSQL
 *   session's advisory lock is released, or a PGlite process of an earlier boot), and
 * - jobs of claimed queues that are `active` in pg-boss with no claim at all for
 *   {@link UNCLAIMED_GRACE_SECONDS}: the worker died between pg-boss's fetch and the claim.
 *
 * Each such job is cancelled in pg-boss (so its own expiry does not run it a second time) and sent
 * again with the queue's options, in one transaction. A run resent while its first run still lives
 * (a worker stalled past the grace) is harmless: runs take the application's lease and re-plan
 * from links, so a second run only finds nothing left to do.
 */
import { type SQL, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { Db, Executor } from '../db/database.ts';
import { anyOf } from '../db/any-of.ts';
import { jobClaims } from '../db/job-claims-schema.ts';
import { holderGone, holderOf } from '../provisioning/run/lease-holder.ts';
import { type Queue, enqueue } from './queue.ts';

/** An active job with no claim after this long was fetched by a worker that died before claiming it. */
export const UNCLAIMED_GRACE_SECONDS = 5;
/** Finished claims are kept this long (pg-boss has completed their jobs by then), then deleted. */
const FINISHED_KEEP_SECONDS = 60;

export interface LostJob {
  jobId: string;
  queue: string;
  /** `holder_gone`: claimed by a process that died; `unclaimed`: fetched and never claimed. */
  why: 'holder_gone' | 'unclaimed';
  /** The id of the job sent in its place. */
  resentAs: string | null;
}

/** Records that this process holds these jobs (upsert: pg-boss keeps a job's id across retries). */
export async function claimJobs(db: Db, queue: string, jobs: readonly { id: string; data: unknown }[]): Promise<void> {
  if (jobs.length === 0) return;
  const holder = holderOf(db);
  await db
    .insert(jobClaims)
    .values(jobs.map((j) => ({ jobId: j.id, queue, data: (j.data ?? {}) as Record<string, unknown>, holder })))
    .onConflictDoUpdate({ target: jobClaims.jobId, set: { holder: sql`excluded.holder`, data: sql`excluded.data`, claimedAt: sql`now()`, finishedAt: sql`null` } });
}

/** The handler returned or threw: pg-boss completes or retries the jobs itself. */
export async function finishClaims(db: Db, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.update(jobClaims).set({ finishedAt: sql`now()` }).where(anyOf(jobClaims.jobId, jobIds));
}

/** Sends again the jobs of claimed queues whose worker died (see the file's comment). `resend`: the claimed queues and their send options. */
export async function recoverLostJobs(executor: Executor, queue: Queue, resend: ReadonlyMap<string, PgBoss.SendOptions>): Promise<LostJob[]> {
  if (resend.size === 0) return [];
  await executor.execute(sql`delete from job_claims where finished_at < now() - make_interval(secs => ${FINISHED_KEEP_SECONDS})`);
  const dead = await rows<{ job_id: string; queue: string; data: Record<string, unknown> }>(
    executor,
    sql`delete from job_claims where finished_at is null and holder is not null and ${holderGone(sql`holder`)} returning job_id, queue, data`,
  );
  const unclaimed = await rows<{ id: string; name: string; data: Record<string, unknown> }>(executor, sql`
    select j.id, j.name, j.data from pgboss.job j
    where j.state = 'active' and ${anyOf(sql`j.name`, [...resend.keys()], 'text')} and j.started_on < now() - make_interval(secs => ${UNCLAIMED_GRACE_SECONDS})
      and not exists (select 1 from job_claims c where c.job_id = j.id)`);
  const candidates = [
    ...dead.map((r) => ({ jobId: r.job_id, queue: r.queue, data: r.data, why: 'holder_gone' as const })),
    ...unclaimed.map((r) => ({ jobId: r.id, queue: r.name, data: r.data, why: 'unclaimed' as const })),
  ];
  const out: LostJob[] = [];
  for (const c of candidates) {
    const options = resend.get(c.queue);
    if (!options) continue;
    // Only a job still active is ours to replace (one pg-boss already expired and retried runs again by itself); the state check also keeps two watchdogs from both sending it.
    const cancelled = await rows<{ id: string }>(executor, sql`update pgboss.job set state = 'cancelled', completed_on = now() where id = ${c.jobId}::uuid and name = ${c.queue} and state = 'active' returning id`);
    if (cancelled.length === 0) continue;
    const resentAs = await enqueue(queue, executor, c.queue, c.data ?? {}, options);
    out.push({ jobId: c.jobId, queue: c.queue, why: c.why, resentAs });
  }
  return out;
}

async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
}
