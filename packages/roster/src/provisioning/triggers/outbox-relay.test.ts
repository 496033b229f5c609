import { describe, expect, it } from 'vitest';
import { untilGap } from './outbox-relay.ts';

const row = (id: number, ageMs: number, now: number) => ({ id, at: new Date(now - ageMs), entityType: 'user', entityId: 'u', op: 'updated', data: {} });

describe('untilGap', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('takes contiguous rows', () => {
    expect(untilGap([row(5, 0, now), row(6, 0, now)], 4, now).map((r) => r.id)).toEqual([5, 6]);
  });
  it('stops before a young gap: a lower id may still commit', () => {
    expect(untilGap([row(5, 0, now), row(7, 100, now)], 4, now).map((r) => r.id)).toEqual([5]);
    expect(untilGap([row(6, 100, now)], 4, now)).toEqual([]);
  });
  it('passes an old gap: taken for a rolled-back transaction', () => {
    expect(untilGap([row(5, 60_000, now), row(9, 60_000, now)], 4, now).map((r) => r.id)).toEqual([5, 9]);
  });
});
