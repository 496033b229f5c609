/**
 * An HS256 JSON Web Token (RFC 7519) for targets whose SSO takes one (e.g. a helpdesk's JWT SSO): `iat` now
 * and a unique `jti`, so the target can refuse an old or replayed token.
 */
import { createHmac, randomUUID } from 'node:crypto';

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export function signHs256(claims: Record<string, unknown>, secret: string, now = new Date()): { token: string; jti: string; iat: number } {
  const iat = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ ...claims, iat, jti }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return { token: `${header}.${payload}.${signature}`, jti, iat };
}
