import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTotp, newTotpSecret, totpCode, totpStep, totpUri } from './totp.ts';

/** RFC 6238 appendix B's reference secret: ASCII "12345678901234567890" (base32 below). */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** RFC 4226 §5.3 truncation written out, independent of the library. */
function referenceCode(secretAscii: string, at: Date): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const mac = createHmac('sha1', Buffer.from(secretAscii)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

describe('TOTP', () => {
  it('matches RFC 6238 test vectors (SHA-1, 6 digits)', () => {
    // Appendix B gives 8 digits; the last 6 of them are the 6-digit code.
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, new Date(1111111109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, new Date(2000000000_000))).toBe('279037');
    const at = new Date('2026-05-01T12:00:00Z');
    expect(totpCode(RFC_SECRET, at)).toBe(referenceCode('12345678901234567890', at));
  });

  it('accepts the current step and one either side, nothing further', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-05-01T12:00:10Z');
    const step = totpStep(at);
    expect(checkTotp(secret, totpCode(secret, at), null, at)).toBe(step);
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), null, at)).toBe(step - 1);
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), null, at)).toBe(step + 1);
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), null, at)).toBeNull();
    expect(checkTotp(secret, totpCode(secret, new Date(at.getTime() + 90_000)), null, at)).toBeNull();
  });

  it('refuses a code of a step already used (replay), wrong codes and junk', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-05-01T12:00:10Z');
    const code = totpCode(secret, at);
    const step = checkTotp(secret, code, null, at);
    expect(step).not.toBeNull();
    expect(checkTotp(secret, code, step, at)).toBeNull();
    expect(checkTotp(secret, code, step! - 1, at)).toBe(step);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(checkTotp(secret, wrong, null, at)).toBeNull();
    for (const junk of ['', '12345', '1234567', 'abcdef', '12 34 5x']) expect(checkTotp(secret, junk, null, at)).toBeNull();
    expect(checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, at)).toBe(step);
  });

  it('makes a URI authenticator apps read, with a fresh 160-bit secret each time', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
    const uri = new URL(totpUri(a, 'ann@example.test', 'Roster'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(a);
    expect(uri.searchParams.get('issuer')).toBe('Roster');
    expect(decodeURIComponent(uri.pathname)).toContain('ann@example.test');
  });
});
