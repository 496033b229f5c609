/**
 * TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, as every authenticator app reads an
 * `otpauth://` URI). A code is accepted for the current step and one step either side (clock
 * drift), and never for a step at or before the last one accepted, so a code cannot be replayed.
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
const DIGITS = 6;

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpOf = (secretBase32: string, label = 'user', issuer = 'Roster'): TOTP =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secretBase32) });

/** The `otpauth://totp/…` URI an authenticator app scans (as a QR code) or takes typed in. */
export const totpUri = (secretBase32: string, account: string, issuer: string): string => totpOf(secretBase32, account, issuer).toString();

export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / PERIOD);

/** The code for a moment (tests, and nothing else, need to make one). */
export const totpCode = (secretBase32: string, at: Date): string => totpOf(secretBase32).generate({ timestamp: at.getTime() });

/**
 * The time step `code` belongs to, or null when it is wrong, outside the window, or not later than
 * `lastStep` (already used).
 */
export function checkTotp(secretBase32: string, code: string, lastStep: number | null, at: Date = new Date()): number | null {
  const trimmed = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(trimmed)) return null;
  const delta = totpOf(secretBase32).validate({ token: trimmed, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = totpStep(at) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}
