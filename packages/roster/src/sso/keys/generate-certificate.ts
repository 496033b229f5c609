/**
 * A new signing key pair and its self-signed X.509 certificate. Node's crypto makes the key but
 * cannot make certificates, so node-forge builds and signs the certificate.
 */
import { createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface GeneratedCertificate {
  algorithm: 'RSA-2048';
  certificatePem: string;
  /** PKCS#8 PEM: the caller encrypts it before it is stored. */
  privateKeyPem: string;
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

/** Most SPs only compare the fingerprint; the validity is what some SPs read. */
const VALID_YEARS = 3;

/** The certificate's base64 body, as it goes into `X509Certificate` elements. */
export const certificateBody = (pem: string): string => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** The SHA-256 fingerprint as SP admin centers take it: upper-case hex pairs joined by `:`. */
export function fingerprintOf(certificatePem: string): string {
  const der = Buffer.from(certificateBody(certificatePem), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export async function generateCertificate(subjectName: string, now = new Date()): Promise<GeneratedCertificate> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive 16-byte serial (leading byte below 0x80).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ shortName: 'CN', value: subjectName.slice(0, 64) }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return { algorithm: 'RSA-2048', certificatePem, privateKeyPem: privateKey, fingerprintSha256: fingerprintOf(certificatePem), notBefore, notAfter };
}
