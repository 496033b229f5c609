import { decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { SsoMemory } from '../store/sso.ts';
import type { SsoProfile } from './jit.ts';
import { splitTags } from './jit.ts';
import { SsoError } from './xml.ts';

/** Zendesk refuses a JWT whose `iat` is more than 3 minutes away from its clock. */
export const JWT_IAT_WINDOW_S = 180;

const claimsSchema = z.looseObject({
  iat: z.number({ error: 'iat (issued at, seconds) is required' }),
  jti: z.union([z.string().min(1).max(500), z.number()], { error: 'jti (unique token id) is required' }),
  email: z.email({ error: 'email is required and must be an email address' }),
  name: z.string().max(255).optional(),
  external_id: z.union([z.string(), z.number().transform(String)]).optional(),
  organization: z.string().optional(),
  organization_id: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  tags: z.union([z.array(z.string()), z.string()]).optional(),
  locale_id: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  role: z.string().optional(),
  custom_role_id: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  phone: z.string().optional(),
  user_fields: z.record(z.string(), z.unknown()).optional(),
});

/** Verifies an HS256 JWT with the shared secret as Zendesk's `/access/jwt` does and returns the profile. */
export async function verifyJwt(token: string, secret: string, memory: SsoMemory, nowMs = Date.now()): Promise<SsoProfile> {
  if (!token) throw new SsoError('The jwt parameter is missing.', 400);
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new SsoError('The jwt parameter is not a JSON Web Token.', 400);
  }
  if (alg !== 'HS256') throw new SsoError(`The JWT algorithm ${String(alg)} is not accepted; Zendesk expects HS256.`);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], currentDate: new Date(nowMs) }));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new SsoError('JWT signature invalid. The signature cannot be verified, check that your tokens match.');
    throw new SsoError(`The JWT was refused (${(err as Error).message}).`);
  }
  // A claim sent as null is treated as absent (an IdP may send `external_id: null` for a user without one).
  const parsed = claimsSchema.safeParse(Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== null)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SsoError(`The JWT payload is invalid: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}.`, 400);
  }
  const c = parsed.data;
  const nowS = nowMs / 1000;
  if (Math.abs(nowS - c.iat) > JWT_IAT_WINDOW_S) throw new SsoError(`The JWT is too old or from the future: iat must be within ${JWT_IAT_WINDOW_S / 60} minutes of now (check your server clock).`);
  const jti = String(c.jti);
  if (!memory.jtis.add(jti, nowMs + 2 * JWT_IAT_WINDOW_S * 1000, nowMs)) throw new SsoError('This JWT was already used (jti replay).');
  return {
    email: c.email,
    name: c.name,
    role: c.role,
    custom_role_id: c.custom_role_id,
    external_id: c.external_id,
    phone: c.phone,
    organization: c.organization,
    organization_id: c.organization_id,
    tags: c.tags === undefined ? undefined : typeof c.tags === 'string' ? splitTags([c.tags]) : c.tags,
    locale_id: c.locale_id,
    user_fields: c.user_fields,
  };
}
