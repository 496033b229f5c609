import { z } from 'zod';
import type { ControlContext, ControlHandler } from '../http/server.ts';
import { ApiError } from '../http/errors.ts';
import { randomToken } from '../store/ids.ts';
import type { Account } from '../store/account.ts';
import { normalizeFingerprint, type SsoSettings } from '../store/sso.ts';
import { accountOr404, json, parseControl } from './respond.ts';

const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an absolute http(s) URL');

const samlSchema = z.strictObject({
  enabled: z.boolean(),
  signInUrl: httpUrl.optional(),
  certFingerprint: z
    .string()
    .max(200)
    .refine((v) => normalizeFingerprint(v) !== null, 'must be a SHA-256 fingerprint: 32 hex pairs, e.g. AB:CD:…')
    .optional(),
  remoteLogoutUrl: httpUrl.nullable().optional(),
});
const jwtSchema = z.strictObject({
  enabled: z.boolean(),
  signInUrl: httpUrl.optional(),
  remoteLogoutUrl: httpUrl.nullable().optional(),
});

/** Body of `PUT /__sandbox/accounts/{sub}/sso` (every section optional; absent = unchanged). */
export const ssoPutSchema = z
  .strictObject({ saml: samlSchema.optional(), jwt: jwtSchema.optional(), agents: z.boolean().optional(), endUsers: z.boolean().optional() })
  .superRefine((b, ctx) => {
    if (b.saml?.enabled && (!b.saml.signInUrl || !b.saml.certFingerprint)) {
      ctx.addIssue({ code: 'custom', path: ['saml'], message: 'signInUrl and certFingerprint are required when SAML is enabled' });
    }
    if (b.jwt?.enabled && !b.jwt.signInUrl) ctx.addIssue({ code: 'custom', path: ['jwt', 'signInUrl'], message: 'required when JWT is enabled' });
  });

/** A new JWT shared secret, as Admin Center generates one (48 characters). */
const newSecret = () => randomToken(36);

/** The settings as the control API shows them: the JWT shared secret included, as Admin Center shows it to an admin. */
export function ssoView(ctx: ControlContext, account: Account): Record<string, unknown> {
  const base = `${ctx.origin}/${account.subdomain}`;
  return {
    saml: { ...account.sso.saml },
    jwt: { ...account.sso.jwt },
    agents: account.sso.agents,
    endUsers: account.sso.endUsers,
    brandId: account.sso.brandId,
    acsUrl: `${base}/access/saml`,
    audience: `${account.subdomain}.zendesk.com`,
    jwtUrl: `${base}/access/jwt`,
    logoutUrl: `${base}/access/logout`,
  };
}

function saved(ctx: ControlContext, account: Account) {
  account.changes.put('account', account.subdomain, account);
  return json({ sso: ssoView(ctx, account) });
}

/** GET /__sandbox/accounts/{sub}/sso */
export const getSsoHandler: ControlHandler = (ctx) => json({ sso: ssoView(ctx, accountOr404(ctx)) });

/** PUT /__sandbox/accounts/{sub}/sso — the Admin Center SSO form. */
export const putSsoHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const body = parseControl(ssoPutSchema, ctx.body);
  const next: SsoSettings = { ...account.sso, saml: { ...account.sso.saml }, jwt: { ...account.sso.jwt } };
  if (body.saml) {
    next.saml.enabled = body.saml.enabled;
    if (body.saml.signInUrl !== undefined) next.saml.signInUrl = body.saml.signInUrl;
    if (body.saml.certFingerprint !== undefined) next.saml.certFingerprint = normalizeFingerprint(body.saml.certFingerprint);
    if (body.saml.remoteLogoutUrl !== undefined) next.saml.remoteLogoutUrl = body.saml.remoteLogoutUrl;
  }
  if (body.jwt) {
    next.jwt.enabled = body.jwt.enabled;
    if (body.jwt.signInUrl !== undefined) next.jwt.signInUrl = body.jwt.signInUrl;
    if (body.jwt.remoteLogoutUrl !== undefined) next.jwt.remoteLogoutUrl = body.jwt.remoteLogoutUrl;
    if (next.jwt.enabled && next.jwt.sharedSecret === null) next.jwt.sharedSecret = newSecret();
  }
  if (body.agents !== undefined) next.agents = body.agents;
  if (body.endUsers !== undefined) next.endUsers = body.endUsers;
  next.brandId ??= account.ids.take();
  account.sso = next;
  return saved(ctx, account);
};

/** POST /__sandbox/accounts/{sub}/sso/jwt/rotate-secret — "Generate a new token": the old secret stops working at once. */
export const rotateJwtSecretHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  if (!account.sso.jwt.enabled) throw new ApiError({ status: 409, body: { error: 'JwtNotEnabled', description: 'Enable JWT single sign-on first' } });
  account.sso = { ...account.sso, jwt: { ...account.sso.jwt, sharedSecret: newSecret() } };
  return saved(ctx, account);
};
