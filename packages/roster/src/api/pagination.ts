/**
 * Cursor pagination shared by every list endpoint: `?limit=&cursor=` in, `{ items, nextCursor }`
 * out. A cursor is the opaque base64url of the sort key of the last item returned.
 */
import { z } from 'zod';
import { invalidField } from '../errors/app-error.ts';

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const encodeCursor = (key: readonly unknown[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Decodes a cursor made by `encodeCursor` with `arity` parts; a forged or stale one is a 400 naming `query.cursor`. */
export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // NUL would reach PostgreSQL as text and fail there (a 500) instead of here.
    if (Array.isArray(value) && value.length === arity && !value.some((v) => typeof v === 'string' && v.includes('\u0000'))) return value;
  } catch {
    // fall through to the error below
  }
  throw invalidField('query.cursor', 'is not a cursor returned by this list');
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
