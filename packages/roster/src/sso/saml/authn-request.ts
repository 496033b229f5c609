/**
 * Reading a service provider's AuthnRequest (HTTP-Redirect: deflated and base64; HTTP-POST:
 * base64) and checking it against the application: issuer, assertion consumer URL, destination,
 * issue instant. What it returns is only what Roster uses: the request id (InResponseTo).
 */
import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { MAX_XML_BYTES, XmlRefused, parseSafeXml } from './safe-xml.ts';
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

/** An AuthnRequest older (or further in the future) than this is refused. */
export const AUTHN_REQUEST_WINDOW_MS = 5 * 60_000;
export const NCNAME = /^[A-Za-z_][\w.-]{0,255}$/;
/** SAML's dateTime in UTC, as Roster accepts it in requests. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

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
  let doc;
  try {
    doc = parseSafeXml(xml);
  } catch (e) {
    if (e instanceof XmlRefused) return refuse(e.code, e.message);
    throw e;
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'AuthnRequest' || root.namespaceURI !== NS.protocol) return refuse('sso_request_invalid', 'The message is not a SAML 2.0 AuthnRequest.');
  const id = root.getAttribute('ID') ?? '';
  if (!NCNAME.test(id)) return refuse('sso_request_invalid', 'The AuthnRequest has no valid ID.');
  if (root.getAttribute('Version') !== '2.0') return refuse('sso_request_invalid', 'The AuthnRequest is not SAML version 2.0.');
  const issuedText = root.getAttribute('IssueInstant') ?? '';
  const issued = new Date(issuedText);
  if (!INSTANT.test(issuedText) || Number.isNaN(issued.getTime())) return refuse('sso_request_invalid', 'The AuthnRequest has no valid IssueInstant.');
  if (Math.abs(expect.now.getTime() - issued.getTime()) > AUTHN_REQUEST_WINDOW_MS) return refuse('sso_request_expired', 'The AuthnRequest was issued more than 5 minutes from now: start the sign-in again.');

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
