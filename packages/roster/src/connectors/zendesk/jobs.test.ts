import { describe, expect, it } from 'vitest';
import { ok } from '../../errors/result.ts';
import type { ConnectorDeps } from '../contract.ts';
import type { HttpRequest, ZendeskHttp } from './http.ts';
import { createJobRunner } from './jobs.ts';
import { fakeClock } from '../../../test/fake-clock.ts';

interface Pace {
  queueDelayMs: number;
  perItemMs: number;
  /** Jobs worked at once; the others wait their turn (Zendesk's default is one). */
  concurrency: number;
  /** One way of every request. */
  latencyMs: number;
  /** Requests per minute the target accepts (one after another, evenly); unlimited when absent. */
  perMinute?: number;
  /** Work stops for this long after `stallAfterItems` items of the first job (a slow target). */
  stall?: { afterItems: number; ms: number };
}

/** A target's job queue on the fake clock, answering `create_many` and `show_many` as Zendesk does. */
function simulatedJobs(clock: ReturnType<typeof fakeClock>, pace: Pace) {
  const runners = Array.from({ length: pace.concurrency }, () => 0);
  const jobs = new Map<string, { total: number; start: number; finish: number }>();
  const stats = { polls: 0, submits: 0 };
  let ids = 0;
  let nextSlot = 0;
  const arrive = async () => {
    await clock.sleep(pace.latencyMs);
    if (!pace.perMinute) return;
    const at = Math.max(clock.now(), nextSlot);
    nextSlot = at + 60_000 / pace.perMinute;
    if (at > clock.now()) await clock.sleep(at - clock.now());
  };
  const statusAt = (id: string, t: number) => {
    const j = jobs.get(id)!;
    if (t >= j.finish) return { id, status: 'completed', total: j.total, progress: j.total, results: [] };
    if (t < j.start) return { id, status: 'queued', total: j.total, progress: null, results: null };
    const stall = pace.stall && id === 'job-1' ? pace.stall : null;
    const worked = stall && t >= j.start + stall.afterItems * pace.perItemMs ? Math.max(stall.afterItems * pace.perItemMs, t - j.start - stall.ms) : t - j.start;
    return { id, status: 'working', total: j.total, progress: Math.min(j.total - 1, Math.floor(worked / pace.perItemMs)), results: null };
  };
  const http: ZendeskHttp = {
    baseUrl: 'https://example.zendesk.com',
    async send(req: HttpRequest) {
      await arrive();
      stats.submits += 1;
      const id = `job-${++ids}`;
      const total = (req.body as { users: unknown[] }).users.length;
      runners.sort((a, b) => a - b);
      const start = Math.max(clock.now() + pace.queueDelayMs, runners[0]!);
      const finish = start + total * pace.perItemMs + (pace.stall && id === 'job-1' ? pace.stall.ms : 0);
      runners[0] = finish;
      jobs.set(id, { total, start, finish });
      const reply = { status: 200, body: { job_status: { id, status: 'queued', total, progress: null } }, headers: new Headers() };
      await clock.sleep(pace.latencyMs);
      return ok(reply);
    },
    async json<T>(req: HttpRequest) {
      await arrive();
      stats.polls += 1;
      const answer = { job_statuses: String(req.query?.['ids']).split(',').map((id) => statusAt(id, clock.now())) };
      await clock.sleep(pace.latencyMs);
      return ok(answer as T);
    },
  };
  return { http, jobs, stats };
}

const depsOf = (clock: ReturnType<typeof fakeClock>): ConnectorDeps => ({
  fetch: (() => {
    throw new Error('no network in this test');
  }) as unknown as typeof fetch,
  now: clock.now,
  sleep: clock.sleep,
  pacer: { acquire: async () => {}, observe: () => {} },
});

/** `workers` submitters, each running its share of `jobCount` jobs of `size` users one after another. */
async function simulate(pace: Pace, jobCount: number, size: number, workers: number) {
  const clock = fakeClock();
  const target = simulatedJobs(clock, pace);
  const runner = createJobRunner(target.http, depsOf(clock), { pollIntervalMs: 1000, maxInFlight: 30 });
  const lags: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobCount) {
      next += 1;
      const r = await runner.run({ method: 'POST', path: '/api/v2/users/create_many', body: { users: Array.from({ length: size }, (_, i) => ({ external_id: `u${i}` })) } });
      if (!r.ok) throw new Error(r.error.message);
      // Seen finished this long after the target finished it.
      lags.push(clock.now() - target.jobs.get(r.value.id)!.finish);
    }
  };
  await clock.run(Promise.all(Array.from({ length: workers }, worker)));
  // The first jobs teach the pace (polled every interval until two answers show progress).
  const learned = lags.slice(workers).sort((a, b) => a - b);
  return { lags, first: Math.max(...lags.slice(0, workers)), mean: learned.reduce((a, b) => a + b, 0) / learned.length, p95: learned[Math.floor(learned.length * 0.95)]!, max: learned[learned.length - 1]!, stats: target.stats, wallMs: clock.now() };
}

describe('bulk jobs polled when they should be finished', () => {
  it('30 jobs at once (3 s queue + 70 ms per user), 700 requests/min: seen finished 0.2 s after the end on average, about one poll per job', async () => {
    const r = await simulate({ queueDelayMs: 3000, perItemMs: 70, concurrency: 30, latencyMs: 5, perMinute: 700 }, 300, 100, 30);
    expect(r.lags).toHaveLength(300);
    expect(Math.min(...r.lags)).toBeGreaterThanOrEqual(0);
    // A fixed 1 s interval sees a job finished 0.5 s late on average, up to 1 s.
    expect(r.first).toBeLessThanOrEqual(1100);
    // Polls and the next submissions queue at the target (86 ms apart) when jobs end close together.
    expect(r.mean).toBeLessThanOrEqual(200);
    expect(r.p95).toBeLessThanOrEqual(450);
    // About one poll per job (a fixed 1 s interval: one per second of the run, whatever finishes).
    expect(r.stats.polls).toBeLessThanOrEqual(300 * 1.5);
    // 300 jobs of 10 s, 30 at a time: ≥ 100 s, plus the submissions at 700/min.
    expect(r.wallMs).toBeLessThanOrEqual(100_000 * 1.06);
  });

  it('one job at a time (the default pace): jobs queued behind each other are not polled for it, each seen finished within 0.2 s', async () => {
    const r = await simulate({ queueDelayMs: 3000, perItemMs: 70, concurrency: 1, latencyMs: 5, perMinute: 700 }, 60, 100, 30);
    expect(r.lags).toHaveLength(60);
    expect(r.p95).toBeLessThanOrEqual(200);
    // 60 jobs of 7 s one after another: 423 s; about one poll per job, not one per second.
    expect(r.stats.polls).toBeLessThanOrEqual(60 * 1.5);
    expect(r.wallMs).toBeLessThanOrEqual(423_000 * 1.02);
  });

  it('slow jobs (2 s per user) are polled when due, not every second', async () => {
    const r = await simulate({ queueDelayMs: 1000, perItemMs: 2000, concurrency: 1, latencyMs: 5 }, 4, 50, 1);
    // 4 jobs of 101 s: a poll at most every 8 s (the bound), and one near each job's end.
    expect(r.stats.polls).toBeLessThanOrEqual(4 * (Math.ceil(101 / 8) + 3));
    // Within one item of the end (progress moves in whole items).
    expect(r.max).toBeLessThanOrEqual(2000 + 100);
  });

  it('a job that stalls past its prediction is polled with a bounded backoff (≤ 8 intervals apart) and seen when it ends', async () => {
    const clock = fakeClock();
    const target = simulatedJobs(clock, { queueDelayMs: 3000, perItemMs: 70, concurrency: 1, latencyMs: 5, stall: { afterItems: 50, ms: 60_000 } });
    const runner = createJobRunner(target.http, depsOf(clock), { pollIntervalMs: 1000, maxInFlight: 30 });
    const r = await clock.run(runner.run({ method: 'POST', path: '/api/v2/users/create_many', body: { users: Array.from({ length: 100 }, () => ({})) } }));
    expect(r.ok).toBe(true);
    const finish = target.jobs.get('job-1')!.finish;
    expect(clock.now() - finish).toBeGreaterThanOrEqual(0);
    expect(clock.now() - finish).toBeLessThanOrEqual(8000 + 20);
    // 70 s of waiting: a 1 s interval asks ~70 times; the backoff doubles up to 8 s.
    expect(target.stats.polls).toBeLessThanOrEqual(25);
    expect(target.stats.polls).toBeGreaterThanOrEqual(70_000 / 8000);
  });
});
