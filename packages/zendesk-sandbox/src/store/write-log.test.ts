import { describe, expect, it } from 'vitest';
import { WriteLog } from './write-log.ts';

const entry = (n: number) => ({ method: 'PUT', path: `/api/v2/users/${n}`, kind: 'user.update' as const, userId: n, before: null, body: { n } });

describe('WriteLog', () => {
  it('numbers writes from 1 and answers those after a sequence number', () => {
    const log = new WriteLog(10);
    for (let n = 1; n <= 4; n++) log.record(entry(n));
    expect(log.since(0).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log.since(2).map((e) => e.userId)).toEqual([3, 4]);
    expect(log.since(4)).toEqual([]);
    expect(log.since(1, 2).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('keeps only the last `capacity` writes, sequence numbers still increasing', () => {
    const log = new WriteLog(3);
    for (let n = 1; n <= 7; n++) log.record(entry(n));
    expect(log.since(0).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(log.since(5).map((e) => e.seq)).toEqual([6, 7]);
    expect(log.lastSeq).toBe(7);
  });
});
