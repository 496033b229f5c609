import { describe, expect, it } from 'vitest';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from './cursor-pages.ts';

describe('cursor pages', () => {
  it('walks forward with each nextCursor and back through the cursors already seen', () => {
    let p = firstPage();
    expect([pageNumber(p), currentCursor(p)]).toEqual([1, undefined]);
    p = nextPage(p, 'c2');
    p = nextPage(p, 'c3');
    expect([pageNumber(p), currentCursor(p)]).toEqual([3, 'c3']);
    p = previousPage(p);
    expect([pageNumber(p), currentCursor(p)]).toEqual([2, 'c2']);
    p = previousPage(previousPage(p));
    expect([pageNumber(p), currentCursor(p)]).toEqual([1, undefined]);
  });

  it('stays on the last page when there is no next cursor', () => {
    const p = nextPage(firstPage(), 'c2');
    expect(nextPage(p, null)).toBe(p);
    expect(nextPage(p, '')).toBe(p);
  });
});
