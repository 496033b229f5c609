/** The IdP metadata of one application: entity id, signing certificates, SSO and logout endpoints. */
import { certificateBody } from '../keys/generate-certificate.ts';
import { BINDING, NS, xmlEscape } from './xml-text.ts';

export interface MetadataInput {
  entityId: string;
  ssoUrl: string;
  logoutUrl: string;
  /** Every published certificate: the active one and, during a rotation, the next one. */
  certificatePems: readonly string[];
}

export function idpMetadataXml(input: MetadataInput): string {
  const keys = input.certificatePems
    .map((pem) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${NS.dsig}"><ds:X509Data><ds:X509Certificate>${certificateBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const sso = xmlEscape(input.ssoUrl);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${xmlEscape(input.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.protocol}">` +
    keys +
    `<md:SingleLogoutService Binding="${BINDING.redirect}" Location="${xmlEscape(input.logoutUrl)}"/>` +
    `<md:SingleLogoutService Binding="${BINDING.post}" Location="${xmlEscape(input.logoutUrl)}"/>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${BINDING.redirect}" Location="${sso}"/>` +
    `<md:SingleSignOnService Binding="${BINDING.post}" Location="${sso}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
