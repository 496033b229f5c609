import { describe, expect, it } from 'vitest';
import { offSiteReturnTo } from './return-to.ts';

describe('offSiteReturnTo (the server’s check of the portal’s return_to)', () => {
  it('accepts paths on this site, the IdP endpoints included', () => {
    for (const ok of ['/portal', '/portal/security', '/sso/saml/8d5b/x?SAMLRequest=abc%2B&RelayState=https%3A%2F%2Facme.zendesk.com%2F', '/sso/apps/1/start?return_to=x', '/portal/sign-in']) {
      expect(offSiteReturnTo(ok), ok).toBeNull();
    }
  });
  it('refuses other sites however they are spelled, and oversized values', () => {
    const bad = ['https://evil.example/', 'evil.example', '//evil.example/x', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', 'javascript:alert(1)', `/${'a'.repeat(4000)}`];
    for (const value of bad) expect(offSiteReturnTo(value), value).not.toBeNull();
    expect(offSiteReturnTo('/%0a')).toBeNull();
  });
});
