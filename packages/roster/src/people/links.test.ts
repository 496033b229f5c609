import { describe, expect, it } from 'vitest';
import { LINK_TTL_MS, linkExpiry, linkUrl } from './links.ts';

describe('one-time links', () => {
  it('expire 7 days (invitation) and 1 hour (reset) after they are made', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(linkExpiry('invite', now).toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(linkExpiry('reset', now).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(LINK_TTL_MS.reset).toBeLessThan(LINK_TTL_MS.invite);
  });

  it('carry the token in the fragment, which browsers never send to a server', () => {
    const url = new URL(linkUrl('https://roster.example.test', 'reset', 'rpr_a+b/c'));
    expect(url.pathname).toBe('/portal/reset-password');
    expect(url.search).toBe('');
    expect(decodeURIComponent(url.hash)).toBe('#token=rpr_a+b/c');
  });
});
