/**
 * Job claims on both drivers: a job fetched by a worker that died — before claiming it, or with its
 * claim naming a dead holder — is cancelled and sent again with its queue's options; a job claimed
 * by a live holder, or whose handler finished, is left alone; two watchdogs never both send one.
 * (The real kill in that window is provisioning/kill-window.integration.test.ts.)
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { jobClaims } from '../db/job-claims-schema.ts';
import { startLeaseHolder } from '../provisioning/run/lease-holder.ts';
import { UNCLAIMED_GRACE_SECONDS, claimJobs, finishClaims, recoverLostJobs } from './claims.ts';
import { ensureQueues, startQueue, type Queue } from './queue.ts';

const Q = 'claims-test';
const resend = new Map([[Q, { retryLimit: 2, expireInMinutes: 5 }]]);

describe.each(openTestDatabase.drivers())('job claims on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  let stopHolder: () => Promise<void>;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
    await ensureQueues(queue, [Q]);
    stopHolder = await startLeaseHolder(t.database);
  });
  afterAll(async () => {
    await stopHolder?.();
    await queue?.stop({ graceful: false, wait: true });
    await t?.close();
  });

  const db = () => t.database.db;
  /** Sends a job and fetches it, as a worker does: it is `active` from then on. */
  async function fetched(marker: string, startedSecondsAgo = 0): Promise<string> {
    await queue.send(Q, { marker });
    // A job an earlier test sent again may become fetchable only now (after its drain): completed and passed over.
    let job: { id: string; data: { marker: string } } | undefined;
    for (let tries = 0; tries < 5 && job?.data.marker !== marker; tries++) {
      [job] = (await queue.fetch<{ marker: string }>(Q)) ?? [];
      if (job && job.data.marker !== marker) await queue.complete(Q, job.id);
    }
    if (!job || job.data.marker !== marker) throw new Error('fetched another job');
    if (startedSecondsAgo) await db().execute(sql`update pgboss.job set started_on = now() - make_interval(secs => ${startedSecondsAgo}) where id = ${job.id}::uuid`);
    return job.id;
  }
  const state = async (id: string) => ((await db().execute(sql`select state from pgboss.job where id = ${id}::uuid`)) as unknown as { rows: { state: string }[] }).rows[0]?.state;
  const recover = () => db().transaction((tx) => recoverLostJobs(tx, queue, resend));
  const drain = async () => {
    for (;;) {
      const jobs = await queue.fetch(Q, { batchSize: 50 });
      if (!jobs?.length) return;
      await queue.complete(Q, jobs.map((j) => j.id));
    }
  };

  it('a job fetched and never claimed is sent again once the grace has passed, not before', async () => {
    await drain();
    const fresh = await fetched('fresh');
    expect(await recover()).toEqual([]);
    expect(await state(fresh)).toBe('active');
    await queue.complete(Q, fresh);

    const lost = await fetched('unclaimed', UNCLAIMED_GRACE_SECONDS + 1);
    const [r, ...more] = await recover();
    expect(more).toEqual([]);
    expect(r).toMatchObject({ jobId: lost, queue: Q, why: 'unclaimed' });
    expect(await state(lost)).toBe('cancelled');
    const again = await queue.getJobById(Q, r!.resentAs!);
    expect(again).toMatchObject({ state: 'created', data: { marker: 'unclaimed' }, retryLimit: 2 });
    // Done once: a second pass (another worker's watchdog) finds nothing to send.
    expect(await recover()).toEqual([]);
    await drain();
  });

  it('a claim whose holder died is sent again at once; a live holder’s claim and a finished one are left alone', async () => {
    await drain();
    const live = await fetched('live', 3_600);
    await claimJobs(db(), Q, [{ id: live, data: { marker: 'live' } }]);
    expect((await db().select().from(jobClaims).where(sql`job_id = ${live}::uuid`))[0]?.holder).toMatch(driver === 'postgres' ? /^pg:\d+:\d+$/ : /^boot:/);
    const done = await fetched('done', 3_600);
    await claimJobs(db(), Q, [{ id: done, data: { marker: 'done' } }]);
    await finishClaims(db(), [done]);
    const dead = await fetched('dead');
    // As a process of an earlier boot (PGlite), or one whose session is gone (PostgreSQL), wrote it.
    await db().insert(jobClaims).values({ jobId: dead, queue: Q, data: { marker: 'dead' }, holder: driver === 'postgres' ? 'pg:12345:1' : 'boot:00000000-0000-0000-0000-000000000000:1' });

    const recovered = await recover();
    expect(recovered.map((r) => [r.jobId, r.why])).toEqual([[dead, 'holder_gone']]);
    expect(await state(dead)).toBe('cancelled');
    expect((await queue.getJobById(Q, recovered[0]!.resentAs!))?.data).toEqual({ marker: 'dead' });
    expect(await state(live)).toBe('active');
    expect(await state(done)).toBe('active');
    expect(await db().select().from(jobClaims).where(sql`job_id = ${dead}::uuid`)).toEqual([]);
    await queue.complete(Q, [live, done]);
    await drain();
  });
});
