import { generateKeyPairSync, verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STATUS, logoutResponseRedirectUrl, parseLogoutRequest } from './logout.ts';

const audience = 'acme.zendesk.com';
const logoutUrl = 'http://roster.test/sso/saml/app/logout';
const now = new Date('2026-12-07T10:00:00Z');
const request = (attrs = '', body = `<saml:NameID>ada@acme.test</saml:NameID>`) =>
  `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-12-07T09:59:30Z"${attrs}><saml:Issuer>${audience}</saml:Issuer>${body}</samlp:LogoutRequest>`;

describe('parseLogoutRequest', () => {
  it('reads the id, NameID and every SessionIndex', () => {
    const parsed = parseLogoutRequest(request('', '<saml:NameID>ada@acme.test</saml:NameID><samlp:SessionIndex>_a</samlp:SessionIndex><samlp:SessionIndex>_b</samlp:SessionIndex>'), { audience, logoutUrl, now });
    expect(parsed).toEqual({ ok: true, value: { id: '_r1', issueInstant: new Date('2026-12-07T09:59:30Z'), nameId: 'ada@acme.test', sessionIndexes: ['_a', '_b'] } });
  });
  it('refuses a passed NotOnOrAfter, no NameID or two, and markup inside the NameID', () => {
    expect(parseLogoutRequest(request(' NotOnOrAfter="2026-12-07T09:59:59Z"'), { audience, logoutUrl, now })).toMatchObject({ ok: false, code: 'sso_logout_expired' });
    expect(parseLogoutRequest(request(' NotOnOrAfter="2026-12-07T10:05:00Z"'), { audience, logoutUrl, now })).toMatchObject({ ok: true });
    expect(parseLogoutRequest(request('', ''), { audience, logoutUrl, now })).toMatchObject({ ok: false, code: 'sso_logout_invalid' });
    expect(parseLogoutRequest(request('', '<saml:NameID>a@x</saml:NameID><saml:NameID>b@x</saml:NameID>'), { audience, logoutUrl, now })).toMatchObject({ ok: false, code: 'sso_logout_invalid' });
    expect(parseLogoutRequest(request('', '<saml:NameID>a<b/>@x</saml:NameID>'), { audience, logoutUrl, now })).toMatchObject({ ok: false, code: 'sso_logout_invalid' });
    expect(parseLogoutRequest(request('', '<saml:NameID>a<!-- x -->@x</saml:NameID>'), { audience, logoutUrl, now })).toMatchObject({ ok: false, code: 'sso_xml_comment' });
  });
});

describe('logoutResponseRedirectUrl', () => {
  it('signs exactly SAMLResponse, RelayState and SigAlg as sent, and keeps the SP URL’s own query', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const url = logoutResponseRedirectUrl({ issuer: 'http://roster.test/sso/saml/app', destination: 'https://acme.zendesk.com/slo?x=1', inResponseTo: '_r1', status: STATUS.success, now }, 'r&s=1', privateKey);
    expect(url.startsWith('https://acme.zendesk.com/slo?x=1&SAMLResponse=')).toBe(true);
    const query = url.slice(url.indexOf('SAMLResponse='));
    const signed = query.slice(0, query.indexOf('&Signature='));
    const signature = new URL(url).searchParams.get('Signature')!;
    expect(verify('sha256', Buffer.from(signed), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(new URL(url).searchParams.get('RelayState')).toBe('r&s=1');
    const xml = inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
    expect(xml).toContain('InResponseTo="_r1"');
    expect(xml).toContain('Destination="https://acme.zendesk.com/slo?x=1"');
  });
});
