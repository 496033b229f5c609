import { X509Certificate, createPrivateKey, createSign, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, generateCertificate } from './generate-certificate.ts';

describe('generateCertificate', () => {
  it('makes an RSA-2048 self-signed certificate whose key signs what the certificate verifies', async () => {
    const g = await generateCertificate('Roster SSO test');
    const cert = new X509Certificate(g.certificatePem);
    expect(cert.subject).toContain('CN=Roster SSO test');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // Node's own fingerprint of the same certificate.
    expect(g.fingerprintSha256).toBe(cert.fingerprint256);
    expect(fingerprintOf(g.certificatePem)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const signature = createSign('RSA-SHA256').update('hello').sign(createPrivateKey(g.privateKeyPem));
    expect(createVerify('RSA-SHA256').update('hello').verify(cert.publicKey, signature)).toBe(true);
    expect(g.notAfter.getTime() - g.notBefore.getTime()).toBeGreaterThan(2 * 365 * 86_400_000);
  });
});
