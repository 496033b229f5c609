import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseScimError } from './errors.ts';

const scim = (status: number, scimType?: string, detail = 'why') => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}), detail });

describe('SCIM error classification', () => {
  it.each([
    [400, 'invalidValue', 'scim.invalid_value', 'object'],
    [400, 'invalidSyntax', 'scim.invalid_value', 'object'],
    [400, 'mutability', 'scim.mutability', 'object'],
    [400, 'uniqueness', 'scim.uniqueness', 'object'],
    [400, 'invalidFilter', 'scim.invalid_filter', 'configuration'],
    [400, 'tooMany', 'scim.too_many', 'transient'],
    [400, 'invalidVers', 'scim.version_mismatch', 'transient'],
    [400, undefined, 'scim.bad_request', 'object'],
    [401, undefined, 'scim.unauthorized', 'configuration'],
    [403, undefined, 'scim.forbidden', 'configuration'],
    [404, undefined, 'scim.not_found', 'object'],
    [409, 'uniqueness', 'scim.uniqueness', 'object'],
    [409, undefined, 'scim.uniqueness', 'object'],
    [412, undefined, 'scim.version_mismatch', 'transient'],
    [413, undefined, 'scim.payload_too_large', 'object'],
    [429, undefined, 'scim.rate_limited', 'rate_limited'],
    [500, undefined, 'scim.unavailable', 'transient'],
    [501, undefined, 'scim.not_implemented', 'configuration'],
    [503, undefined, 'scim.unavailable', 'transient'],
    [302, undefined, 'scim.unexpected_status', 'transient'],
  ])('%i %s → %s (%s)', (status, scimType, code, cls) => {
    const e = errorFromResponse(status, scim(status, scimType));
    expect(e).toMatchObject({ code, class: cls, message: 'why' });
    expect(e.advice.length).toBeGreaterThan(20);
  });

  it('keeps Retry-After on 429 and 503', () => {
    expect(errorFromResponse(429, null, 30).retryAfterSeconds).toBe(30);
    expect(errorFromResponse(503, null, 5).retryAfterSeconds).toBe(5);
  });

  it('reads an HTML page from a proxy or a sign-in page as a wrong base URL, naming its title', () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in - Acme</title></head><body>…</body></html>';
    expect(parseScimError(page)).toMatchObject({ html: true, message: 'Sign in - Acme' });
    expect(errorFromResponse(200, page)).toMatchObject({ code: 'scim.not_scim', class: 'configuration', message: expect.stringContaining('Sign in - Acme') });
    expect(errorFromResponse(404, '<html><body><h1>Not Found</h1></body></html>')).toMatchObject({ code: 'scim.not_scim', class: 'configuration' });
    // A gateway's HTML 502 is still the app being down.
    expect(errorFromResponse(502, '<html><h1>502 Bad Gateway</h1></html>')).toMatchObject({ code: 'scim.unavailable', class: 'transient' });
  });

  it('reads non-SCIM JSON and plain text errors', () => {
    expect(errorFromResponse(400, { error: 'bad_thing', message: 'Email is invalid' })).toMatchObject({ code: 'scim.bad_request', message: 'Email is invalid' });
    expect(errorFromResponse(409, 'Duplicate user')).toMatchObject({ code: 'scim.uniqueness', class: 'object', message: 'Duplicate user' });
    expect(errorFromResponse(500, null)).toMatchObject({ code: 'scim.unavailable', message: 'The app answered HTTP 500' });
    expect(parseScimError([1, 2])).toEqual({ scimType: null, message: null, scim: false, html: false });
  });
});
