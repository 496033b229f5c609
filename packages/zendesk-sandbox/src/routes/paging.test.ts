import { describe, expect, it } from 'vitest';
import { cursorSlice, decodeCursor, encodeCursor, readPaging } from './paging.ts';

const ids = [1, 2, 3, 4, 5, 6, 7];
const id = (n: number) => n;

describe('paging', () => {
  it('round-trips cursors in the recorded shape', () => {
    const c = encodeCursor(6164039664282);
    expect(JSON.parse(Buffer.from(c, 'base64').toString())).toMatchObject({ o: 'id' });
    expect(decodeCursor(c)).toBe(6164039664282);
    expect(decodeCursor('nonsense')).toBeNull();
  });

  it('chooses cursor mode for page[size] and caps sizes at 100', () => {
    expect(readPaging(new URLSearchParams('page[size]=500'))).toMatchObject({ mode: 'cursor', size: 100 });
    expect(readPaging(new URLSearchParams('page=3&per_page=1000'))).toEqual({ mode: 'offset', page: 3, perPage: 100 });
  });

  it('pages forward and backward, skipping filtered items', () => {
    const odd = (n: number) => n % 2 === 1;
    expect(cursorSlice(ids, id, odd, { mode: 'cursor', size: 2, afterId: null, beforeId: null })).toEqual({ page: [1, 3], hasMore: true });
    expect(cursorSlice(ids, id, odd, { mode: 'cursor', size: 2, afterId: 3, beforeId: null })).toEqual({ page: [5, 7], hasMore: false });
    expect(cursorSlice(ids, id, odd, { mode: 'cursor', size: 2, afterId: null, beforeId: 7 })).toEqual({ page: [3, 5], hasMore: true });
  });
});
