/**
 * Job claims (issue 11, a worker killed between fetching a job and taking its lease): every worker
 * records which process holds each job it fetched, as its first step, with the same holder string
 * leases carry (provisioning/run/lease-holder.ts). A claim whose holder died names a job nobody
 * runs any more: the watchdog sends it again at once (jobs/claims.ts) instead of leaving it to
 * pg-boss's expiry.
 */
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const jobClaims = pgTable(
  'job_claims',
  {
    /** The pg-boss job id (pg-boss keeps it across retries). */
    jobId: uuid('job_id').primaryKey(),
    /** The pg-boss queue (job name). */
    queue: text('queue').notNull(),
    /** The job's payload, to send it again. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** `pg:<key>:<pid>` or `boot:<id>:<pid>`, as in leases; null when no lease holder runs (then only pg-boss's expiry applies). */
    holder: text('holder'),
    claimedAt: ts('claimed_at').notNull().defaultNow(),
    /** Set when the handler returned or threw (pg-boss then completes or retries the job itself). */
    finishedAt: ts('finished_at'),
  },
  (t) => [index('job_claims_finished_idx').on(t.finishedAt)],
);
