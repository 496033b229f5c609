import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseZendeskError } from './errors.ts';

describe('Zendesk error envelopes', () => {
  it.each([
    ['RecordInvalid with details', { error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email: a@b.c is already being used by another user', error: 'DuplicateValue' }] } }, 'RecordInvalid', 'Email: a@b.c is already being used by another user'],
    ['title and message', { error: { title: 'Forbidden', message: 'You do not have access to this page.' } }, 'Forbidden', 'You do not have access to this page.'],
    ['errors array', { errors: [{ code: 'InvalidPaginationDepth', title: 'Too deep', detail: 'Use cursor paging' }] }, 'InvalidPaginationDepth', 'Use cursor paging'],
    ['bare error', { error: "Couldn't authenticate you" }, "Couldn't authenticate you", "Couldn't authenticate you"],
    ['OAuth error', { error: 'invalid_token', error_description: 'The access token provided is expired' }, 'invalid_token', 'The access token provided is expired'],
    ['plain text', 'Number of allowed API requests per minute exceeded', null, 'Number of allowed API requests per minute exceeded'],
    ['details without inner codes', { error: 'RecordInvalid', details: { name: [{ description: 'Name: is too short' }] } }, 'RecordInvalid', 'Name: is too short'],
  ])('reads %s', (_case, body, kind, message) => {
    const parsed = parseZendeskError(body);
    expect(parsed.kind).toBe(kind);
    expect(parsed.message).toBe(message);
  });

  it('classifies by status: 401/403 configuration, 422 object with fields, 5xx transient, 429 rate limited', () => {
    expect(errorFromResponse(401, { error: "Couldn't authenticate you" }, undefined)).toMatchObject({ code: 'zendesk.unauthorized', class: 'configuration' });
    expect(errorFromResponse(403, { error: { title: 'Forbidden', message: 'no' } }, undefined)).toMatchObject({ code: 'zendesk.forbidden', class: 'configuration', advice: expect.stringContaining('admin') });
    const dup = errorFromResponse(422, { error: 'RecordInvalid', details: { email: [{ description: 'Email: x@y.z is already being used by another user', error: 'DuplicateValue' }] } }, undefined);
    expect(dup).toMatchObject({ code: 'zendesk.duplicate_value', class: 'object', message: 'Email: x@y.z is already being used by another user', fields: { email: ['Email: x@y.z is already being used by another user'] } });
    expect(errorFromResponse(422, { error: 'RecordInvalid', details: { name: [{ description: 'Name: is too short', error: 'ValueTooShort' }] } }, undefined)).toMatchObject({ code: 'zendesk.record_invalid', class: 'object' });
    expect(errorFromResponse(500, 'oops', undefined)).toMatchObject({ code: 'zendesk.unavailable', class: 'transient' });
    expect(errorFromResponse(429, 'Number of allowed API requests per minute exceeded', 7)).toMatchObject({ code: 'zendesk.rate_limited', class: 'rate_limited', retryAfterSeconds: 7 });
    expect(errorFromResponse(429, { error: 'TooManyJobs', description: 'Too many jobs' }, 60)).toMatchObject({ code: 'zendesk.too_many_jobs', class: 'rate_limited' });
    expect(errorFromResponse(404, { error: 'RecordNotFound', description: 'Not found' }, undefined)).toMatchObject({ code: 'zendesk.not_found', class: 'object' });
  });
});
