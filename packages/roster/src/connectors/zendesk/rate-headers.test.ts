import { describe, expect, it } from 'vitest';
import { accountBudget, endpointBudget, isEndpointLimited, retryAfterSeconds } from './rate-headers.ts';

describe('rate-limit headers', () => {
  it('reads the account budget from ratelimit-* and falls back to X-Rate-Limit', () => {
    expect(accountBudget(new Headers({ 'ratelimit-limit': '700', 'ratelimit-remaining': '650', 'ratelimit-reset': '12' }))).toEqual({ limit: 700, remaining: 650, resetSeconds: 12 });
    expect(accountBudget(new Headers({ 'x-rate-limit': '400', 'x-rate-limit-remaining': '3' }))).toEqual({ limit: 400, remaining: 3 });
    expect(accountBudget(new Headers())).toEqual({});
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '17' }), 0)).toBe(17);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('reads endpoint budgets and tells them from the account budget', () => {
    const h = new Headers({ 'zendesk-ratelimit-inflight-jobs': 'total=30; remaining=29; resets=60' });
    expect(endpointBudget(h, 'inflight-jobs')).toEqual({ total: 30, remaining: 29, resets: 60 });
    expect(isEndpointLimited(new Headers({ 'zendesk-ratelimit-create-update-user': 'total=5; remaining=0; resets=41' }))).toBe(true);
    expect(isEndpointLimited(new Headers({ 'retry-after': '3' }))).toBe(false);
  });
});
