import { createHash, X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { SsoMemory } from '../store/sso.ts';
import { allElements, child, children, is, NS, parseStrictXml, SsoError, type XElement } from './xml.ts';

/** Clock skew tolerated on NotBefore / NotOnOrAfter. */
export const SAML_SKEW_MS = 2 * 60_000;
/** The longest an assertion id is remembered for replay checks when its NotOnOrAfter is far away. */
const REPLAY_MEMORY_MS = 24 * 3600_000;

const ALLOWED_SIGNATURE_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1']);
const ALLOWED_TRANSFORMS = new Set(['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments']);
const NAMEID_FORMATS = new Set(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the account expects of a response. */
export interface SamlExpectations {
  /** This account's assertion consumer URL (Recipient and Destination). */
  readonly acsUrl: string;
  /** `{sub}.zendesk.com`. */
  readonly audience: string;
  /** The configured SHA-256 certificate fingerprint, `AB:CD:…`. */
  readonly fingerprint: string;
  readonly memory: SsoMemory;
  readonly nowMs?: number;
}

/** A verified assertion: the NameID (email) and the attributes, read from the signed XML only. */
export interface VerifiedAssertion {
  readonly email: string;
  readonly attributes: ReadonlyMap<string, string[]>;
  readonly assertionId: string;
}

const fingerprintOf = (der: Buffer) => createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';

function time(el: XElement, attr: string): number | null {
  const raw = el.getAttribute(attr);
  if (!raw) return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new SsoError(`The SAML response has an invalid ${attr} time (${raw}).`, 400);
  return ms;
}

/** Refuses any ID value used by two elements (the classic signature-wrapping set-up). */
function refuseDuplicateIds(root: XElement): void {
  const seen = new Set<string>();
  for (const el of allElements(root)) {
    for (const name of ['ID', 'Id', 'id']) {
      const v = el.getAttribute(name);
      if (!v) continue;
      if (seen.has(v)) throw new SsoError(`The SAML response has two elements with the same ID (${v}).`, 400);
      seen.add(v);
    }
  }
}

/**
 * Checks the signature on `signed` (the assertion or the response) with the certificate it carries,
 * after checking that certificate against the configured fingerprint. Returns the canonical XML that
 * was signed — everything read afterwards comes from it, never from the received document.
 */
function verifySignature(xml: string, signed: XElement, signature: XElement, fingerprint: string): string {
  const certText = (() => {
    const keyInfo = child(signature, NS.ds, 'KeyInfo');
    const data = keyInfo ? child(keyInfo, NS.ds, 'X509Data') : undefined;
    const cert = data ? children(data, NS.ds, 'X509Certificate')[0] : undefined;
    return cert?.textContent?.replace(/\s+/g, '') ?? '';
  })();
  if (!certText) throw new SsoError('The SAML signature does not include its certificate (KeyInfo/X509Data/X509Certificate).');
  const der = Buffer.from(certText, 'base64');
  let pem: string;
  try {
    pem = new X509Certificate(der).toString();
  } catch {
    throw new SsoError('The certificate in the SAML signature is not a valid X.509 certificate.', 400);
  }
  const got = fingerprintOf(der);
  if (got !== fingerprint) throw new SsoError(`Fingerprint mismatch: the certificate in the SAML response (SHA-256 ${got}) does not match the certificate fingerprint configured for this account.`);

  const id = signed.getAttribute('ID');
  if (!id) throw new SsoError(`The signed ${signed.localName} has no ID.`, 400);
  const sig = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
  try {
    sig.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
  } catch (err) {
    throw new SsoError(`The SAML signature cannot be read (${(err as Error).message}).`, 400);
  }
  if (!ALLOWED_SIGNATURE_ALGORITHMS.has(String(sig.signatureAlgorithm))) throw new SsoError(`The SAML signature algorithm ${String(sig.signatureAlgorithm)} is not accepted (RSA-SHA256 expected).`);
  const refs = sig.getReferences();
  if (refs.length !== 1 || refs[0]?.uri !== `#${id}`) throw new SsoError(`The SAML signature does not reference the ${signed.localName} it belongs to (#${id}).`);
  for (const t of refs[0].transforms) if (!ALLOWED_TRANSFORMS.has(t)) throw new SsoError(`The SAML signature uses a transform that is not accepted (${t}).`);
  let valid: boolean;
  try {
    valid = sig.checkSignature(xml);
  } catch (err) {
    throw new SsoError(`The SAML signature is invalid (${(err as Error).message.split('\n')[0]}).`);
  }
  const signedXml = sig.getSignedReferences();
  if (!valid || signedXml.length !== 1) throw new SsoError('The SAML signature is invalid: the signed content was changed after signing.');
  return signedXml[0] as string;
}

/**
 * Validates a base64 `SAMLResponse` as Zendesk does and returns the signed-in identity. Order: strict
 * parse (no DTD), status, one plain assertion, unique IDs, signature (assertion or response) with the
 * certificate matching the fingerprint, then — on the signed XML only — audience, recipient, time
 * window, InResponseTo, NameID. Replays are refused. Nothing is remembered unless all checks pass.
 */
export function verifySamlResponse(samlResponse: string, expect: SamlExpectations): VerifiedAssertion {
  const now = expect.nowMs ?? Date.now();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw new SsoError('SAMLResponse is not base64.', 400);
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const doc = parseStrictXml(xml, 'SAML response');
  const response = doc.documentElement;
  if (!is(response, NS.samlp, 'Response')) throw new SsoError('The SAML message is not a samlp:Response.', 400);
  refuseDuplicateIds(response);

  const status = child(response, NS.samlp, 'Status');
  const code = status ? child(status, NS.samlp, 'StatusCode')?.getAttribute('Value') : undefined;
  if (code !== 'urn:oasis:names:tc:SAML:2.0:status:Success') throw new SsoError(`The identity provider did not sign you in (status ${code ?? 'missing'}).`);
  const destination = response.getAttribute('Destination');
  if (destination && destination !== expect.acsUrl) throw new SsoError(`The SAML response is addressed to ${destination}, not to this account (${expect.acsUrl}).`);
  if (children(response, NS.saml, 'EncryptedAssertion').length > 0) throw new SsoError('Encrypted assertions are not supported.', 400);
  const assertions = children(response, NS.saml, 'Assertion');
  if (assertions.length !== 1) throw new SsoError(`The SAML response must hold exactly one assertion (it holds ${assertions.length}).`, 400);
  const assertion = assertions[0] as XElement;

  // The assertion's own signature, else the response's: the one used must cover the assertion read below.
  const assertionSig = child(assertion, NS.ds, 'Signature');
  const responseSig = child(response, NS.ds, 'Signature');
  const signedEl = assertionSig ? assertion : response;
  const signature = assertionSig ?? responseSig;
  if (!signature) throw new SsoError('The SAML assertion is not signed.');
  const signedXml = verifySignature(xml, signedEl, signature, expect.fingerprint);

  const signedDoc = parseStrictXml(signedXml, 'signed SAML content');
  const signedRoot = signedDoc.documentElement;
  let signedAssertion: XElement;
  if (is(signedRoot, NS.saml, 'Assertion')) signedAssertion = signedRoot;
  else if (is(signedRoot, NS.samlp, 'Response')) {
    const inner = children(signedRoot, NS.saml, 'Assertion');
    if (inner.length !== 1) throw new SsoError('The signed SAML response must hold exactly one assertion.', 400);
    signedAssertion = inner[0] as XElement;
  } else throw new SsoError('The SAML signature covers neither the assertion nor the response.');
  const assertionId = signedAssertion.getAttribute('ID') ?? '';
  if (!assertionId || assertionId !== assertion.getAttribute('ID')) throw new SsoError('The signed assertion is not the assertion of this response.');

  // Conditions: time window and audience.
  const conditions = child(signedAssertion, NS.saml, 'Conditions');
  if (!conditions) throw new SsoError('The SAML assertion has no Conditions (validity window and audience).', 400);
  const notBefore = time(conditions, 'NotBefore');
  const notOnOrAfter = time(conditions, 'NotOnOrAfter');
  if (notBefore !== null && now + SAML_SKEW_MS < notBefore) throw new SsoError('The SAML assertion is not valid yet (NotBefore is in the future).');
  if (notOnOrAfter !== null && now - SAML_SKEW_MS >= notOnOrAfter) throw new SsoError('The SAML assertion has expired (NotOnOrAfter has passed).');
  const restrictions = children(conditions, NS.saml, 'AudienceRestriction');
  if (restrictions.length === 0) throw new SsoError(`The SAML assertion has no audience; expected ${expect.audience}.`);
  for (const r of restrictions) {
    const audiences = children(r, NS.saml, 'Audience').map((a) => (a.textContent ?? '').trim());
    if (!audiences.includes(expect.audience)) throw new SsoError(`The SAML assertion is meant for ${audiences.join(', ') || 'no audience'}, not for ${expect.audience}.`);
  }

  // Subject: NameID (email) and the bearer confirmation (recipient, expiry, InResponseTo).
  const subject = child(signedAssertion, NS.saml, 'Subject');
  const nameId = subject ? child(subject, NS.saml, 'NameID') : undefined;
  if (!subject || !nameId) throw new SsoError('The SAML assertion has no NameID.', 400);
  const format = nameId.getAttribute('Format');
  if (format && !NAMEID_FORMATS.has(format)) throw new SsoError(`The NameID format ${format} is not accepted; send the email address (emailAddress).`, 400);
  const email = (nameId.textContent ?? '').trim();
  if (!EMAIL.test(email)) throw new SsoError(`The NameID "${email}" is not an email address.`, 400);
  const confirmations = children(subject, NS.saml, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer');
  const data = confirmations.map((c) => child(c, NS.saml, 'SubjectConfirmationData')).find((d) => d !== undefined);
  if (!data) throw new SsoError('The SAML assertion has no bearer SubjectConfirmationData.', 400);
  const recipient = data.getAttribute('Recipient');
  if (recipient !== expect.acsUrl) throw new SsoError(`The SAML assertion's recipient is ${recipient ?? 'missing'}, not this account's ${expect.acsUrl}.`);
  const confirmUntil = time(data, 'NotOnOrAfter');
  if (confirmUntil !== null && now - SAML_SKEW_MS >= confirmUntil) throw new SsoError('The SAML assertion has expired (SubjectConfirmationData NotOnOrAfter has passed).');
  const confirmNotBefore = time(data, 'NotBefore');
  if (confirmNotBefore !== null && now + SAML_SKEW_MS < confirmNotBefore) throw new SsoError('The SAML assertion is not valid yet.');
  const inResponseTo = data.getAttribute('InResponseTo') || response.getAttribute('InResponseTo') || null;
  const responseIrt = response.getAttribute('InResponseTo');
  if (responseIrt && data.getAttribute('InResponseTo') && responseIrt !== data.getAttribute('InResponseTo')) throw new SsoError('The response and the assertion answer different requests (InResponseTo).', 400);
  if (inResponseTo !== null && !expect.memory.authnRequests.has(inResponseTo, now)) {
    throw new SsoError('The SAML response answers a sign-in request this account did not send, or one that was already answered or has expired (InResponseTo).');
  }
  if (expect.memory.assertions.has(assertionId, now)) throw new SsoError('This SAML assertion was already used (replay).');

  const attributes = new Map<string, string[]>();
  for (const statement of children(signedAssertion, NS.saml, 'AttributeStatement')) {
    for (const attr of children(statement, NS.saml, 'Attribute')) {
      const name = attr.getAttribute('Name') ?? '';
      const values = children(attr, NS.saml, 'AttributeValue').map((v) => (v.textContent ?? '').trim());
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }

  // All checks passed: remember the assertion (replay) and consume the request.
  const until = Math.min(Math.max(notOnOrAfter ?? 0, confirmUntil ?? 0, now) + SAML_SKEW_MS, now + REPLAY_MEMORY_MS);
  expect.memory.assertions.add(assertionId, until, now);
  if (inResponseTo !== null) expect.memory.authnRequests.take(inResponseTo, now);
  return { email, attributes, assertionId };
}
