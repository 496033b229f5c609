import { describe, expect, it } from 'vitest';
import { type RunningLease, blockedBy } from './lanes.ts';

const run = (lane: string, kind: string, userIds?: string[], groupIds?: string[]): RunningLease => ({ cycleId: `${lane}-${kind}`, kind, lane, scope: userIds || groupIds ? { userIds, groupIds } : null });

describe('which runs may share an application (lanes)', () => {
  it('takes a free lane when nothing runs', () => {
    expect(blockedBy('main', 'initial', {}, [])).toBeNull();
    expect(blockedBy('quick', 'incremental', { userIds: ['a'] }, [])).toBeNull();
  });

  it('never runs two runs in one lane', () => {
    const main = run('main', 'incremental', ['a']);
    const quick = run('quick', 'incremental', ['b']);
    expect(blockedBy('main', 'incremental', { userIds: ['z'] }, [main])).toBe(main);
    expect(blockedBy('quick', 'incremental', { userIds: ['z'] }, [quick])).toBe(quick);
  });

  it('lets a quick batch run beside a main batch that shares none of its users', () => {
    expect(blockedBy('quick', 'incremental', { userIds: ['x'] }, [run('main', 'incremental', ['a', 'b', 'c'])])).toBeNull();
    expect(blockedBy('main', 'incremental', { userIds: ['a', 'b'] }, [run('quick', 'incremental', ['x'])])).toBeNull();
  });

  it('keeps per-user order: a run sharing a user with the other lane waits, whichever came first', () => {
    const main = run('main', 'incremental', ['a', 'b', 'c']);
    expect(blockedBy('quick', 'incremental', { userIds: ['x', 'b'] }, [main])).toBe(main);
    const quick = run('quick', 'incremental', ['c']);
    expect(blockedBy('main', 'incremental', { userIds: ['a', 'c'] }, [quick])).toBe(quick);
  });

  it('runs full cycles, plans, on-demand runs and batches with groups alone', () => {
    for (const kind of ['initial', 'periodic', 'on_demand', 'approved_plan']) {
      const full = run('main', kind);
      expect(blockedBy('quick', 'incremental', { userIds: ['x'] }, [full])).toBe(full);
      const quick = run('quick', 'incremental', ['x']);
      expect(blockedBy('main', kind, {}, [quick])).toBe(quick);
    }
    const withGroups = run('main', 'incremental', ['a'], ['g']);
    expect(blockedBy('quick', 'incremental', { userIds: ['x'] }, [withGroups])).toBe(withGroups);
    const quick = run('quick', 'incremental', ['x']);
    expect(blockedBy('main', 'incremental', { userIds: ['a'], groupIds: ['g'] }, [quick])).toBe(quick);
  });
});
