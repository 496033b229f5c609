import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './crypto.ts';

describe('encryptSecret / decryptSecret', () => {
  const key = randomBytes(32);

  it('round-trips text, including non-ASCII and empty strings', () => {
    for (const text of ['zendesk-oauth-secret', 'päßwörd ✓', '']) {
      const sealed = encryptSecret(key, text);
      expect(sealed).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]*$/);
      expect(sealed).not.toContain(text || 'x'.repeat(99));
      expect(decryptSecret(key, sealed)).toBe(text);
    }
  });

  it('uses a fresh nonce each time', () => {
    expect(encryptSecret(key, 'same')).not.toBe(encryptSecret(key, 'same'));
  });

  it('refuses another key and a tampered value', () => {
    const sealed = encryptSecret(key, 'secret');
    expect(() => decryptSecret(randomBytes(32), sealed)).toThrow(/wrong key/);
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => decryptSecret(key, parts.join(':'))).toThrow(/wrong key|tampered/);
  });

  it('refuses unknown versions, malformed values and short keys', () => {
    expect(() => decryptSecret(key, 'v0:a:b:c')).toThrow(/known version/);
    expect(() => decryptSecret(key, 'plain text')).toThrow(/known version/);
    expect(() => decryptSecret(key, 'v1:AAAA:AAAA:AAAA')).toThrow(/malformed/);
    expect(() => encryptSecret(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });
});
