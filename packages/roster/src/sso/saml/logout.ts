/**
 * SAML 2.0 single logout at the IdP (saml-profiles §4.4, saml-bindings §3.4 and §3.5): reading a
 * service provider's LogoutRequest (HTTP-Redirect: deflated; HTTP-POST: base64) and checking it
 * against the application (issuer, destination, issue instant, NotOnOrAfter), and the signed
 * LogoutResponse Roster sends back by HTTP-Redirect (the query is signed, RSA-SHA256, as §3.4.4.1 says;
 * the XML then carries no signature of its own).
 */
import { type KeyObject, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { onlyText } from './authn-request.ts';
import { INSTANT, readMessageHead } from './message-head.ts';
import type { XmlRefused } from './safe-xml.ts';
import { NS, newSamlId, samlInstant, xmlEscape } from './xml-text.ts';

export type LogoutRefusalCode = XmlRefused['code'] | 'sso_logout_invalid' | 'sso_logout_issuer' | 'sso_logout_destination' | 'sso_logout_expired';

export interface LogoutRequestFacts {
  id: string;
  issueInstant: Date;
  nameId: string;
  sessionIndexes: string[];
}

export type LogoutParse = { ok: true; value: LogoutRequestFacts } | { ok: false; code: LogoutRefusalCode; message: string };

export interface LogoutExpectations {
  /** The application's SP entity id: the only accepted Issuer. */
  audience: string;
  /** Roster's logout URL of the application (Destination, when the request names one). */
  logoutUrl: string;
  now: Date;
}

const refuse = (code: LogoutRefusalCode, message: string): LogoutParse => ({ ok: false, code, message });
const children = (root: Element, ns: string, name: string): Element[] =>
  Array.from(root.childNodes).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE && (n as Element).localName === name && (n as Element).namespaceURI === ns);

export function parseLogoutRequest(xml: string, expect: LogoutExpectations): LogoutParse {
  const head = readMessageHead(xml, { kind: 'LogoutRequest', now: expect.now, invalid: 'sso_logout_invalid', expired: 'sso_logout_expired', again: 'sign out again' });
  if (!head.ok) return head;
  const { root, id, issued } = head;
  const notOnOrAfter = root.getAttribute('NotOnOrAfter');
  if (notOnOrAfter) {
    const end = new Date(notOnOrAfter);
    if (!INSTANT.test(notOnOrAfter) || Number.isNaN(end.getTime())) return refuse('sso_logout_invalid', 'The LogoutRequest has an invalid NotOnOrAfter.');
    if (expect.now.getTime() >= end.getTime()) return refuse('sso_logout_expired', 'The LogoutRequest has expired (NotOnOrAfter has passed): sign out again.');
  }

  const issuers = children(root, NS.assertion, 'Issuer');
  if (issuers.length !== 1) return refuse('sso_logout_issuer', 'The LogoutRequest must name exactly one Issuer.');
  const issuer = onlyText(issuers[0]!);
  if (issuer !== expect.audience) return refuse('sso_logout_issuer', `The LogoutRequest comes from ${issuer ?? 'an unreadable issuer'}, not from this application (${expect.audience}).`);
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== '' && destination !== expect.logoutUrl) return refuse('sso_logout_destination', `The LogoutRequest was sent to ${destination}, not to this application's logout URL.`);

  // Exactly one identifier (§3.7.1); Roster issues plain NameIDs only, so an encrypted one is not its own.
  const nameIds = children(root, NS.assertion, 'NameID');
  if (nameIds.length !== 1) return refuse('sso_logout_invalid', 'The LogoutRequest must carry exactly one NameID.');
  const nameId = onlyText(nameIds[0]!);
  if (!nameId) return refuse('sso_logout_invalid', 'The LogoutRequest has an empty or unreadable NameID.');
  const sessionIndexes: string[] = [];
  for (const el of children(root, NS.protocol, 'SessionIndex')) {
    const v = onlyText(el);
    if (v === null) return refuse('sso_logout_invalid', 'A SessionIndex of the LogoutRequest is unreadable.');
    sessionIndexes.push(v);
  }
  return { ok: true, value: { id, issueInstant: issued, nameId, sessionIndexes } };
}

export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
} as const;

export interface LogoutResponseInput {
  issuer: string;
  /** The SP's logout endpoint. */
  destination: string;
  inResponseTo: string;
  status: (typeof STATUS)[keyof typeof STATUS];
  now: Date;
}

export function logoutResponseXml(input: LogoutResponseInput, id = newSamlId()): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id}" Version="2.0" IssueInstant="${samlInstant(input.now)}" Destination="${xmlEscape(input.destination)}" InResponseTo="${xmlEscape(input.inResponseTo)}">` +
    `<saml:Issuer>${xmlEscape(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${input.status}"/></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}

export const SIG_ALG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/**
 * The LogoutResponse as an HTTP-Redirect URL (§3.4.4.1): `SAMLResponse` deflated and base64,
 * `RelayState` as received, `SigAlg`, and `Signature` over exactly those encoded parameters in that order.
 */
export function logoutResponseRedirectUrl(input: LogoutResponseInput, relayState: string | null, privateKey: KeyObject): string {
  const deflated = deflateRawSync(Buffer.from(logoutResponseXml(input), 'utf8')).toString('base64');
  let signed = `SAMLResponse=${encodeURIComponent(deflated)}`;
  if (relayState !== null) signed += `&RelayState=${encodeURIComponent(relayState)}`;
  signed += `&SigAlg=${encodeURIComponent(SIG_ALG_RSA_SHA256)}`;
  const signature = sign('sha256', Buffer.from(signed, 'utf8'), privateKey).toString('base64');
  const url = new URL(input.destination);
  const query = `${signed}&Signature=${encodeURIComponent(signature)}`;
  return `${url.origin}${url.pathname}${url.search ? `${url.search}&` : '?'}${query}`;
}
