import { describe, expect, it } from 'vitest';
import { bulkBody, bulkTimeoutMs, chunkOperations, mapResults, type BulkOperation } from './bulk.ts';

const op = (i: number, size = 10, method: 'POST' | 'PATCH' = 'POST'): BulkOperation => ({ method, path: method === 'POST' ? '/Users' : `/Users/id-${i}`, bulkId: `b${i}`, data: { userName: 'x'.repeat(size) } });

describe('SCIM bulk', () => {
  it('splits by maxOperations', () => {
    const { chunks, tooLarge } = chunkOperations(Array.from({ length: 7 }, (_, i) => op(i)), 3, 1_000_000);
    expect(chunks.map((c) => c.map((o) => o.bulkId))).toEqual([['b0', 'b1', 'b2'], ['b3', 'b4', 'b5'], ['b6']]);
    expect(tooLarge).toEqual([]);
  });

  it('splits by maxPayloadSize with headroom, and sets apart an operation too large alone', () => {
    const ops = [op(0, 300), op(1, 300), op(2, 300), op(3, 5000), op(4, 300)];
    const limit = 1000;
    const { chunks, tooLarge } = chunkOperations(ops, 100, limit);
    expect(tooLarge.map((o) => o.bulkId)).toEqual(['b3']);
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(bulkBody(c)))).toBeLessThanOrEqual(limit * 0.9);
    expect(chunks.flat().map((o) => o.bulkId)).toEqual(['b0', 'b1', 'b2', 'b4']);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('maps results by bulkId whatever their order', () => {
    const ops = [op(0), op(1), op(2)];
    const m = mapResults(ops, [
      { method: 'POST', bulkId: 'b2', status: '201', location: '/Users/c' },
      { method: 'POST', bulkId: 'b0', status: '201', location: '/Users/a' },
      { method: 'POST', bulkId: 'b1', status: '409', response: { scimType: 'uniqueness' } },
    ]);
    expect(m.get('b0')?.location).toBe('/Users/a');
    expect(m.get('b1')?.status).toBe('409');
    expect(m.get('b2')?.location).toBe('/Users/c');
  });

  it('maps updates without bulkId by location, then by position when counts agree; ignores junk and unknown bulkIds', () => {
    const ops = [op(0, 1, 'PATCH'), op(1, 1, 'PATCH')];
    const byLocation = mapResults(ops, [{ method: 'PATCH', location: 'https://app/scim/v2/Users/id-1', status: '200' }, { method: 'PATCH', location: '/scim/v2/Users/id-0', status: '404' }]);
    expect(byLocation.get('b0')?.status).toBe('404');
    expect(byLocation.get('b1')?.status).toBe('200');
    const byPosition = mapResults(ops, [{ status: 200 }, { status: { code: '412' } }]);
    expect(byPosition.get('b1')?.status).toEqual({ code: '412' });
    const junk = mapResults([op(0)], ['nonsense', { bulkId: 'zz', status: '201' }]);
    expect(junk.size).toBe(0);
    // Fewer results than operations: nothing is guessed by position.
    expect(mapResults([op(0), op(1)], [{ method: 'POST', status: '201', location: '/Users/x' }]).size).toBe(0);
  });

  it('gives a large /Bulk request more time than one request: the request timeout per 100 operations, at most 5 minutes', () => {
    expect(bulkTimeoutMs(30_000, 1)).toBe(30_000);
    expect(bulkTimeoutMs(30_000, 250)).toBe(75_000);
    expect(bulkTimeoutMs(30_000, 1000)).toBe(300_000);
    expect(bulkTimeoutMs(250, 2)).toBe(250);
  });
});
