import { describe, expect, it } from 'vitest';
import { databaseBusy } from './busy-error.ts';

/** The shape drizzle gives a failed query: its own error with the driver's error as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: update "users" …'), { cause });

describe('databaseBusy', () => {
  it('recognises serialization failures, deadlocks, lock timeouts and full connection slots through the wrapping', () => {
    expect(databaseBusy(wrapped(Object.assign(new Error('could not serialize access'), { code: '40001' })))).toBe('40001');
    expect(databaseBusy(wrapped(Object.assign(new Error('deadlock detected'), { code: '40P01' })))).toBe('40P01');
    expect(databaseBusy(wrapped(Object.assign(new Error('lock not available'), { code: '55P03' })))).toBe('55P03');
    expect(databaseBusy(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe('53300');
    expect(databaseBusy(wrapped(Object.assign(new Error('connection failure'), { code: '08006' })))).toBe('08006');
  });

  it("recognises node-postgres' pool giving up, which carries no SQLSTATE", () => {
    expect(databaseBusy(wrapped(new Error('timeout exceeded when trying to connect')))).toBe('pool');
    expect(databaseBusy(new Error('Connection terminated unexpectedly'))).toBe('pool');
  });

  it('leaves request errors and bugs alone', () => {
    expect(databaseBusy(wrapped(Object.assign(new Error('duplicate key'), { code: '23505' })))).toBeUndefined();
    expect(databaseBusy(wrapped(Object.assign(new Error('syntax error'), { code: '42601' })))).toBeUndefined();
    expect(databaseBusy(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseBusy(undefined)).toBeUndefined();
  });
});

describe('the API answer to a busy database', () => {
  it('is 503 unavailable with a second to wait, and a bug stays internal', async () => {
    const { httpStatusByCode, toAppError } = await import('../api/error-handler.ts');
    const busy = toAppError(wrapped(Object.assign(new Error('could not serialize access'), { code: '40001' })));
    expect([busy.code, httpStatusByCode[busy.code], busy.retryAfterSeconds]).toEqual(['unavailable', 503, 1]);
    expect(busy.message).not.toMatch(/serialize|update|users/);
    expect(toAppError(new TypeError('x is undefined')).code).toBe('internal');
  });
});
