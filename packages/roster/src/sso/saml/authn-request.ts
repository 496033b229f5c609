/**
 * Reading a service provider's AuthnRequest (HTTP-Redirect: deflated and base64; HTTP-POST:
 * base64) and checking it against the application: issuer, assertion consumer URL, destination,
 * issue instant. What it returns is only what Roster uses: the request id (InResponseTo).
 */
import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { readMessageHead } from './message-head.ts';
import { MAX_XML_BYTES, type XmlRefused } from './safe-xml.ts';
import { BINDING, NS } from './xml-text.ts';

export type AuthnRefusalCode =
  | XmlRefused['code']
  | 'sso_request_encoding'
  | 'sso_request_invalid'
  | 'sso_request_issuer'
  | 'sso_request_acs'
  | 'sso_request_destination'
  | 'sso_request_expired';

export interface AuthnRequestFacts {
  id: string;
  issuer: string;
  issueInstant: Date;
}

export type AuthnParse = { ok: true; value: AuthnRequestFacts } | { ok: false; code: AuthnRefusalCode; message: string };

export interface AuthnExpectations {
  audience: string;
  acsUrl: string;
  /** Roster's SSO URL of the application (Destination, when the request names one). */
  ssoUrl: string;
  now: Date;
}


const refuse = (code: AuthnRefusalCode, message: string): AuthnParse => ({ ok: false, code, message });

/** Decodes `SAMLRequest` as the binding carries it; a size cap applies before and after inflating. */
export function decodeSamlRequest(value: string, binding: 'redirect' | 'post'): { ok: true; xml: string } | { ok: false; code: AuthnRefusalCode; message: string } {
  if (value.length > MAX_XML_BYTES * 2) return { ok: false, code: 'sso_xml_too_large', message: 'The SAMLRequest is too large.' };
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return { ok: false, code: 'sso_request_encoding', message: 'The SAMLRequest is not base64.' };
  const bytes = Buffer.from(value, 'base64');
  if (binding === 'post') return { ok: true, xml: bytes.toString('utf8') };
  try {
    return { ok: true, xml: inflateRawSync(bytes, { maxOutputLength: MAX_XML_BYTES }).toString('utf8') };
  } catch (e) {
    const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test((e as Error).message);
    return tooLarge
      ? { ok: false, code: 'sso_xml_too_large', message: 'The SAMLRequest inflates to more than Roster accepts.' }
      : { ok: false, code: 'sso_request_encoding', message: 'The SAMLRequest is not deflated as the HTTP-Redirect binding requires.' };
  }
}

/** An element's text only (null when it has markup inside). */
export function onlyText(el: Element): string | null {
  let text = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== c.TEXT_NODE && c.nodeType !== c.CDATA_SECTION_NODE) return null;
    text += c.nodeValue ?? '';
  }
  return text.trim();
}

export function parseAuthnRequest(xml: string, expect: AuthnExpectations): AuthnParse {
  const head = readMessageHead(xml, { kind: 'AuthnRequest', now: expect.now, invalid: 'sso_request_invalid', expired: 'sso_request_expired', again: 'start the sign-in again' });
  if (!head.ok) return head;
  const { root, id, issued } = head;

  const issuers = Array.from(root.childNodes).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE && (n as Element).localName === 'Issuer' && (n as Element).namespaceURI === NS.assertion);
  if (issuers.length !== 1) return refuse('sso_request_issuer', 'The AuthnRequest must name exactly one Issuer.');
  const issuer = onlyText(issuers[0]!);
  if (issuer !== expect.audience) return refuse('sso_request_issuer', `The AuthnRequest comes from ${issuer ?? 'an unreadable issuer'}, not from this application (${expect.audience}).`);

  const acs = root.getAttribute('AssertionConsumerServiceURL');
  if (acs !== null && acs !== '' && acs !== expect.acsUrl) return refuse('sso_request_acs', `The AuthnRequest asks for the answer at ${acs}, which is not this application's sign-in URL.`);
  const binding = root.getAttribute('ProtocolBinding');
  if (binding !== null && binding !== '' && binding !== BINDING.post) return refuse('sso_request_invalid', `The AuthnRequest asks for the binding ${binding}; Roster answers with HTTP-POST only.`);
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== '' && destination !== expect.ssoUrl) return refuse('sso_request_destination', `The AuthnRequest was sent to ${destination}, not to this application's sign-in URL.`);
  return { ok: true, value: { id, issuer, issueInstant: issued } };
}
