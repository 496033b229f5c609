import { describe, expect, it } from 'vitest';
import { expectedVersion, requiredVersion } from './if-match.ts';

const req = (ifMatch?: string) => ({ headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

describe('expectedVersion', () => {
  it('reads If-Match in strong, weak and bare forms, then the body version', () => {
    expect(expectedVersion(req('"3"'))).toBe(3);
    expect(expectedVersion(req('W/"4"'))).toBe(4);
    expect(expectedVersion(req('5'))).toBe(5);
    expect(expectedVersion(req('"6"'), 6)).toBe(6);
    expect(expectedVersion(req(), 9)).toBe(9);
    expect(expectedVersion(req())).toBeUndefined();
    expect(expectedVersion(req('*'))).toBeUndefined();
  });

  it('names a malformed If-Match header', () => {
    expect(() => expectedVersion(req('"abc"'))).toThrow(
      expect.objectContaining({ code: 'validation_failed', issues: [expect.objectContaining({ path: 'headers.if-match', reason: expect.stringContaining('must be "<version>"') })] }),
    );
  });

  it('refuses a body version that disagrees with the header', () => {
    expect(() => expectedVersion(req('"6"'), 9)).toThrow(expect.objectContaining({ code: 'validation_failed', issues: [expect.objectContaining({ path: 'body.version' })] }));
  });
});

describe('requiredVersion', () => {
  it('is 428 precondition_required naming headers.if-match when no version is named', () => {
    expect(() => requiredVersion(req())).toThrow(expect.objectContaining({ code: 'precondition_required', issues: [expect.objectContaining({ path: 'headers.if-match' })] }));
    expect(requiredVersion(req(), 2)).toBe(2);
  });
});
