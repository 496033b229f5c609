import { describe, expect, it } from 'vitest';
import { expectedVersion } from './admins.ts';

describe('expectedVersion', () => {
  it('reads If-Match in strong, weak and bare forms, before the body version', () => {
    expect(expectedVersion('"3"')).toBe(3);
    expect(expectedVersion('W/"4"')).toBe(4);
    expect(expectedVersion('5')).toBe(5);
    expect(expectedVersion('"6"', 9)).toBe(6);
    expect(expectedVersion(undefined, 9)).toBe(9);
    expect(expectedVersion(undefined)).toBeUndefined();
  });

  it('names a malformed If-Match header', () => {
    expect(() => expectedVersion('"abc"')).toThrow(expect.objectContaining({ code: 'validation_failed', issues: [{ path: 'headers.if-match', reason: 'must be "<version>"' }] }));
  });
});
