import { describe, expect, it } from 'vitest';
import { networkError, urlOf } from './http.ts';

const fetchFailure = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

describe('Zendesk HTTP helpers', () => {
  it.each([
    ['ENOTFOUND', 'the name acme.zendesk.com does not resolve (DNS)'],
    ['EAI_AGAIN', 'the name acme.zendesk.com does not resolve (DNS)'],
    ['ECONNREFUSED', 'acme.zendesk.com refused the connection'],
    ['ECONNRESET', 'acme.zendesk.com could not be reached (ECONNRESET)'],
  ])('names the cause of a network failure (%s)', (code, why) => {
    const e = networkError(fetchFailure(code), 'https://acme.zendesk.com/api/v2/users/me');
    expect(e).toMatchObject({ code: 'zendesk.unreachable', class: 'transient', message: `Zendesk is unreachable: ${why}` });
  });

  it('reports a timeout as transient and promises no duplicate', () => {
    const e = networkError(new DOMException('The operation timed out.', 'TimeoutError'), 'https://acme.zendesk.com/api/v2/users');
    expect(e).toMatchObject({ code: 'zendesk.timeout', class: 'transient' });
    expect(e.advice).toContain('no duplicate');
  });

  it('builds URLs with encoded query parameters and skips undefined ones', () => {
    expect(urlOf('https://acme.zendesk.com', { path: '/api/v2/users', query: { 'page[size]': 100, 'page[after]': undefined, include: 'organizations' } })).toBe(
      'https://acme.zendesk.com/api/v2/users?page%5Bsize%5D=100&include=organizations',
    );
  });
});
