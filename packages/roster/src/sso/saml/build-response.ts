/**
 * The SAML Response Roster sends to a service provider: one assertion with the NameID and
 * attributes, bearer subject confirmation, audience, a short validity, and an enveloped signature
 * over the assertion (RSA-SHA256, exclusive c14n) carrying the certificate in KeyInfo.
 */
import { SignedXml } from 'xml-crypto';
import type { KeyObject } from 'node:crypto';
import type { SamlAttribute } from '../../connectors/contract.ts';
import { NS, newSamlId, samlInstant, xmlEscape } from './xml-text.ts';

/** How long an assertion may be used: short, so a leaked one is soon worthless. */
export const ASSERTION_LIFETIME_MS = 5 * 60_000;
/** NotBefore this far in the past, for SP clocks slightly behind ours. */
export const CLOCK_SKEW_MS = 30_000;

export interface ResponseInput {
  issuer: string;
  destination: string;
  audience: string;
  nameId: string;
  nameIdFormat: string;
  attributes: readonly SamlAttribute[];
  /** The AuthnRequest's ID (SP-initiated); absent for an unsolicited response. */
  inResponseTo?: string | undefined;
  sessionIndex: string;
  authnInstant: Date;
  now: Date;
  certificatePem: string;
  privateKey: KeyObject;
}

export interface BuiltResponse {
  xml: string;
  responseId: string;
  assertionId: string;
  notOnOrAfter: Date;
}

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The unsigned Response; exported for tests that need to see the shape before signing. */
export function responseXml(input: Omit<ResponseInput, 'certificatePem' | 'privateKey'>, ids: { responseId: string; assertionId: string }): { xml: string; notOnOrAfter: Date } {
  const issued = samlInstant(input.now);
  const notBefore = samlInstant(new Date(input.now.getTime() - CLOCK_SKEW_MS));
  const notOnOrAfterDate = new Date(input.now.getTime() + ASSERTION_LIFETIME_MS);
  const notOnOrAfter = samlInstant(notOnOrAfterDate);
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${xmlEscape(input.inResponseTo)}"` : '';
  const attributes = input.attributes
    .map(
      (a) =>
        `<saml:Attribute Name="${xmlEscape(a.name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">${a.values
          .map((v) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${xmlEscape(v)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  const xml =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${ids.responseId}" Version="2.0" IssueInstant="${issued}" Destination="${xmlEscape(input.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${xmlEscape(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:saml="${NS.assertion}" ID="${ids.assertionId}" Version="2.0" IssueInstant="${issued}">` +
    `<saml:Issuer>${xmlEscape(input.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${xmlEscape(input.nameIdFormat)}">${xmlEscape(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${xmlEscape(input.destination)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${samlInstant(input.authnInstant)}" SessionIndex="${xmlEscape(input.sessionIndex)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion></samlp:Response>`;
  return { xml, notOnOrAfter: notOnOrAfterDate };
}

/** Builds and signs the Response (the assertion is signed; the SP checks that signature). */
export function buildSignedResponse(input: ResponseInput): BuiltResponse {
  const ids = { responseId: newSamlId(), assertionId: newSamlId() };
  const { xml, notOnOrAfter } = responseXml(input, ids);
  const signer = new SignedXml({ privateKey: input.privateKey, publicCert: input.certificatePem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  // By URI of the assertion's own ID: the reference names exactly the element that is signed.
  signer.addReference({ xpath: `//*[local-name(.)='Assertion' and @ID='${ids.assertionId}']`, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']`, action: 'after' } });
  return { xml: signer.getSignedXml(), responseId: ids.responseId, assertionId: ids.assertionId, notOnOrAfter };
}
