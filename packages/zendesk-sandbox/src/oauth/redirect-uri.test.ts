import { describe, expect, it } from 'vitest';
import { redirectUriAllowed } from './redirect-uri.ts';

describe('redirectUriAllowed', () => {
  const registered = ['http://localhost/oauth/callback', 'https://app.example.com/cb'];
  it('matches exactly, or loopback with any port', () => {
    expect(redirectUriAllowed(registered, 'https://app.example.com/cb')).toBe(true);
    expect(redirectUriAllowed(registered, 'http://localhost:5173/oauth/callback')).toBe(true);
  });
  it('refuses other paths, hosts and garbage', () => {
    expect(redirectUriAllowed(registered, 'http://localhost:5173/other')).toBe(false);
    expect(redirectUriAllowed(registered, 'https://app.example.com:8443/cb')).toBe(false);
    expect(redirectUriAllowed(registered, 'https://evil.example.com/cb')).toBe(false);
    expect(redirectUriAllowed(registered, 'not a url')).toBe(false);
  });
});
