import type { Reply, RequestContext, RouteDef } from '../http/route.ts';
import { consentPage, errorPage, signInPage, type AuthorizeParams } from '../pages/oauth-pages.ts';
import { sessionOf, startSession } from '../pages/session.ts';
import { randomToken } from '../store/ids.ts';
import type { OAuthClientRecord } from '../store/oauth.ts';
import { redirectUriAllowed } from './redirect-uri.ts';

const prefixOf = (ctx: RequestContext) => new URL(ctx.base).pathname.replace(/\/$/, '');
const field = (src: Record<string, unknown>, k: string) => (typeof src[k] === 'string' ? (src[k] as string) : '');

function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== '') url.searchParams.set(k, v);
  return url.toString();
}

/** Validates client + redirect URI; problems here are shown, never redirected (RFC 6749 §4.1.2.1). */
function checkRequest(ctx: RequestContext, src: Record<string, unknown>): { client: OAuthClientRecord; params: AuthorizeParams } | Reply {
  const params: AuthorizeParams = {
    client_id: field(src, 'client_id'),
    redirect_uri: field(src, 'redirect_uri'),
    scope: field(src, 'scope') || 'read',
    state: field(src, 'state'),
    code_challenge: field(src, 'code_challenge'),
    code_challenge_method: field(src, 'code_challenge_method'),
  };
  const client = ctx.account.oauth.clientByIdentifier(params.client_id);
  if (!client) return { status: 400, html: errorPage('Invalid client_id.') };
  if (!redirectUriAllowed(client.redirectUris, params.redirect_uri)) return { status: 400, html: errorPage('The redirect_uri is not registered for this client.') };
  return { client, params };
}

const authorizePage: RouteDef = {
  method: 'GET', path: '/oauth/authorizations/new', access: 'none', controller: 'oauth/authorizations', action: 'new',
  handler: (ctx) => {
    const src = Object.fromEntries(ctx.query);
    const checked = checkRequest(ctx, src);
    if ('status' in checked) return checked;
    const { client, params } = checked;
    const fail = (error: string, description: string): Reply => ({ status: 302, redirect: withQuery(params.redirect_uri, { error, error_description: description, state: params.state }) });
    if ((src.response_type ?? '') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) return fail('invalid_request', 'Unsupported code_challenge_method');
    if (client.kind === 'public' && !params.code_challenge) return fail('invalid_request', 'Public clients must use PKCE');
    const session = sessionOf(ctx.account, ctx.req);
    const returnTo = `${prefixOf(ctx)}/oauth/authorizations/new?${ctx.query.toString()}`;
    if (!session) return { status: 200, html: signInPage(prefixOf(ctx), returnTo, ctx.account.subdomain) };
    return { status: 200, html: consentPage(prefixOf(ctx), client, params, session.csrf, session.user.name) };
  },
};

const signIn: RouteDef = {
  method: 'POST', path: '/access/login', access: 'none', controller: 'access', action: 'login',
  handler: (ctx) => {
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const returnTo = field(body, 'return_to');
    const safeReturn = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : `${prefixOf(ctx)}/`;
    const user = ctx.account.users.findByEmail(field(body, 'email'));
    if (!user || !user.active || user.suspended || user.password === null || user.password !== field(body, 'password')) {
      return { status: 401, html: signInPage(prefixOf(ctx), safeReturn, ctx.account.subdomain, 'Invalid email or password.') };
    }
    if (user.role !== 'admin') return { status: 403, html: signInPage(prefixOf(ctx), safeReturn, ctx.account.subdomain, 'Only admins can authorize apps in the sandbox.') };
    return { status: 302, redirect: safeReturn, cookies: [startSession(ctx.account, user)] };
  },
};

const decide: RouteDef = {
  method: 'POST', path: '/oauth/authorizations', access: 'none', controller: 'oauth/authorizations', action: 'create',
  handler: (ctx) => {
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const checked = checkRequest(ctx, body);
    if ('status' in checked) return checked;
    const { client, params } = checked;
    const session = sessionOf(ctx.account, ctx.req);
    if (!session || field(body, 'authenticity_token') !== session.csrf) return { status: 403, html: errorPage('Your session expired; start the authorization again.') };
    if (field(body, 'decision') !== 'allow') return { status: 302, redirect: withQuery(params.redirect_uri, { error: 'access_denied', state: params.state }) };
    const code = randomToken(24);
    ctx.account.oauth.codes.set(code, {
      code,
      clientId: client.id,
      userId: session.user.id,
      redirectUri: params.redirect_uri,
      scopes: params.scope.split(/\s+/).filter(Boolean),
      challenge: params.code_challenge || null,
      challengeMethod: params.code_challenge ? (params.code_challenge_method === 'S256' ? 'S256' : 'plain') : null,
      expiresAtMs: Date.now() + ctx.account.oauthSettings.codeTtlMs,
      used: false,
      tokenIds: [],
    });
    return { status: 302, redirect: withQuery(params.redirect_uri, { code, state: params.state }) };
  },
};

/** The browser side of the authorization-code flow: sign-in page, consent page, decision. */
export const authorizeRoutes: RouteDef[] = [authorizePage, signIn, decide];
