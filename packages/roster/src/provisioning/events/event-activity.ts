/**
 * Provisioning activity over time, for the Overview's chart: the log of one application counted
 * per hour or per day (UTC) in one set-based query — every bucket of the range is present
 * (generate_series), counted with `count(*) filter (…)`, nothing summed row by row in JS.
 * Read-only: it only reads provisioning_events.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';

export const activityBuckets = ['hour', 'day'] as const;
export type ActivityBucket = (typeof activityBuckets)[number];

/** At most this many buckets in one answer (two weeks per hour, over a year per day). */
export const MAX_ACTIVITY_BUCKETS = 400;

export const activityPointSchema = z.object({
  /** Start of the bucket, ISO 8601 UTC. */
  at: z.iso.datetime(),
  created: z.number().int(),
  updated: z.number().int(),
  suspended: z.number().int(),
  deleted: z.number().int(),
  /** Events that failed, whatever their action. */
  failed: z.number().int(),
});
export type ActivityPoint = z.infer<typeof activityPointSchema>;

export const activitySchema = z.object({
  bucket: z.enum(activityBuckets),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  points: z.array(activityPointSchema),
  totals: activityPointSchema.omit({ at: true }),
});
export type Activity = z.infer<typeof activitySchema>;

const STEP: Record<ActivityBucket, string> = { hour: '1 hour', day: '1 day' };

/** Start of the bucket holding `d` (UTC). */
export function bucketStart(d: Date, bucket: ActivityBucket): Date {
  const t = new Date(d);
  t.setUTCMinutes(0, 0, 0);
  if (bucket === 'day') t.setUTCHours(0);
  return t;
}

/** Number of buckets between two bucket starts, `to` excluded. */
export const bucketCount = (from: Date, to: Date, bucket: ActivityBucket): number => Math.ceil((to.getTime() - bucketStart(from, bucket).getTime()) / (bucket === 'hour' ? 3_600_000 : 86_400_000));

/**
 * Successful creates, updates, suspensions and deletions, and failures, per bucket of [from, to).
 * `from` is rounded down to its bucket's start so the first bar is a whole hour or day.
 */
export async function provisioningActivity(executor: Executor, applicationId: string, from: Date, to: Date, bucket: ActivityBucket): Promise<Activity> {
  const start = bucketStart(from, bucket);
  const unit = sql.raw(`'${bucket}'`);
  const step = sql.raw(`interval '${STEP[bucket]}'`);
  const result = (await executor.execute(sql`
    with buckets as (
      select generate_series(${start.toISOString()}::timestamptz at time zone 'UTC', (${to.toISOString()}::timestamptz at time zone 'UTC') - interval '1 microsecond', ${step}) as bucket
    ), counted as (
      select date_trunc(${unit}, at at time zone 'UTC') as bucket,
        count(*) filter (where status = 'success' and action = 'create') as created,
        count(*) filter (where status = 'success' and action = 'update') as updated,
        count(*) filter (where status = 'success' and action = 'suspend') as suspended,
        count(*) filter (where status = 'success' and action = 'delete') as deleted,
        count(*) filter (where status = 'failed') as failed
      from provisioning_events
      where application_id = ${applicationId} and at >= ${start.toISOString()}::timestamptz and at < ${to.toISOString()}::timestamptz
      group by 1
    )
    select to_char(b.bucket, 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') as at,
      coalesce(c.created, 0)::int as created, coalesce(c.updated, 0)::int as updated, coalesce(c.suspended, 0)::int as suspended,
      coalesce(c.deleted, 0)::int as deleted, coalesce(c.failed, 0)::int as failed
    from buckets b left join counted c on c.bucket = b.bucket
    order by b.bucket`)) as unknown as { rows: ActivityPoint[] };
  const points = result.rows.map((r) => ({ at: r.at, created: Number(r.created), updated: Number(r.updated), suspended: Number(r.suspended), deleted: Number(r.deleted), failed: Number(r.failed) }));
  const totals = { created: 0, updated: 0, suspended: 0, deleted: 0, failed: 0 };
  for (const p of points) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += p[k];
  return { bucket, from: start.toISOString(), to: to.toISOString(), points, totals };
}
