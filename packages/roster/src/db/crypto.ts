/**
 * Encryption of secrets at rest (OAuth client secrets, access and refresh tokens, API tokens):
 * AES-256-GCM with a random 96-bit nonce. The text form carries a version prefix so the scheme
 * (or the key) can change later without guessing what an old value is.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`the secret key must be 32 bytes, got ${key.length}`);
}

/** Encrypts `plaintext` with the 32-byte `key`; returns `v1:<nonce>:<tag>:<ciphertext>` (base64url parts). */
export function encryptSecret(key: Buffer, plaintext: string): string {
  assertKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
}

/**
 * Decrypts a value made by `encryptSecret`. Throws when the value is not ours, was tampered with,
 * or was encrypted with another key: that is a configuration problem, never a reason to go on.
 */
export function decryptSecret(key: Buffer, ciphertext: string): string {
  assertKey(key);
  const [version, nonce, tag, body, ...rest] = ciphertext.split(':');
  if (version !== VERSION || nonce === undefined || tag === undefined || body === undefined || rest.length > 0) {
    throw new Error('not an encrypted secret of a known version');
  }
  const tagBytes = Buffer.from(tag, 'base64url');
  const nonceBytes = Buffer.from(nonce, 'base64url');
  if (tagBytes.length !== TAG_BYTES || nonceBytes.length !== NONCE_BYTES) throw new Error('malformed encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, nonceBytes);
  decipher.setAuthTag(tagBytes);
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new Error('the secret cannot be decrypted: wrong key (ROSTER_SECRET_KEY or secret.key changed?) or tampered value', { cause: e });
  }
}
