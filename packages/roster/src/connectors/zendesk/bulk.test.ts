import { describe, expect, it } from 'vitest';
import { byIndex } from './bulk.ts';

describe('bulk job results mapped back to inputs', () => {
  it('uses position when every input has a result (results come in request order)', () => {
    const m = byIndex([{ id: 901, status: 'Created' }, { id: 1, index: 1, error: 'UserCreateError', status: 'Failed' }, { id: 903, status: 'Created' }], 3);
    expect([...m.entries()].map(([i, r]) => [i, r.id])).toEqual([[0, 901], [1, 1], [2, 903]]);
  });

  it('prefers an explicit index over position', () => {
    const m = byIndex([{ id: 903, index: 2 }, { id: 901, index: 0 }, { id: 902, index: 1 }], 3);
    expect(m.get(0)?.id).toBe(901);
    expect(m.get(2)?.id).toBe(903);
  });

  it('reads a failure id as the input index when results are missing, and leaves successes unmapped', () => {
    const m = byIndex([{ id: 777, status: 'Created' }, { id: 2, status: 'Failed', error: 'UserCreateError' }], 3);
    expect(m.get(2)?.status).toBe('Failed');
    expect(m.has(0)).toBe(false);
    expect(m.has(1)).toBe(false);
  });
});
