import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors, toApiError } from './errors.ts';

describe('API errors in the UI', () => {
  it('reads the error envelope and maps body issues onto form paths', () => {
    const e = toApiError(400, {
      error: { code: 'validation_failed', message: 'body.email: must be an email address', requestId: 'r1', issues: [{ path: 'body.email', reason: 'must be an email address' }, { path: 'body.custom.seats', reason: 'must be a number' }, { path: 'query.limit', reason: 'too big' }] },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code]).toEqual([400, 'validation_failed']);
    expect(fieldErrors(e)).toEqual({ email: 'must be an email address', 'custom.seats': 'must be a number' });
    expect(describeError(e)).toBe('body.email: must be an email address (request r1)');
  });

  it('copes with a body that is not an envelope', () => {
    const e = toApiError(502, '<html>bad gateway</html>');
    expect([e.code, e.message, e.issues]).toEqual(['unknown', 'Request failed (502).', []]);
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
