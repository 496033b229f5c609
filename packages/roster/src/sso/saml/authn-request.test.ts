import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSamlRequest, parseAuthnRequest } from './authn-request.ts';
import { parseSafeXml } from './safe-xml.ts';

const now = new Date('2026-12-07T04:00:00Z');
const expect_ = { audience: 'acme.zendesk.com', acsUrl: 'https://acme.zendesk.com/access/saml', ssoUrl: 'https://roster.example/sso/saml/1', now };
const request = (o: { id?: string; issued?: string; issuer?: string; attrs?: string; body?: string } = {}) =>
  `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.id ?? '_abc'}" Version="2.0" IssueInstant="${o.issued ?? '2026-12-07T03:59:30Z'}" ${o.attrs ?? ''}><saml:Issuer>${o.issuer ?? 'acme.zendesk.com'}</saml:Issuer>${o.body ?? ''}</samlp:AuthnRequest>`;
const code = (xml: string) => {
  const r = parseAuthnRequest(xml, expect_);
  return r.ok ? 'ok' : r.code;
};

describe('parseAuthnRequest', () => {
  it('reads the id of a good request, with or without the optional ACS URL and destination', () => {
    expect(parseAuthnRequest(request(), expect_)).toMatchObject({ ok: true, value: { id: '_abc', issuer: 'acme.zendesk.com' } });
    expect(code(request({ attrs: `AssertionConsumerServiceURL="${expect_.acsUrl}" Destination="${expect_.ssoUrl}"` }))).toBe('ok');
  });
  it('refuses what is not this application’s', () => {
    expect(code(request({ attrs: 'AssertionConsumerServiceURL="https://evil.example/acs"' }))).toBe('sso_request_acs');
    expect(code(request({ attrs: 'Destination="https://roster.example/sso/saml/2"' }))).toBe('sso_request_destination');
    expect(code(request({ issuer: 'evil.zendesk.com' }))).toBe('sso_request_issuer');
    expect(code(request({ body: '<saml:Issuer>acme.zendesk.com</saml:Issuer>' }))).toBe('sso_request_issuer');
    expect(code(request({ attrs: 'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"' }))).toBe('sso_request_invalid');
  });
  it('refuses old, future and malformed requests', () => {
    expect(code(request({ issued: '2026-12-07T03:50:00Z' }))).toBe('sso_request_expired');
    expect(code(request({ issued: '2026-12-07T04:10:00Z' }))).toBe('sso_request_expired');
    expect(code(request({ issued: 'yesterday' }))).toBe('sso_request_invalid');
    expect(code(request({ id: '1-not-an-ncname' }))).toBe('sso_request_invalid');
    expect(code('<Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol"/>')).toBe('sso_request_invalid');
    expect(code('<unclosed>')).toBe('sso_xml_malformed');
  });
  it('refuses comments, DTDs, entities and duplicate ids before reading anything', () => {
    expect(code(request({ issuer: 'acme.zendesk.com<!-- x -->' }))).toBe('sso_xml_comment');
    expect(code(`<!DOCTYPE x [<!ENTITY a "b">]>${request()}`)).toBe('sso_xml_dtd');
    expect(code(request({ body: '<samlp:Extensions><e ID="_abc"/></samlp:Extensions>' }))).toBe('sso_xml_duplicate_id');
    expect(code(request({ body: `<samlp:Extensions>${'x'.repeat(40_000)}</samlp:Extensions>` }))).toBe('sso_xml_too_large');
    expect(() => parseSafeXml('<?xml version="1.0"?><a/>')).not.toThrow();
    expect(() => parseSafeXml('<a><?evil x?></a>')).toThrow(/processing instruction/);
  });
});

describe('decodeSamlRequest', () => {
  it('inflates the Redirect binding and decodes the POST binding', () => {
    const xml = request();
    expect(decodeSamlRequest(deflateRawSync(Buffer.from(xml)).toString('base64'), 'redirect')).toEqual({ ok: true, xml });
    expect(decodeSamlRequest(Buffer.from(xml).toString('base64'), 'post')).toEqual({ ok: true, xml });
  });
  it('refuses a deflate bomb, text that is not base64, and an uncompressed Redirect request', () => {
    const bomb = deflateRawSync(Buffer.alloc(10_000_000, 0x20)).toString('base64');
    expect(decodeSamlRequest(bomb, 'redirect')).toMatchObject({ ok: false, code: 'sso_xml_too_large' });
    expect(decodeSamlRequest('<xml>', 'post')).toMatchObject({ ok: false, code: 'sso_request_encoding' });
    expect(decodeSamlRequest(Buffer.from(request()).toString('base64'), 'redirect')).toMatchObject({ ok: false, code: 'sso_request_encoding' });
  });
});
