import { describe, expect, it } from 'vitest';
import { appBudget } from './rate-headers.ts';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const read = (h: Record<string, string>) => appBudget(new Headers(h), NOW);

describe('SCIM rate-limit headers', () => {
  it('reads the IETF draft headers with a policy window, as requests per minute', () => {
    expect(read({ 'ratelimit-limit': '600', 'ratelimit-remaining': '12', 'ratelimit-reset': '7', 'ratelimit-policy': '600;w=60' })).toEqual({ limit: 600, remaining: 12, resetSeconds: 7 });
    expect(read({ 'ratelimit-policy': '"default";q=10;w=1', ratelimit: '"default";r=3;t=1' })).toEqual({ limit: 600, remaining: 3, resetSeconds: 1 });
    expect(read({ 'x-ratelimit-limit': '3600, 3600;w=3600', 'x-ratelimit-remaining': '5' })).toEqual({ limit: 60, remaining: 5 });
    expect(read({ ratelimit: 'limit=100, remaining=0, reset=30', 'ratelimit-policy': '100;w=60' })).toEqual({ limit: 100, remaining: 0, resetSeconds: 30 });
  });

  it('passes on no limit whose window is not stated, but always what remains and when it resets (delta or Unix time)', () => {
    expect(read({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 90) })).toEqual({ remaining: 0, resetSeconds: 90 });
    expect(read({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '1', 'x-rate-limit-reset': '20' })).toEqual({ remaining: 1, resetSeconds: 20 });
    expect(read({})).toEqual({});
    expect(read({ 'x-ratelimit-remaining': 'soon', 'ratelimit-policy': 'w=60' })).toEqual({});
  });
});
