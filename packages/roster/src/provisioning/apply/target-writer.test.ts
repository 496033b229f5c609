import { describe, expect, it } from 'vitest';
import type { BulkItemResult, Capabilities, Connection, ConnectorResult, TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import { writeUsers, type WriteResult } from './target-writer.ts';
import { fakeClock } from '../../../test/fake-clock.ts';

interface TargetPace {
  /** Requests per minute (every request: single writes, job submissions, job polls). */
  perMinute: number;
  queueDelayMs: number;
  perItemMs: number;
  concurrency: number;
}

/** A target with a request budget and a bulk job runner (queue delay, per-user time, jobs at once), on the fake clock. */
function simulatedTarget(clock: ReturnType<typeof fakeClock>, pace: TargetPace) {
  let nextSlot = 0;
  const request = async () => {
    const at = Math.max(clock.now(), nextSlot);
    nextSlot = at + 60_000 / pace.perMinute;
    if (at > clock.now()) await clock.sleep(at - clock.now());
  };
  const runners: number[] = Array.from({ length: pace.concurrency }, () => 0);
  const written = new Map<string, number>();
  let ids = 0;
  const stats = { singles: 0, jobs: 0, requests: 0, reads: 0 };
  const save = (i: TargetUserInput): TargetUser => {
    written.set(i.externalId, (written.get(i.externalId) ?? 0) + 1);
    return { id: String(++ids), externalId: i.externalId, email: null, name: '', roleKey: i.roleKey, suspended: false, active: true, attributes: {} };
  };
  const job = async (n: number): Promise<void> => {
    await request();
    stats.requests += 1;
    stats.jobs += 1;
    const ready = clock.now() + pace.queueDelayMs;
    runners.sort((a, b) => a - b);
    const start = Math.max(ready, runners[0]!);
    runners[0] = start + n * pace.perItemMs;
    await clock.sleep(runners[0] - clock.now());
    // One status poll sees it finished.
    await request();
    stats.requests += 1;
  };
  const fail = (): never => {
    throw new Error('not used by this test');
  };
  const users = {
    create: async (input: TargetUserInput): Promise<ConnectorResult<TargetUser>> => {
      await request();
      stats.requests += 1;
      stats.singles += 1;
      return { ok: true, value: save(input) };
    },
    createMany: async (inputs: TargetUserInput[]): Promise<ConnectorResult<BulkItemResult[]>> => {
      await job(inputs.length);
      return { ok: true, value: inputs.map((i, index) => ({ index, ok: true as const, id: save(i).id, status: 'created' as const })) };
    },
    updateMany: async (patches: { id: string; patch: Partial<TargetUserInput> }[]): Promise<ConnectorResult<BulkItemResult[]>> => {
      await job(patches.length);
      for (const p of patches) written.set(p.id, (written.get(p.id) ?? 0) + 1);
      return { ok: true, value: patches.map((p, index) => ({ index, ok: true as const, id: p.id, status: 'updated' as const })) };
    },
    update: async (id: string): Promise<ConnectorResult<TargetUser>> => {
      await request();
      stats.requests += 1;
      stats.singles += 1;
      written.set(id, (written.get(id) ?? 0) + 1);
      return { ok: true, value: { id, externalId: id, email: null, name: '', roleKey: 'end-user', suspended: false, active: true, attributes: {} } };
    },
    delete: fail,
    list: fail,
    get: fail,
    getMany: fail,
    findBy: fail,
    findByMany: fail,
  };
  const connection = { users } as unknown as Connection;
  /** One read of up to 100 accounts (the identity recheck before a write). */
  const read = async (): Promise<void> => {
    await request();
    stats.requests += 1;
    stats.reads += 1;
  };
  return { connection, written, stats, read };
}

/**
 * The combined floor (bench/provisioning-floor.ts states the same): bulk finishes B = min(c/p, J·b/(q + b·p))
 * users per second after the queue delay; each job costs one request of the R per minute; the rest
 * of the budget writes one user per request. T = (N + B·(1 − 1/b)·q) / (B·(1 − 1/b) + R/60).
 */
function floorSeconds(n: number, pace: TargetPace, b: number, jobCap: number): number {
  const p = pace.perItemMs / 1000;
  const q = pace.queueDelayMs / 1000;
  const bulk = Math.min(pace.concurrency / p, (jobCap * b) / (q + b * p));
  const k = bulk * (1 - 1 / b);
  return (n + k * q) / (k + pace.perMinute / 60);
}

const caps: Capabilities = { bulk: true, bulkMaxItems: 100, bulkMaxInFlight: 30, groups: false, suspend: true, customRoles: false, groupMemberRoleKinds: 'all' };
const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ externalId: `u${i}`, roleKey: 'end-user', attributes: {} }));

async function simulate(n: number, pace: TargetPace) {
  const clock = fakeClock();
  const target = simulatedTarget(clock, pace);
  const results: WriteResult<TargetUserInput>[] = [];
  const queue = inputs(n);
  const sent = await clock.run(
    writeUsers({ connection: target.connection, capabilities: caps, sleep: clock.sleep, now: clock.now }, queue, (input) => ({ kind: 'create', input }), {
      go: () => true,
      held: () => undefined,
      done: async (r) => void results.push(...r),
    }),
  );
  return { wallS: clock.now() / 1000, floorS: floorSeconds(n, pace, 100, 30), sent, results, target, queue };
}

describe('target writer: bulk jobs and single calls at once', () => {
  it.each([
    ['one job at a time (Zendesk default pace)', 3_000, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 }],
    ['30 jobs at once', 100_000, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 30 }],
    ['slow jobs (0.5 s per user)', 2_000, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 500, concurrency: 1 }],
    ['a small budget (100/min)', 3_000, { perMinute: 100, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 }],
  ])('%s: both channels used, each user written once, within 1.10× the combined floor', async (_label, n, pace) => {
    const r = await simulate(n, pace);
    expect(r.results).toHaveLength(n);
    expect(r.results.every((x) => x.ok)).toBe(true);
    expect(r.target.written.size).toBe(n);
    expect([...r.target.written.values()].every((count) => count === 1)).toBe(true);
    expect(r.sent.bulk).toBeGreaterThan(0);
    expect(r.sent.single).toBeGreaterThan(0);
    expect(r.sent.bulk + r.sent.single).toBe(n);
    // The writer took the array as its queue: nothing of it is held once written.
    expect(r.queue).toHaveLength(0);
    expect(r.wallS / r.floorS).toBeLessThanOrEqual(1.1);
  });

  it('a job whose submission failed at once (a connection the target had closed) does not count as the quickest job: the rest of the write keeps its pace', async () => {
    const n = 100_000;
    const pace = { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 30 };
    const clean = await simulate(n, pace);
    const clock = fakeClock();
    const target = simulatedTarget(clock, pace);
    const createMany = target.connection.users.createMany!;
    let submissions = 0;
    target.connection.users.createMany = async (batch) => {
      submissions += 1;
      if (submissions > 1) return createMany(batch);
      // As the Zendesk connector answers a submission lost on the way: every user unconfirmed, transient.
      const error = { code: 'zendesk.unreachable', class: 'transient' as const, message: 'socket closed', advice: 'retried' };
      return { ok: true, value: batch.map((_, index) => ({ index, ok: false as const, error })) };
    };
    const results: WriteResult<TargetUserInput>[] = [];
    await clock.run(
      writeUsers({ connection: target.connection, capabilities: caps, sleep: clock.sleep, now: clock.now }, inputs(n), (input) => ({ kind: 'create', input }), {
        go: () => true,
        held: () => undefined,
        done: async (r) => void results.push(...r),
      }),
    );
    expect(results.filter((x) => x.ok)).toHaveLength(n);
    expect([...target.written.values()].every((count) => count === 1)).toBe(true);
    // Its 100 users went by single calls, nothing more: when its 50 ms stood as the quickest job, the
    // single calls kept every lane for the rest of the write and took 1.24× as long.
    expect(clock.now() / 1000 / clean.wallS).toBeLessThanOrEqual(1.02);
  });

  it('the split follows the pace measured: more users by bulk when jobs run 30 at once than one at a time', async () => {
    const one = await simulate(3_000, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 });
    const many = await simulate(3_000, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 30 });
    expect(many.sent.bulk / 3_000).toBeGreaterThan(one.sent.bulk / 3_000);
    expect(one.sent.single).toBeGreaterThan(many.sent.single);
  });

  it('a target whose bulk call answers inline (`bulkInline`): jobs only, none of the users beside them in single calls, at most `bulkMaxInFlight` at once', async () => {
    const clock = fakeClock();
    const target = simulatedTarget(clock, { perMinute: 700, queueDelayMs: 0, perItemMs: 5, concurrency: 1 });
    let inFlight = 0;
    let most = 0;
    const createMany = target.connection.users.createMany!;
    target.connection.users.createMany = async (batch) => {
      most = Math.max(most, (inFlight += 1));
      const r = await createMany(batch);
      inFlight -= 1;
      return r;
    };
    const results: WriteResult<TargetUserInput>[] = [];
    const sent = await clock.run(
      writeUsers({ connection: target.connection, capabilities: { ...caps, bulkMaxInFlight: 2, bulkInline: true }, sleep: clock.sleep, now: clock.now }, inputs(1_050), (input) => ({ kind: 'create', input }), {
        go: () => true,
        held: () => undefined,
        done: async (r) => void results.push(...r),
      }),
    );
    expect(sent).toEqual({ bulk: 1_050, single: 0, jobs: 11 });
    expect(target.stats.singles).toBe(0);
    expect(most).toBe(2);
    expect(results.filter((x) => x.ok)).toHaveLength(1_050);
  });

  it('fewer users than a worthwhile job: single calls only', async () => {
    const r = await simulate(9, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 });
    expect(r.sent).toEqual({ bulk: 0, single: 9, jobs: 0 });
    expect(r.target.stats.jobs).toBe(0);
  });

  it('updates checked just before they are sent (one read per chunk) still reach the floor: single calls are checked a group at a time', async () => {
    const n = 3_000;
    const pace = { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 };
    const clock = fakeClock();
    const target = simulatedTarget(clock, pace);
    const checkedSizes: number[] = [];
    const results: WriteResult<string>[] = [];
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const sent = await clock.run(
      writeUsers({ connection: target.connection, capabilities: caps, sleep: clock.sleep, now: clock.now }, ids, (id) => ({ kind: 'update', id, patch: { attributes: { details: 'Care' } } }), {
        current: async (chunk) => {
          checkedSizes.push(chunk.length);
          await target.read();
          return chunk;
        },
        go: () => true,
        held: () => undefined,
        done: async (r) => void results.push(...r),
      }),
    );
    expect(results).toHaveLength(n);
    expect([...target.written.values()].every((count) => count === 1)).toBe(true);
    expect(target.written.size).toBe(n);
    expect(sent.bulk).toBeGreaterThan(0);
    expect(sent.single).toBeGreaterThan(0);
    // Every user was checked before its write, singles a group at a time (not one read per user).
    expect(checkedSizes.reduce((a, b) => a + b, 0)).toBe(n);
    expect(target.stats.reads).toBeLessThan(sent.jobs + sent.single / 10);
    expect(clock.now() / 1000 / floorSeconds(n, pace, 100, 30)).toBeLessThanOrEqual(1.1);
  });

  it('a write stopped while a group of single calls is being checked holds that group: no user is lost', async () => {
    const clock = fakeClock();
    const target = simulatedTarget(clock, { perMinute: 700, queueDelayMs: 3_000, perItemMs: 70, concurrency: 1 });
    const ids = Array.from({ length: 200 }, (_, i) => `t${i}`);
    let go = true;
    let checks = 0;
    const held: string[] = [];
    const results: WriteResult<string>[] = [];
    await clock.run(
      writeUsers({ connection: target.connection, capabilities: caps, sleep: clock.sleep, now: clock.now }, [...ids], (id) => ({ kind: 'update', id, patch: { attributes: { details: 'Care' } } }), {
        current: async (chunk) => {
          checks += 1;
          await target.read();
          // The lease is lost while the third check's read (a group for single calls) is in flight.
          if (checks === 3) go = false;
          return chunk;
        },
        go: () => go,
        held: (items) => void held.push(...items),
        done: async (r) => void results.push(...r),
      }),
    );
    expect(go).toBe(false);
    expect(held.length).toBeGreaterThan(0);
    const accounted = [...results.map((r) => r.item), ...held];
    expect(new Set(accounted).size).toBe(ids.length);
    expect(accounted).toHaveLength(ids.length);
  });
});
