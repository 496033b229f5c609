import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { clearThrottle, defaultThrottlePolicy, lockMsAfter, lockedForSeconds, recordFailure, throttleKeys } from './login-throttle.ts';

describe('lock durations', () => {
  it('gives a pair free failures, then doubles its lock up to the cap; an address locks for a fixed time', () => {
    const { pair, address } = defaultThrottlePolicy;
    expect([1, 4, 5, 6, 7, 10, 11, 50].map((n) => lockMsAfter(pair, n) / 60_000)).toEqual([0, 0, 1, 2, 4, 32, 60, 60]);
    expect([19, 20, 21].map((n) => lockMsAfter(address, n) / 60_000)).toEqual([0, 15, 15]);
  });
});

describe.each(openTestDatabase.drivers())('login throttle on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  const t0 = new Date('2026-03-01T10:00:00Z');
  const plus = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('locks an (email, address) pair with growing delays that survive the end of each lock', async () => {
    const k = throttleKeys('Lock@Example.test', '1.1.1.1').pair;
    expect(k.key).toBe('email-ip:lock@example.test|1.1.1.1');
    for (let i = 1; i <= 4; i++) expect(await recordFailure(t.database.db, k, plus(i))).toMatchObject({ failures: i, lockedUntil: null });
    const fifth = await recordFailure(t.database.db, k, plus(5));
    expect(fifth.lockedUntil?.getTime()).toBe(plus(6).getTime());
    expect(await lockedForSeconds(t.database.db, [k], plus(5.5))).toBe(30);
    expect(await lockedForSeconds(t.database.db, [k], plus(6))).toBe(0);
    // After the lock ends the count goes on: the next failure locks twice as long, then four times.
    expect((await recordFailure(t.database.db, k, plus(7))).lockedUntil?.getTime()).toBe(plus(9).getTime());
    expect((await recordFailure(t.database.db, k, plus(10))).lockedUntil?.getTime()).toBe(plus(14).getTime());
    // The same email from another address is not locked.
    expect(await lockedForSeconds(t.database.db, [throttleKeys('lock@example.test', '2.2.2.2').pair], plus(10))).toBe(0);
  });

  it('caps the pair lock at an hour', async () => {
    const k = throttleKeys('cap@example.test', '1.1.1.4').pair;
    let last: Date | null = null;
    for (let i = 1; i <= 15; i++) last = (await recordFailure(t.database.db, k, plus(i))).lockedUntil;
    expect(last?.getTime()).toBe(plus(15 + 60).getTime());
  });

  it('forgets failures older than the window', async () => {
    const k = throttleKeys('window@example.test', '1.1.1.2').address;
    for (let i = 0; i < 4; i++) await recordFailure(t.database.db, k, plus(i));
    const late = await recordFailure(t.database.db, k, plus(defaultThrottlePolicy.address.windowMs / 60_000 + 1));
    expect(late).toMatchObject({ failures: 1, lockedUntil: null });
    const p = throttleKeys('window@example.test', '1.1.1.2').pair;
    for (let i = 0; i < 4; i++) await recordFailure(t.database.db, p, plus(i));
    expect(await recordFailure(t.database.db, p, plus(defaultThrottlePolicy.pair.windowMs / 60_000 + 1))).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('locks an address at its limit for a fixed time, then counts again from one', async () => {
    const k = throttleKeys('spray@example.test', '1.1.1.5').address;
    for (let i = 1; i < 20; i++) await recordFailure(t.database.db, k, plus(1));
    expect((await recordFailure(t.database.db, k, plus(2))).lockedUntil?.getTime()).toBe(plus(17).getTime());
    expect(await recordFailure(t.database.db, k, plus(18))).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('counts concurrent failures without losing any, and clears on demand', async () => {
    const k = throttleKeys('burst@example.test', '1.1.1.3').address;
    await Promise.all(Array.from({ length: 10 }, () => recordFailure(t.database.db, k, plus(1))));
    const next = await recordFailure(t.database.db, k, plus(2));
    expect(next.failures).toBe(11);
    await clearThrottle(t.database.db, k);
    expect(await recordFailure(t.database.db, k, plus(3))).toMatchObject({ failures: 1 });
  });
});
