import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.ts';
import { storedError } from './stored-error.ts';

/** What drizzle throws for a unique violation: the statement and its parameters in the message, the driver's error as the cause. */
const uniqueViolation = () =>
  new Error('Failed query: insert into "links" ("email") values ($1)\nparams: ada@example.com', { cause: Object.assign(new Error('duplicate key value violates unique constraint "links_pkey"'), { code: '23505', constraint: 'links_pkey' }) });

describe('storedError', () => {
  it.each([
    ['a unique violation', uniqueViolation(), 'conflict'],
    ['any other exception', new TypeError("Cannot read properties of undefined (reading 'email') at ada@example.com"), 'internal'],
    ['a thrown string', 'ada@example.com broke it', 'internal'],
  ])('%s: a code, admin words and a correlation id, never the message, SQL, parameters or stack', (_name, e, code) => {
    const logged: Record<string, unknown>[] = [];
    const stored = storedError(e, { error: (obj) => void logged.push(obj as Record<string, unknown>) }, { cycleId: 'c1' }, 'this cycle');
    expect(stored.code).toBe(code);
    expect(JSON.stringify(stored)).not.toMatch(/ada@|insert|params|links_pkey|\n\s+at /);
    expect(stored.message).toMatch(/^This cycle /);
    expect(stored.advice).toContain(stored.correlationId);
    expect(logged).toEqual([{ cycleId: 'c1', correlationId: stored.correlationId, err: e }]);
  });

  it('an AppError keeps its code and its message, written for admins', () => {
    const stored = storedError(new AppError('config_invalid', 'The stored connection is not usable; save it again.'), undefined);
    expect(stored).toMatchObject({ code: 'config_invalid', message: 'The stored connection is not usable; save it again.' });
  });

  it('every call has its own correlation id', () => {
    expect(storedError(new Error('x'), undefined).correlationId).not.toBe(storedError(new Error('x'), undefined).correlationId);
  });
});
