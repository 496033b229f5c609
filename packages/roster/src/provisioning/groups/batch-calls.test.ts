import { describe, expect, it } from 'vitest';
import type { ConnectorError, GroupBatchResult } from '../../connectors/contract.ts';
import { batchWithRetry, chunksOf } from './batch-calls.ts';

const transient: ConnectorError = { code: 'x.unavailable', class: 'transient', message: 'busy', advice: '' };
const object: ConnectorError = { code: 'x.invalid_value', class: 'object', message: 'no', advice: '' };
const noSleep = { sleep: async () => {} };

describe('batch calls', () => {
  it('chunks to the batch size', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 3)).toEqual([]);
  });

  it('sends again only the items that failed for a transient reason, and answers each by its place in the input', async () => {
    const calls: string[][] = [];
    let round = 0;
    const r = await batchWithRetry(
      ['a', 'b', 'c', 'd'],
      async (items) => {
        calls.push(items);
        round += 1;
        const value = items.map((it, index): GroupBatchResult<string> => {
          if (it === 'b' && round === 1) return { index, ok: false, error: transient };
          if (it === 'c') return { index, ok: false, error: object };
          return { index, ok: true, value: `${it}!` };
        });
        return { ok: true, value };
      },
      noSleep,
    );
    expect(calls).toEqual([['a', 'b', 'c', 'd'], ['b']]);
    expect(r.ok && r.value.map((x) => (x.ok ? x.value : x.error.code))).toEqual(['a!', 'b!', 'x.invalid_value', 'd!']);
    expect(r.ok && r.value.map((x) => x.index)).toEqual([0, 1, 2, 3]);
  });

  it('gives up on an item after the transient attempts, keeping its last error; a call failing at once is the answer', async () => {
    let n = 0;
    const r = await batchWithRetry(['a'], async () => {
      n += 1;
      return { ok: true, value: [{ index: 0, ok: false, error: transient }] };
    }, { ...noSleep, transientAttempts: 2 });
    expect(n).toBe(3);
    expect(r.ok && !r.value[0]!.ok && r.value[0]!.error.code).toBe('x.unavailable');
    const refused = await batchWithRetry(['a'], async () => ({ ok: false, error: { ...object, class: 'configuration' } }), noSleep);
    expect(refused.ok).toBe(false);
  });
});
