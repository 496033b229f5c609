import { describe, expect, it } from 'vitest';
import { redactUrl, requestLogLevel } from './logger.ts';

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

describe('requestLogLevel', () => {
  it('keeps API calls, pages and every failure at info, successful asset and probe requests at debug', () => {
    expect(requestLogLevel('GET', '/api/users?q=a', 200)).toBe('info');
    expect(requestLogLevel('POST', '/api/groups', 201)).toBe('info');
    expect(requestLogLevel('GET', '/users', 200)).toBe('info');
    expect(requestLogLevel('GET', '/assets/index-abc.js', 200)).toBe('debug');
    expect(requestLogLevel('GET', '/assets/old.js', 404)).toBe('info');
    expect(requestLogLevel('GET', '/favicon.svg', 200)).toBe('debug');
    expect(requestLogLevel('GET', '/metrics', 200)).toBe('debug');
    expect(requestLogLevel('GET', '/readyz', 200)).toBe('debug');
    expect(requestLogLevel('GET', '/api/docs/static/swagger-ui.css', 200)).toBe('debug');
    expect(requestLogLevel('GET', '/metrics', 401)).toBe('info');
  });
});
