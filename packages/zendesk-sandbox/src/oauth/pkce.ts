import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636: does the verifier match the challenge stored with the code? */
export function pkceMatches(challenge: string, method: 'S256' | 'plain', verifier: string): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
