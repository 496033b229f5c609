/**
 * One sign-in of a directory user to an application: the subject (assignment and mapped attributes),
 * then a signed SAML Response for the target's assertion consumer or a JWT for its JWT endpoint.
 * Refusals are values with the page's status, code and words; every outcome is logged.
 */
import type { SamlAttribute } from '../connectors/contract.ts';
import type { Db } from '../db/database.ts';
import { type AppSso, certificateSubject } from './app-sso.ts';
import { signHs256 } from './jwt/sign-jwt.ts';
import { signingKey } from './keys/certificates.ts';
import { buildSignedResponse } from './saml/build-response.ts';
import { logSignIn } from './sign-in-log.ts';
import { type SsoRefusal, resolveSubject } from './subject.ts';
import { loadJwtSecret } from './sso-config.ts';

export interface SignInDeps {
  db: Db;
  secretKey: Buffer;
  now?: () => Date;
}

/** The signed-in directory user (the portal session's facts the assertion carries). */
export interface PortalIdentity {
  userId: string;
  sessionId: string;
  authenticatedAt: Date;
}

export interface Refusal {
  code: string;
  message: string;
  advice: string;
  /** The HTTP status of the page that explains it. */
  status: 400 | 403 | 404;
}

export type SignInOutcome =
  | { kind: 'saml'; acsUrl: string; samlResponse: string; relayState: string | null; responseId: string; assertionId: string }
  | { kind: 'jwt'; url: string; fields: Record<string, string> }
  | { kind: 'refused'; refusal: Refusal };

export interface SignInRequest {
  /** SP-initiated: the AuthnRequest's ID. */
  inResponseTo?: string | undefined;
  /** Already checked to be one of the application's own URLs. */
  relayState?: string | null | undefined;
  requestId?: string | undefined;
}

/** Why the application cannot sign anyone in at all, or null when it can. */
export function appRefusal(app: AppSso, method?: 'saml' | 'jwt'): Refusal | null {
  if (!app.definition) return { code: 'sso_unsupported', message: `${app.displayName} does not offer single sign-on through Roster.`, advice: 'Use a gallery application that supports SSO.', status: 404 };
  if (app.config.method === 'off') return { code: 'sso_off', message: `Single sign-on through Roster is off for ${app.displayName}.`, advice: 'An admin turns it on in the application’s SSO tab.', status: 404 };
  if (method && app.config.method !== method) return { code: 'sso_wrong_method', message: `${app.displayName} signs in with ${app.config.method.toUpperCase()}, not ${method.toUpperCase()}.`, advice: 'Check the sign-in URL pasted in the application’s admin center.', status: 400 };
  if (!app.endpoints) return { code: 'sso_not_configured', message: `${app.displayName} does not name its account yet.`, advice: 'Set the account (e.g. its subdomain) in the application’s settings.', status: 404 };
  return null;
}

const refusedBy = (r: SsoRefusal): Refusal => ({ ...r, status: r.code === 'sso_mapping_error' ? 400 : 403 });

export async function signIn(deps: SignInDeps, app: AppSso, user: PortalIdentity, request: SignInRequest): Promise<SignInOutcome> {
  const now = deps.now?.() ?? new Date();
  const method = app.config.method === 'off' ? 'saml' : app.config.method;
  const flow = request.inResponseTo ? 'sp_initiated' : 'idp_initiated';
  const refuse = async (refusal: Refusal, email: string | null): Promise<SignInOutcome> => {
    await logSignIn(deps.db, { applicationId: app.applicationId, userId: user.userId, email, method, ok: false, flow, refusal: { code: refusal.code, message: refusal.message, advice: refusal.advice }, requestId: request.requestId });
    return { kind: 'refused', refusal };
  };
  const blocked = appRefusal(app);
  if (blocked) return refuse(blocked, null);
  // The key is read alongside the subject (it is needed unless the user is refused).
  const keyRead = app.config.method === 'saml' ? signingKey(deps.db, deps.secretKey, app.applicationId, certificateSubject(app), now) : null;
  keyRead?.catch(() => undefined);
  const resolved = await resolveSubject(deps.db, app.applicationId, user.userId);
  if (!resolved.ok) return refuse(refusedBy(resolved.refusal), resolved.email);
  const { subject } = resolved;
  const definition = app.definition!;
  const endpoints = app.endpoints!;

  let outcome: SignInOutcome;
  if (app.config.method === 'jwt') {
    const secret = await loadJwtSecret(deps.db, deps.secretKey, app.applicationId);
    if (!secret || !endpoints.jwtUrl || !endpoints.jwtFields) return refuse({ code: 'sso_not_configured', message: `${app.displayName} has no JWT shared secret in Roster.`, advice: 'Paste the shared secret on the SSO tab.', status: 404 }, subject.email);
    const { token } = signHs256(definition.jwtClaims(subject), secret, now);
    const fields: Record<string, string> = { [endpoints.jwtFields.token]: token };
    if (request.relayState) fields[endpoints.jwtFields.returnTo] = request.relayState;
    outcome = { kind: 'jwt', url: endpoints.jwtUrl, fields };
  } else {
    const key = await (keyRead ?? signingKey(deps.db, deps.secretKey, app.applicationId, certificateSubject(app), now));
    const assertion = definition.samlAssertion(subject);
    const built = buildSignedResponse({
      issuer: app.urls.entityId,
      destination: endpoints.acsUrl,
      audience: endpoints.audience,
      nameId: assertion.nameId,
      nameIdFormat: assertion.nameIdFormat,
      attributes: assertion.attributes,
      inResponseTo: request.inResponseTo,
      sessionIndex: `_${user.sessionId.replace(/[^\w.-]/g, '')}`,
      authnInstant: user.authenticatedAt,
      now,
      certificatePem: key.certificatePem,
      privateKey: key.privateKey,
    });
    outcome = { kind: 'saml', acsUrl: endpoints.acsUrl, samlResponse: Buffer.from(built.xml, 'utf8').toString('base64'), relayState: request.relayState ?? null, responseId: built.responseId, assertionId: built.assertionId };
  }
  await logSignIn(deps.db, { applicationId: app.applicationId, userId: user.userId, email: subject.email, method, ok: true, flow, requestId: request.requestId });
  return outcome;
}

/** What *Test sign-in as…* shows: what would be sent for this user, or why nothing would. No secret, no signature. */
export type SignInPreview =
  | { method: 'saml'; refusal: null; nameId: string; nameIdFormat: string; attributes: SamlAttribute[]; audience: string; recipient: string }
  | { method: 'jwt'; refusal: null; claims: Record<string, unknown>; url: string }
  | { method: 'off' | 'saml' | 'jwt'; refusal: Omit<Refusal, 'status'> };

export async function previewSignIn(db: Db, app: AppSso, userId: string): Promise<SignInPreview> {
  const blocked = appRefusal(app);
  if (blocked) return { method: app.config.method, refusal: { code: blocked.code, message: blocked.message, advice: blocked.advice } };
  const resolved = await resolveSubject(db, app.applicationId, userId);
  if (!resolved.ok) return { method: app.config.method, refusal: resolved.refusal };
  const definition = app.definition!;
  const endpoints = app.endpoints!;
  if (app.config.method === 'jwt') {
    // iat and jti are made at sign-in: shown as what they will be, never as a usable token.
    return { method: 'jwt', refusal: null, claims: { ...definition.jwtClaims(resolved.subject), iat: '(the time of sign-in)', jti: '(unique per sign-in)' }, url: endpoints.jwtUrl ?? '' };
  }
  const a = definition.samlAssertion(resolved.subject);
  return { method: 'saml', refusal: null, nameId: a.nameId, nameIdFormat: a.nameIdFormat, attributes: a.attributes, audience: endpoints.audience, recipient: endpoints.acsUrl };
}
