import { describe, expect, it } from 'vitest';
import { ApiError, describeError, errorDetails, fieldErrors, fieldLabel, toApiError } from './errors.ts';

describe('API errors in the UI', () => {
  it('reads the error envelope and maps body issues onto form paths', () => {
    const e = toApiError(400, {
      error: { code: 'validation_failed', message: 'body.email: must be an email address', requestId: 'r1', issues: [{ path: 'body.email', reason: 'must be an email address' }, { path: 'body.custom.seats', reason: 'must be a number' }, { path: 'query.limit', reason: 'too big' }] },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code]).toEqual([400, 'validation_failed']);
    expect(fieldErrors(e)).toEqual({ email: 'must be an email address', 'custom.seats': 'must be a number' });
    expect(describeError(e)).toBe('Email: must be an email address; Seats: must be a number; Limit: too big');
    expect(describeError(e)).not.toContain('r1');
    expect(errorDetails(e)).toBe('code validation_failed · request r1');
  });

  it('names fields by their labels, not their API paths', () => {
    expect(fieldLabel('body.customAttributes.costCenter')).toBe('Cost center');
    expect(fieldLabel('body.employeeId')).toBe('Employee ID');
    expect(fieldLabel('body.settings.scopingFilters.0.clauses.1.value')).toBe('Value');
    expect(describeError(toApiError(409, { error: { code: 'conflict', message: 'The last owner cannot be removed.', requestId: 'r2' } }))).toBe('The last owner cannot be removed.');
    expect(errorDetails(new Error('x'))).toBeNull();
  });

  it('copes with a body that is not an envelope', () => {
    const e = toApiError(502, '<html>bad gateway</html>');
    expect([e.code, e.message, e.issues]).toEqual(['unknown', 'Request failed (502).', []]);
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
