import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { createDbPacer, createMemoryPacer } from './pacer.ts';
import { pacerParams } from './pacer-schedule.ts';

describe.each(openTestDatabase.drivers())('database pacer (%s)', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await t.close();
  });

  it('two pacers on one database share one budget and spread their requests', async () => {
    const limit = 3000;
    const a = createDbPacer(t.database.db, 'test:shared', { limitPerMinute: limit });
    const b = createDbPacer(t.database.db, 'test:shared', { limitPerMinute: limit });
    const sent: number[] = [];
    const run = async (p: typeof a) => {
      for (let i = 0; i < 60; i += 1) {
        await p.acquire();
        sent.push(performance.now());
      }
    };
    const start = performance.now();
    await Promise.all([run(a), run(b), run(a), run(b)]);
    sent.sort((x, y) => x - y);
    const { interval, tolerance } = pacerParams(limit);
    const burst = Math.round(tolerance / interval);
    // Each send is no earlier than its slot in one shared schedule (10 ms timer slack).
    sent.forEach((at, k) => expect(at - start).toBeGreaterThanOrEqual((k - burst) * interval - 10));
    // No one-second span holds more than the burst plus one second's pace.
    for (let i = 0, j = 0; i < sent.length; i += 1) {
      while ((sent[i] ?? 0) - (sent[j] ?? 0) >= 1000) j += 1;
      expect(i - j + 1).toBeLessThanOrEqual(burst + 1 + Math.ceil(1000 / interval) + 1);
    }
  });

  it("a small run's requests take their slot but go ahead of a burst's queued ones, never past a Retry-After", async () => {
    const waits: number[] = [];
    const record = async (ms: number) => void waits.push(ms);
    // About one slot a second, so the database's own time per acquire does not matter.
    const burst = createDbPacer(t.database.db, 'test:priority', { limitPerMinute: 60, sleep: record });
    const quick = createDbPacer(t.database.db, 'test:priority', { limitPerMinute: 60, sleep: record, priorityLeadMs: 2_500 });
    // The burst's lanes reserve slots ahead (their sleeps recorded, not slept): the schedule runs a slot ahead.
    for (let i = 0; i < 3; i += 1) await burst.acquire();
    const reserved = waits.length;
    expect(reserved).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeGreaterThan(500);
    await quick.acquire();
    expect(waits).toHaveLength(reserved); // went at once: no wait asked for
    // Its slot was charged: the burst's next request waits a slot longer than its last.
    await burst.acquire();
    const { interval } = pacerParams(60);
    expect(waits.at(-1)! - waits[reserved - 1]!).toBeGreaterThan(1.5 * interval);
    // Beyond the lead it waits like anyone.
    for (let i = 0; i < 3; i += 1) await burst.acquire();
    const before = waits.length;
    await quick.acquire();
    expect(waits.length).toBe(before + 1);
    // And a Retry-After holds it back too.
    const blocked = createDbPacer(t.database.db, 'test:priority-blocked', { limitPerMinute: 600, sleep: record, priorityLeadMs: 1_500 });
    await blocked.acquire();
    await blocked.observe({ retryAfterSeconds: 1 });
    const n = waits.length;
    await blocked.acquire();
    expect(waits.length).toBe(n + 1);
    expect(waits.at(-1)!).toBeGreaterThan(800);
  });

  it('a Retry-After seen by one worker holds back the other', async () => {
    const a = createDbPacer(t.database.db, 'test:blocked', { limitPerMinute: 600 });
    const b = createDbPacer(t.database.db, 'test:blocked', { limitPerMinute: 600 });
    await a.acquire();
    await a.observe({ retryAfterSeconds: 1 });
    const start = performance.now();
    await b.acquire();
    expect(performance.now() - start).toBeGreaterThan(900);
  });

  it('learns the limit from a response and stores it for every worker', async () => {
    const a = createDbPacer(t.database.db, 'test:learn', { limitPerMinute: 200 });
    await a.acquire();
    await a.observe({ limit: 700, remaining: 690, resetSeconds: 40 });
    const rows = (await t.database.db.execute(sql`select limit_per_minute from rate_budgets where account_key = 'test:learn'`)) as unknown as { rows: { limit_per_minute: number }[] };
    expect(rows.rows[0]?.limit_per_minute).toBe(700);
  });

  it('probes a headerless target upward for every worker, cuts on a 429, and stops once headers state the limit', async () => {
    const read = async () =>
      ((await t.database.db.execute(sql`select limit_per_minute, limit_source, raised_at is not null as raised, probe_hold_until is not null as held from rate_budgets where account_key = 'test:probe'`)) as unknown as {
        rows: { limit_per_minute: number; limit_source: string; raised: boolean; held: boolean }[];
      }).rows[0];
    const noSleep = { sleep: async () => {} };
    const probe = { ceilingPerMinute: 2500 };
    const a = createDbPacer(t.database.db, 'test:probe', { limitPerMinute: 200, probe, ...noSleep });
    const b = createDbPacer(t.database.db, 'test:probe', { limitPerMinute: 200, probe, ...noSleep });
    // Requests queue behind 200/min (burst 4): the limit is doubled once (the next raise waits 10 s).
    for (let i = 0; i < 12; i += 1) await (i % 2 ? a : b).acquire();
    expect(await read()).toMatchObject({ limit_per_minute: 400, limit_source: 'assumed', raised: true, held: false });
    await b.observe({ retryAfterSeconds: 1 });
    expect(await read()).toMatchObject({ limit_per_minute: 280, limit_source: 'probed', held: true });
    await a.observe({ limit: 700, remaining: 600 });
    expect(await read()).toMatchObject({ limit_per_minute: 700, limit_source: 'target' });
    for (let i = 0; i < 40; i += 1) await a.acquire();
    expect((await read())?.limit_per_minute).toBe(700);
  });
});

describe('memory pacer', () => {
  it('sleeps for the schedule on a fake clock', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = createMemoryPacer({ limitPerMinute: 60, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } });
    for (let i = 0; i < 5; i += 1) await pacer.acquire();
    // Limit 60 → burst 1, 55 per minute: two requests at once, then one every 60/55 s.
    expect(slept.length).toBe(3);
    expect(slept.every((ms) => Math.abs(ms - 60_000 / 55) < 1)).toBe(true);
  });
});
