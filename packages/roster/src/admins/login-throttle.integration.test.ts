import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { clearThrottle, defaultThrottlePolicy, lockedForSeconds, recordFailure, throttleKeys } from './login-throttle.ts';

describe.each(openTestDatabase.drivers())('login throttle on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  const t0 = new Date('2026-03-01T10:00:00Z');
  const plus = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('locks at the limit inside the window, for the lock duration', async () => {
    const k = throttleKeys('Lock@Example.test', '1.1.1.1').email;
    expect(k.key).toBe('email:lock@example.test');
    for (let i = 1; i <= 4; i++) expect(await recordFailure(t.database.db, k, plus(i))).toMatchObject({ failures: i, lockedUntil: null });
    const fifth = await recordFailure(t.database.db, k, plus(5));
    expect(fifth.lockedUntil?.getTime()).toBe(plus(5 + 15).getTime());
    expect(await lockedForSeconds(t.database.db, [k], plus(6))).toBe(14 * 60);
    expect(await lockedForSeconds(t.database.db, [k], plus(21))).toBe(0);
    // After the lock ends the count starts again.
    expect(await recordFailure(t.database.db, k, plus(22))).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('forgets failures older than the window', async () => {
    const k = throttleKeys('window@example.test', '1.1.1.2').email;
    for (let i = 0; i < 4; i++) await recordFailure(t.database.db, k, plus(i));
    const late = await recordFailure(t.database.db, k, plus(defaultThrottlePolicy.windowMs / 60_000 + 1));
    expect(late).toMatchObject({ failures: 1, lockedUntil: null });
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
