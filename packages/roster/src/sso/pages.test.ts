import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../api/security-headers.ts';
import { autoPostCsp, autoPostPage, refusalPage } from './pages.ts';
import { idpMetadataXml } from './saml/metadata.ts';

describe('SSO pages', () => {
  it('escapes every value of the post page and runs no inline script', () => {
    const html = autoPostPage('https://acme.zendesk.com/access/saml?a=1&b="2"', { SAMLResponse: '"><script>alert(1)</script>', RelayState: "x'y" }, '<Evil & Co>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('action="https://acme.zendesk.com/access/saml?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('&lt;Evil &amp; Co&gt;');
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/sso/autopost.js">']);
  });
  it('widens form-action to the application’s origin only', () => {
    const csp = autoPostCsp(contentSecurityPolicy, 'https://acme.zendesk.com/access/saml');
    expect(csp).toContain("form-action 'self' https://acme.zendesk.com;");
    expect(csp).toContain("script-src 'self';");
  });
  it('says “You don’t have access” for access refusals, and names the code', () => {
    expect(refusalPage('Zendesk', { code: 'sso_not_assigned', message: 'm', advice: 'a' }, 'Not assigned')).toContain('You don&#39;t have access to Zendesk');
    expect(refusalPage('Zendesk', { code: 'sso_xml_dtd', message: 'm', advice: 'a' }, 'DTD')).toContain('Sign-in to Zendesk refused');
  });
  it('publishes every certificate in the metadata', () => {
    const xml = idpMetadataXml({ entityId: 'https://r/sso/saml/1', ssoUrl: 'https://r/sso/saml/1', logoutUrl: 'https://r/sso/saml/1/logout', certificatePems: ['-----BEGIN CERTIFICATE-----\nAAA=\n-----END CERTIFICATE-----', 'BBB='] });
    expect(xml.match(/<ds:X509Certificate>/g)).toHaveLength(2);
    expect(xml).toContain('<ds:X509Certificate>AAA=</ds:X509Certificate>');
    expect(xml).toContain('entityID="https://r/sso/saml/1"');
  });
});
