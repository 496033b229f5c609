import { describe, expect, it } from 'vitest';
import { hashPassword, newToken, sha256, verifyPassword } from './secrets.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterx', stored)).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
  });
});

describe('tokens', () => {
  it('are long, prefixed and hashed deterministically', () => {
    const t = newToken('rst');
    expect(t).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(sha256(t)).toBe(sha256(t));
    expect(sha256(t)).not.toBe(sha256(newToken('rst')));
  });
});
