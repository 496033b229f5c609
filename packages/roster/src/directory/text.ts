/** Text as PostgreSQL can store it: `text` and `jsonb` refuse NUL characters, which must be a 400, not a 500. */
import { z } from 'zod';

export const NUL_REASON = 'must not contain NUL characters';

/** Whether `s` holds a NUL character, which PostgreSQL text cannot store. */
export const hasNul = (s: string): boolean => s.includes('\u0000');

/** A string schema that refuses NUL characters; chain `.trim()`, `.max()` etc. after it. */
export const plainText = () => z.string().refine((s) => !hasNul(s), NUL_REASON);
