import { describe, expect, it } from 'vitest';
import { WindowCounter } from './window-counter.ts';

describe('WindowCounter', () => {
  it('refuses past the limit until the window resets', () => {
    const c = new WindowCounter(60_000);
    expect(c.take('a', 2, 0)).toMatchObject({ allowed: true, remaining: 1, resetSec: 60 });
    expect(c.take('a', 2, 1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(c.take('a', 2, 30_000)).toMatchObject({ allowed: false, remaining: 0, resetSec: 30 });
    expect(c.take('b', 2, 30_000).allowed).toBe(true);
    expect(c.take('a', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });
});
