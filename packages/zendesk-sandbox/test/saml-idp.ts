import { generateKeyPairSync, randomBytes, createHash } from 'node:crypto';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';

/** A test identity provider: an RSA key and a self-signed certificate made for the test run. */
export interface TestIdp {
  readonly keyPem: string;
  readonly certPem: string;
  /** SHA-256 fingerprint of the certificate, `AB:CD:…`. */
  readonly fingerprint: string;
}

export function makeIdp(commonName = 'Test IdP'): TestIdp {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
  return { keyPem, certPem, fingerprint };
}

export interface AssertionOptions {
  email: string;
  acsUrl: string;
  audience: string;
  inResponseTo?: string;
  attributes?: Record<string, string | string[]>;
  /** Offsets from now in ms. */
  notBefore?: number;
  notOnOrAfter?: number;
  assertionId?: string;
  destination?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function assertionXml(o: AssertionOptions): string {
  const now = Date.now();
  const iso = (offset: number) => new Date(now + offset).toISOString();
  const id = o.assertionId ?? `_a${randomBytes(12).toString('hex')}`;
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
  const attrs = Object.entries(o.attributes ?? {})
    .map(([name, v]) => `<saml:Attribute Name="${esc(name)}">${(Array.isArray(v) ? v : [v]).map((x) => `<saml:AttributeValue>${esc(x)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0)}">` +
    `<saml:Issuer>https://idp.test/sso</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${esc(o.acsUrl)}" NotOnOrAfter="${iso(o.notOnOrAfter ?? 300_000)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(o.notBefore ?? -60_000)}" NotOnOrAfter="${iso(o.notOnOrAfter ?? 300_000)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(0)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/** Signs the (first) element with local name `local` in place: RSA-SHA256, exclusive c14n, enveloped, certificate in KeyInfo. */
export function signElement(xml: string, local: 'Assertion' | 'Response', idp: TestIdp): string {
  const sig = new SignedXml({
    privateKey: idp.keyPem,
    publicCert: idp.certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `//*[local-name(.)='${local}']`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[local-name(.)='Issuer' and parent::*[local-name(.)='${local}']]`, action: 'after' } });
  return sig.getSignedXml();
}

export function responseXml(inner: string, o: { destination: string; inResponseTo?: string; id?: string }): string {
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.id ?? `_r${randomBytes(12).toString('hex')}`}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(o.destination)}"${irt}>` +
    `<saml:Issuer>https://idp.test/sso</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    inner +
    `</samlp:Response>`
  );
}

/** A complete, assertion-signed response, base64 as posted in `SAMLResponse`. */
export function signedResponse(idp: TestIdp, o: AssertionOptions): { base64: string; xml: string } {
  const xml = responseXml(signElement(assertionXml(o), 'Assertion', idp), { destination: o.destination ?? o.acsUrl, ...(o.inResponseTo ? { inResponseTo: o.inResponseTo } : {}) });
  return { base64: Buffer.from(xml).toString('base64'), xml };
}
