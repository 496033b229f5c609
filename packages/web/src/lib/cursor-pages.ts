/**
 * Cursor paging for lists too large to count (100k users): the server hands out `nextCursor`;
 * going back needs the cursors of the pages already seen, kept here as a stack.
 */

export interface CursorPages {
  /** Cursors that opened page 1..n; page 1 is opened by `undefined`. */
  readonly stack: readonly (string | undefined)[];
}

export const firstPage = (): CursorPages => ({ stack: [undefined] });

/** The cursor that opens the current page. */
export const currentCursor = (p: CursorPages): string | undefined => p.stack[p.stack.length - 1];

/** 1-based number of the current page. */
export const pageNumber = (p: CursorPages): number => p.stack.length;

/** Moves to the next page, opened by the current page's `nextCursor`; unchanged without one. */
export const nextPage = (p: CursorPages, nextCursor: string | null | undefined): CursorPages => (nextCursor ? { stack: [...p.stack, nextCursor] } : p);

/** Moves back one page; the first page stays the first page. */
export const previousPage = (p: CursorPages): CursorPages => (p.stack.length > 1 ? { stack: p.stack.slice(0, -1) } : p);
