import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('replaces the values of code, state and token/password parameters, keeping the rest', () => {
    expect(redactUrl('/provision/oauth/callback?code=abc&state=xyz')).toBe('/provision/oauth/callback?code=[redacted]&state=[redacted]');
    expect(redactUrl('/x?api_token=t&newPassword=p&limit=5')).toBe('/x?api_token=[redacted]&newPassword=[redacted]&limit=5');
    expect(redactUrl('/x?%63ode=abc')).toBe('/x?%63ode=[redacted]');
  });

  it('leaves URLs without secret parameters as they are', () => {
    expect(redactUrl('/api/users')).toBe('/api/users');
    expect(redactUrl('/api/users?q=code&codes=1&flag')).toBe('/api/users?q=code&codes=1&flag');
  });
});
