import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobRunner } from './jobs.ts';

describe('JobRunner', () => {
  afterEach(() => vi.useRealTimers());

  it('moves a job queued → working → completed at the configured pace', () => {
    vi.useFakeTimers();
    const runner = new JobRunner({ pace: () => ({ queueDelayMs: 1000, perItemMs: 100, concurrency: 1 }), shouldFail: () => false });
    const applied: number[] = [];
    const job = runner.submit('bulk_create_users', 'Creating User', [1, 2, 3].map((n) => () => {
      applied.push(n);
      return { id: n, status: 'Created' };
    }));
    expect(job.id).toMatch(/^V3-[0-9a-f]{32}$/);
    expect(job.status).toBe('queued');
    vi.advanceTimersByTime(1000);
    expect(job.status).toBe('working');
    vi.advanceTimersByTime(150);
    expect(job.progress).toBe(1);
    expect(job.results).toBeNull();
    vi.advanceTimersByTime(200);
    expect(job.status).toBe('completed');
    expect(job.results).toEqual([{ id: 1, status: 'Created' }, { id: 2, status: 'Created' }, { id: 3, status: 'Created' }]);
    expect(job.message).toMatch(/^Completed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/);
    runner.close();
  });

  it('runs one job at a time with concurrency 1 and fails jobs when told to', () => {
    vi.useFakeTimers();
    let fail = false;
    const runner = new JobRunner({ pace: () => ({ queueDelayMs: 0, perItemMs: 100, concurrency: 1 }), shouldFail: () => fail });
    const a = runner.submit('t', 'x', [() => ({}), () => ({})]);
    const b = runner.submit('t', 'x', [() => ({})]);
    vi.advanceTimersByTime(1);
    expect(a.status).toBe('working');
    expect(b.status).toBe('queued');
    expect(runner.inflight()).toHaveLength(2);
    fail = true;
    vi.advanceTimersByTime(200);
    expect(a.status).toBe('completed');
    expect(b.status).toBe('failed');
    expect(b.results).toBeNull();
    runner.close();
  });
});
