import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.ts';

describe('safeReturnTo', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeReturnTo('/sso/saml/abc?SAMLRequest=x%2By&RelayState=https%3A%2F%2Fz')).toBe('/sso/saml/abc?SAMLRequest=x%2By&RelayState=https%3A%2F%2Fz');
    expect(safeReturnTo('/portal/security')).toBe('/portal/security');
  });

  it('refuses every way out of the site, and loops back to sign-in', () => {
    for (const bad of [null, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', '\\\\evil.test', 'javascript:alert(1)', '/\t/evil.test', 'evil.test', '/portal/sign-in?return_to=/x']) {
      expect(safeReturnTo(bad), String(bad)).toBe('/portal');
    }
  });
});
