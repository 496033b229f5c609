import type { Reply, RequestContext, RouteDef } from '../http/route.ts';
import { signInPage } from '../pages/oauth-pages.ts';
import { endSession, signedInUser, startSession } from '../pages/session.ts';
import { homePage, signedOutPage, ssoErrorPage } from '../pages/sso-pages.ts';
import { activeMethod } from '../store/sso.ts';
import { jwtRedirect, samlRedirect } from './authn-request.ts';
import { profileFromSaml, signInUser } from './jit.ts';
import { verifyJwt } from './jwt.ts';
import { verifySamlResponse } from './saml-response.ts';
import { SsoError } from './xml.ts';

const prefixOf = (ctx: RequestContext) => new URL(ctx.base).pathname.replace(/\/$/, '');
const home = (ctx: RequestContext) => `${ctx.base}/`;
const acsUrl = (ctx: RequestContext) => `${ctx.base}/access/saml`;

/** A parameter from the form body, else the query string. */
function param(ctx: RequestContext, name: string): string {
  const body = ctx.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>)[name];
    if (typeof v === 'string') return v;
  }
  return ctx.query.get(name) ?? '';
}

/** `target` when it is a URL of this account (absolute, or a path under its prefix), else the home page: no open redirect. */
export function returnUrl(ctx: RequestContext, target: string): string {
  if (!target) return home(ctx);
  let url: URL;
  try {
    url = new URL(target, home(ctx));
  } catch {
    return home(ctx);
  }
  const base = new URL(home(ctx));
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.username || url.password) return home(ctx);
  return url.toString();
}

/** Runs an SSO step; a refusal becomes Zendesk's error page (4xx) with the reason. */
async function guarded(ctx: RequestContext, step: () => Reply | Promise<Reply>): Promise<Reply> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof SsoError) return { status: err.status, html: ssoErrorPage(prefixOf(ctx), err.message) };
    throw err;
  }
}

function signedIn(ctx: RequestContext, user: Parameters<typeof startSession>[1], target: string): Reply {
  const previous = signedInUser(ctx.account, ctx.req);
  const cookies = [startSession(ctx.account, user)];
  if (previous) ctx.account.sessions.delete(previous.sid);
  return { status: 302, redirect: returnUrl(ctx, target), cookies };
}

const homeRoute: RouteDef = {
  method: 'GET', path: '/', access: 'none', controller: 'home', action: 'index',
  handler: (ctx) => {
    const session = signedInUser(ctx.account, ctx.req);
    if (session) return { status: 200, html: homePage(prefixOf(ctx), ctx.account.subdomain, session.user) };
    const sso = ctx.account.sso;
    const back = returnUrl(ctx, ctx.query.get('return_to') ?? '');
    const method = activeMethod(sso);
    if (method === 'saml' && sso.saml.signInUrl) {
      const { url } = samlRedirect({ signInUrl: sso.saml.signInUrl, acsUrl: acsUrl(ctx), issuer: `${ctx.account.subdomain}.zendesk.com`, relayState: back, memory: ctx.account.ssoMemory });
      return { status: 302, redirect: url };
    }
    if (method === 'jwt' && sso.jwt.signInUrl) return { status: 302, redirect: jwtRedirect(sso.jwt.signInUrl, sso.brandId, back) };
    return { status: 200, html: signInPage(prefixOf(ctx), `${prefixOf(ctx)}/`, ctx.account.subdomain) };
  },
};

const samlAcs: RouteDef = {
  method: 'POST', path: '/access/saml', access: 'none', controller: 'access', action: 'saml',
  handler: (ctx) =>
    guarded(ctx, () => {
      const sso = ctx.account.sso;
      if (!sso.saml.enabled || !sso.saml.certFingerprint) throw new SsoError('SAML single sign-on is not enabled for this account.', 403);
      const samlResponse = param(ctx, 'SAMLResponse');
      if (!samlResponse) throw new SsoError('The SAMLResponse form field is missing.', 400);
      const verified = verifySamlResponse(samlResponse, {
        acsUrl: acsUrl(ctx),
        audience: `${ctx.account.subdomain}.zendesk.com`,
        fingerprint: sso.saml.certFingerprint,
        memory: ctx.account.ssoMemory,
      });
      const user = signInUser(ctx.account, sso, profileFromSaml(verified.email, verified.attributes), '/access/saml');
      return signedIn(ctx, user, param(ctx, 'RelayState'));
    }),
};

const jwtHandler = (ctx: RequestContext) =>
  guarded(ctx, async () => {
    const sso = ctx.account.sso;
    if (!sso.jwt.enabled || !sso.jwt.sharedSecret) throw new SsoError('JWT single sign-on is not enabled for this account.', 403);
    const profile = await verifyJwt(param(ctx, 'jwt'), sso.jwt.sharedSecret, ctx.account.ssoMemory);
    const user = signInUser(ctx.account, sso, profile, '/access/jwt');
    return signedIn(ctx, user, param(ctx, 'return_to'));
  });

const jwtPost: RouteDef = { method: 'POST', path: '/access/jwt', access: 'none', controller: 'access', action: 'jwt', handler: jwtHandler };
const jwtGet: RouteDef = { method: 'GET', path: '/access/jwt', access: 'none', controller: 'access', action: 'jwt', handler: jwtHandler };

const logout: RouteDef = {
  method: 'GET', path: '/access/logout', access: 'none', controller: 'access', action: 'logout',
  handler: (ctx) => {
    const session = signedInUser(ctx.account, ctx.req);
    const cookies = session ? [endSession(ctx.account, session.sid)] : [];
    const sso = ctx.account.sso;
    const method = activeMethod(sso) ?? (sso.saml.enabled ? 'saml' : sso.jwt.enabled ? 'jwt' : null);
    const target = method === 'saml' ? sso.saml.remoteLogoutUrl : method === 'jwt' ? sso.jwt.remoteLogoutUrl : null;
    if (!target) return { status: 200, html: signedOutPage(prefixOf(ctx)), cookies };
    const url = new URL(target);
    url.searchParams.set('email', session?.user.email ?? '');
    url.searchParams.set('external_id', session?.user.externalId ?? '');
    if (sso.brandId !== null) url.searchParams.set('brand_id', String(sso.brandId));
    return { status: 302, redirect: url.toString(), cookies };
  },
};

/** The browser side of Zendesk SSO: home page, SAML ACS, JWT endpoint, sign-out. */
export const ssoRoutes: RouteDef[] = [homeRoute, samlAcs, jwtPost, jwtGet, logout];
