/** Cursors whose sort keys are all strings (names and ids). */
import { invalidField } from '../../errors/app-error.ts';
import { decodeCursor } from '../pagination.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a cursor of `arity` strings ending with an id; anything else is a 400 naming `query.cursor`. */
export function stringCursor(cursor: string, arity: number): string[] {
  const parts = decodeCursor(cursor, arity);
  if (!parts.every((p) => typeof p === 'string' && !p.includes('\u0000')) || !uuid.test(String(parts.at(-1)))) throw invalidField('query.cursor', 'is not a cursor returned by this list');
  return parts as string[];
}
