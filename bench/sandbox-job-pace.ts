/**
 * Bulk jobs run at the configured pace (API-NOTES §5: ~3 s queue delay, ~70 ms per user, one job
 * at a time per account). Submits JOBS create_many jobs back to back, polls job_statuses, and
 * compares each job's observed start and completion with the schedule the pace implies:
 * ready = submitted + queueDelay; start = max(ready, previous finish); finish = start + n × perItem.
 * Target: every completion within 5 % of its expected time from submission.
 * Run: `npx tsx bench/sandbox-job-pace.ts`.
 */
import { control, isMain, keepAliveClient, loadAverage, printTable, startSandboxProcess, SUBDOMAIN, type BenchRow } from './sandbox-common.ts';

const PACE = { queueDelayMs: 3000, perItemMs: 70, concurrency: 1 };
const JOBS = 3;
const USERS_PER_JOB = 50;
const POLL_MS = 20;
const MAX_ERROR = 0.05;

interface Tracked {
  readonly id: string;
  readonly submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export async function runJobPace(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const sandbox = await startSandboxProcess();
  try {
    await control(sandbox.url, 'PATCH', `/__sandbox/accounts/${SUBDOMAIN}`, { pace: PACE });
    const client = keepAliveClient(sandbox.url, 4);
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const jobs: Tracked[] = [];
    for (let j = 0; j < JOBS; j++) {
      const users = Array.from({ length: USERS_PER_JOB }, (_, i) => ({ name: `Pace ${j}-${i}`, email: `pace-${j}-${i}@bench.test` }));
      const before = now();
      const r = await client.call('POST', '/api/v2/users/create_many', { users });
      const after = now();
      if (r.status !== 200) throw new Error(`create_many → ${r.status} ${r.body.slice(0, 200)}`);
      jobs.push({ id: (JSON.parse(r.body) as { job_status: { id: string } }).job_status.id, submittedAt: (before + after) / 2, startedAt: null, finishedAt: null });
    }
    const deadline = now() + PACE.queueDelayMs + JOBS * (PACE.queueDelayMs + USERS_PER_JOB * PACE.perItemMs) * 2;
    while (jobs.some((j) => j.finishedAt === null) && now() < deadline) {
      const before = now();
      const r = await client.call('GET', `/api/v2/job_statuses/show_many?ids=${jobs.map((j) => j.id).join(',')}`);
      const at = (before + now()) / 2;
      const statuses = (JSON.parse(r.body) as { job_statuses: Array<{ id: string; status: string; results: unknown[] | null }> }).job_statuses;
      for (const s of statuses) {
        const job = jobs.find((j) => j.id === s.id) as Tracked;
        if (job.startedAt === null && s.status !== 'queued') job.startedAt = at;
        if (job.finishedAt === null && s.status === 'completed') {
          if (s.results?.length !== USERS_PER_JOB) throw new Error(`job ${s.id} completed with ${s.results?.length} results`);
          job.finishedAt = at;
        }
        if (s.status === 'failed') throw new Error(`job ${s.id} failed`);
      }
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
    client.close();

    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let previousFinish = 0;
    let worst = 0;
    for (const [k, job] of jobs.entries()) {
      if (job.finishedAt === null || job.startedAt === null) throw new Error(`job ${job.id} did not finish in time`);
      const expectedStart = Math.max(job.submittedAt + PACE.queueDelayMs, previousFinish);
      const expectedFinish = expectedStart + USERS_PER_JOB * PACE.perItemMs;
      previousFinish = expectedFinish;
      const expectedSpan = expectedFinish - job.submittedAt;
      const error = Math.abs(job.finishedAt - expectedFinish) / expectedSpan;
      worst = Math.max(worst, error);
      rows.push({
        bench: `job ${k + 1}: submit → completed`,
        measured: `${((job.finishedAt - job.submittedAt) / 1000).toFixed(2)} s (${(error * 100).toFixed(1)} % off)`,
        target: `${(expectedSpan / 1000).toFixed(2)} s ± 5 %`,
        ratio: error === 0 ? Infinity : MAX_ERROR / error,
      });
      notes.push(
        `job ${k + 1}: started ${((job.startedAt - job.submittedAt) / 1000).toFixed(2)} s after submit (expected ${((expectedStart - job.submittedAt) / 1000).toFixed(2)} s), ` +
          `ran ${(((job.finishedAt - job.startedAt) / USERS_PER_JOB)).toFixed(1)} ms/user (configured ${PACE.perItemMs})`,
      );
    }
    notes.unshift(sandbox.placement, `pace queueDelay ${PACE.queueDelayMs} ms, ${PACE.perItemMs} ms/user, concurrency ${PACE.concurrency}; ${JOBS} jobs × ${USERS_PER_JOB} users; polled every ${POLL_MS} ms (observation error ≤ ~${POLL_MS} ms + one round trip); worst error ${(worst * 100).toFixed(2)} %`);
    notes.push(loadAverage());
    return { rows, notes };
  } finally {
    await sandbox.stop();
  }
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await runJobPace();
  printTable('zendesk-sandbox bulk job pace', rows, notes);
}
