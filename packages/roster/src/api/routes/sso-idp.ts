/**
 * Roster's identity-provider endpoints (the SSO contract's URLs): metadata, the SAML sign-in service
 * (HTTP-Redirect and HTTP-POST), IdP-initiated start, JWT remote login (the connector's `sso`), and the
 * logout URL (SAML single logout by HTTP-Redirect or HTTP-POST, and the remote logout GET a target's sign-out link sends). Public (no admin realm): the directory user is the portal session's. Every refusal is
 * a clear page and an audit entry; none of these answers is cached.
 */
import { deflateRawSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PORTAL_COOKIE, currentPortalUser, endPortalSession, endPortalSessionsById, portalCookieOptions, portalSessionOf } from '../../people/portal-session.ts';
import { type AppSso, certificateSubject, loadAppSso } from '../../sso/app-sso.ts';
import { publishedCertificates, signingKey } from '../../sso/keys/certificates.ts';
import { AUTOPOST_SCRIPT, AUTOPOST_SCRIPT_PATH, autoPostCsp, autoPostPage, refusalPage, signedOutPage } from '../../sso/pages.ts';
import { firstUse, replayWindowEnd } from '../../sso/replay.ts';
import { decodeSamlRequest, parseAuthnRequest } from '../../sso/saml/authn-request.ts';
import { STATUS, logoutResponseRedirectUrl, parseLogoutRequest } from '../../sso/saml/logout.ts';
import { idpMetadataXml } from '../../sso/saml/metadata.ts';
import { type Refusal, appRefusal, signIn } from '../../sso/sign-in.ts';
import { logSignIn } from '../../sso/sign-in-log.ts';
import { codeSentence } from '../../words/words.ts';
import type { RouteModule } from '../context.ts';
import { httpStatusByCode, toAppError } from '../error-handler.ts';
import { contentSecurityPolicy } from '../security-headers.ts';

const appParams = z.object({ appId: z.uuid() });
const tags = ['sso'];
/** Query and form values are strings; a SAMLRequest over this is refused before decoding. */
const samlQuery = z.object({ SAMLRequest: z.string().max(200_000).optional(), RelayState: z.string().max(4096).optional(), SigAlg: z.string().optional(), Signature: z.string().optional() });
const FORM_BODY_LIMIT = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A browser at an IdP endpoint gets a page, not the API's JSON envelope (unknown application, bad query, a bug). */
const htmlErrors = {
  errorHandler: (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const e = toAppError(error);
    if (e.code === 'internal') request.log.error({ err: error }, 'unhandled error at an IdP endpoint');
    const refusal = { code: e.code, message: e.code === 'not_found' ? 'There is no such application in Roster.' : e.message, advice: 'Open the application from its own address or from My Apps.' };
    return reply
      .code(httpStatusByCode[e.code])
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(refusalPage('the application', refusal, codeSentence(e.code)));
  },
};

export const ssoIdpRoutes: RouteModule = (app, ctx) => {
  const deps = { db: ctx.db, secretKey: ctx.secretKey };
  const loadApp = (appId: string) => loadAppSso(ctx.db, appId, ctx.config.publicUrl, ctx.config.targetUrls);

  const noStore = (reply: FastifyReply) => void reply.header('cache-control', 'no-store');
  const refuse = async (reply: FastifyReply, request: FastifyRequest, sso: AppSso, refusal: Refusal, known?: { userId: string | null; email: string | null }) => {
    // The entry names the signed-in directory user, if any: a bad link followed by someone is theirs to explain.
    const who = known ?? (await currentPortalUser(ctx.db, request)) ?? { userId: null, email: null };
    await logSignIn(ctx.db, { applicationId: sso.applicationId, userId: who.userId, email: who.email, method: sso.config.method === 'jwt' ? 'jwt' : 'saml', ok: false, refusal, requestId: request.id });
    return sendRefusal(reply, sso, refusal);
  };
  const sendRefusal = (reply: FastifyReply, sso: AppSso, refusal: Refusal) => {
    noStore(reply);
    return reply.code(refusal.status).type('text/html; charset=utf-8').send(refusalPage(sso.displayName, refusal, codeSentence(refusal.code)));
  };
  const toSignIn = (reply: FastifyReply, returnTo: string) => {
    noStore(reply);
    return reply.redirect(`/portal/sign-in?return_to=${encodeURIComponent(returnTo)}`, 302);
  };
  const post = (reply: FastifyReply, sso: AppSso, action: string, fields: Record<string, string>) => {
    noStore(reply);
    void reply.header('content-security-policy', autoPostCsp(contentSecurityPolicy, action));
    return reply.type('text/html; charset=utf-8').send(autoPostPage(action, fields, sso.displayName));
  };
  const returnUrlRefusal = (sso: AppSso, url: string): Refusal | null =>
    sso.endpoints && sso.definition && !sso.definition.isOwnUrl(sso.endpoints, url)
      ? { code: 'sso_return_url', message: `The page to return to (${url.slice(0, 200)}) is not one of ${sso.displayName}'s own pages.`, advice: 'Open the application from its own address or from My Apps.', status: 400 }
      : null;

  app.get(AUTOPOST_SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(AUTOPOST_SCRIPT));

  app.get('/sso/saml/:appId/metadata', { ...htmlErrors, schema: { tags, summary: 'IdP metadata XML of an application (every published signing certificate)', params: appParams } }, async (request, reply) => {
    const sso = await loadApp(request.params.appId);
    if (!sso.definition?.methods.includes('saml')) return sendRefusal(reply, sso, { code: 'sso_unsupported', message: `${sso.displayName} does not offer SAML sign-in through Roster.`, advice: 'Use a gallery application that supports SAML.', status: 404 });
    const certs = await publishedCertificates(ctx.db, ctx.secretKey, sso.applicationId, certificateSubject(sso));
    noStore(reply);
    return reply.type('application/samlmetadata+xml; charset=utf-8').send(idpMetadataXml({ entityId: sso.urls.entityId, ssoUrl: sso.urls.ssoUrl, logoutUrl: sso.urls.logoutUrl, certificatePems: certs.map((c) => c.certificatePem) }));
  });

  const samlService = async (request: FastifyRequest, reply: FastifyReply, appId: string, input: z.infer<typeof samlQuery>, binding: 'redirect' | 'post') => {
    const sso = await loadApp(appId);
    const blocked = appRefusal(sso, 'saml');
    if (blocked) return refuse(reply, request, sso, blocked);
    if (!input.SAMLRequest) return refuse(reply, request, sso, { code: 'sso_missing_request', message: 'The sign-in request (SAMLRequest) is missing.', advice: `Open ${sso.displayName} itself, or start from My Apps.`, status: 400 });
    const decoded = decodeSamlRequest(input.SAMLRequest, binding);
    if (!decoded.ok) return refuse(reply, request, sso, { code: decoded.code, message: decoded.message, advice: 'Start the sign-in again from the application.', status: 400 });
    const now = new Date();
    const parsed = parseAuthnRequest(decoded.xml, { audience: sso.endpoints!.audience, acsUrl: sso.endpoints!.acsUrl, ssoUrl: sso.urls.ssoUrl, now });
    if (!parsed.ok) return refuse(reply, request, sso, { code: parsed.code, message: parsed.message, advice: 'Start the sign-in again from the application; if it keeps failing, check its SSO settings.', status: 400 });
    const relayState = input.RelayState && input.RelayState !== '' ? input.RelayState : null;
    const badReturn = relayState ? returnUrlRefusal(sso, relayState) : null;
    if (badReturn) return refuse(reply, request, sso, badReturn);
    const user = await currentPortalUser(ctx.db, request);
    if (!user) {
      // Back here after sign-in, always as HTTP-Redirect (a POST cannot be replayed by a redirect).
      const again = new URLSearchParams({ SAMLRequest: binding === 'redirect' ? input.SAMLRequest : deflateRawSync(Buffer.from(decoded.xml, 'utf8')).toString('base64'), ...(relayState ? { RelayState: relayState } : {}) });
      return toSignIn(reply, `/sso/saml/${appId}?${again.toString()}`);
    }
    if (!(await firstUse(ctx.db, appId, 'authn', parsed.value.id, replayWindowEnd(parsed.value.issueInstant), now))) {
      return refuse(reply, request, sso, { code: 'sso_request_replayed', message: 'This sign-in request was already used.', advice: 'Start the sign-in again from the application.', status: 400 }, { userId: user.userId, email: user.email });
    }
    const outcome = await signIn(deps, sso, user, { inResponseTo: parsed.value.id, relayState, requestId: request.id });
    if (outcome.kind === 'refused') return sendRefusal(reply, sso, outcome.refusal);
    if (outcome.kind !== 'saml') throw new Error('a SAML sign-in answered with another method');
    return post(reply, sso, outcome.acsUrl, { SAMLResponse: outcome.samlResponse, ...(outcome.relayState ? { RelayState: outcome.relayState } : {}) });
  };

  app.get('/sso/saml/:appId', { ...htmlErrors, schema: { tags, summary: 'SAML single sign-on service, HTTP-Redirect binding', params: appParams, querystring: samlQuery } }, async (request, reply) =>
    samlService(request, reply, request.params.appId, request.query, 'redirect'),
  );

  // Forms only here: an encapsulated scope, so no other route starts accepting url-encoded bodies.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/sso/saml/:appId', { ...htmlErrors, schema: { tags, summary: 'SAML single sign-on service, HTTP-POST binding', params: appParams, body: samlQuery } }, async (request, reply) => {
      const { appId } = request.params as z.infer<typeof appParams>;
      return samlService(request, reply, appId, request.body as z.infer<typeof samlQuery>, 'post');
    });
    scope.post('/sso/saml/:appId/logout', { ...htmlErrors, schema: { tags, summary: 'SAML single logout, HTTP-POST binding: a LogoutRequest gets a signed LogoutResponse', params: appParams, body: samlQuery } }, async (request, reply) => {
      const { appId } = request.params as z.infer<typeof appParams>;
      const sso = await loadApp(appId);
      return samlLogout(request, reply, sso, request.body as z.infer<typeof samlQuery>, 'post');
    });
  });

  const startFor = async (request: FastifyRequest, reply: FastifyReply, sso: AppSso, returnTo: string | null, comeBack: string) => {
    const user = await currentPortalUser(ctx.db, request);
    if (!user) return toSignIn(reply, comeBack);
    const outcome = await signIn(deps, sso, user, { relayState: returnTo, requestId: request.id });
    if (outcome.kind === 'refused') return sendRefusal(reply, sso, outcome.refusal);
    if (outcome.kind === 'jwt') return post(reply, sso, outcome.url, outcome.fields);
    return post(reply, sso, outcome.acsUrl, { SAMLResponse: outcome.samlResponse, ...(outcome.relayState ? { RelayState: outcome.relayState } : {}) });
  };

  const returnToQuery = z.object({ return_to: z.string().max(4096).optional(), brand_id: z.string().max(64).optional() });

  app.get('/sso/apps/:appId/start', { ...htmlErrors, schema: { tags, summary: 'IdP-initiated sign-in (My Apps): an unsolicited SAML Response, or a JWT', params: appParams, querystring: returnToQuery } }, async (request, reply) => {
    const sso = await loadApp(request.params.appId);
    const blocked = appRefusal(sso);
    if (blocked) return refuse(reply, request, sso, blocked);
    const returnTo = request.query.return_to || null;
    const bad = returnTo ? returnUrlRefusal(sso, returnTo) : null;
    if (bad) return refuse(reply, request, sso, bad);
    return startFor(request, reply, sso, returnTo, request.url);
  });

  app.get('/sso/jwt/:appId', { ...htmlErrors, schema: { tags, summary: 'JWT remote login URL: signs the user in with a JWT posted to the application', params: appParams, querystring: returnToQuery } }, async (request, reply) => {
    const sso = await loadApp(request.params.appId);
    const blocked = appRefusal(sso, 'jwt');
    if (blocked) return refuse(reply, request, sso, blocked);
    const returnTo = request.query.return_to || null;
    const bad = returnTo ? returnUrlRefusal(sso, returnTo) : null;
    if (bad) return refuse(reply, request, sso, bad);
    return startFor(request, reply, sso, returnTo, request.url);
  });

  /** A remote logout GET (a target's sign-out link, with its own query such as `email` or `external_id`): ends the browser's portal session. */
  const remoteLogout = async (request: FastifyRequest, reply: FastifyReply, sso: AppSso) => {
    const user = await currentPortalUser(ctx.db, request);
    if (user) {
      await endPortalSession(ctx.db, user.sessionId);
      await logSignIn(ctx.db, { applicationId: sso.applicationId, userId: user.userId, email: user.email, method: 'logout', ok: true, requestId: request.id });
    }
    void reply.clearCookie(PORTAL_COOKIE, portalCookieOptions(ctx.config.publicUrl));
    noStore(reply);
    return reply.type('text/html; charset=utf-8').send(signedOutPage(sso.displayName));
  };

  /**
   * SAML single logout (saml-profiles §4.4.4): a LogoutRequest from the application's SP ends the
   * browser's portal session and the sessions its SessionIndex names (a cross-site POST carries no
   * SameSite=Lax cookie: the SessionIndex Roster put in the assertion is how the SP names the session),
   * then a signed LogoutResponse (Success, InResponseTo) goes to the SP's logout endpoint by
   * HTTP-Redirect, or a signed-out page is shown when the application has none configured.
   */
  const samlLogout = async (request: FastifyRequest, reply: FastifyReply, sso: AppSso, input: z.infer<typeof samlQuery>, binding: 'redirect' | 'post') => {
    const blocked = appRefusal(sso, 'saml');
    if (blocked) return refuse(reply, request, sso, blocked);
    const decoded = decodeSamlRequest(input.SAMLRequest ?? '', binding);
    if (!decoded.ok) return refuse(reply, request, sso, { code: decoded.code, message: decoded.message, advice: 'Sign out again from the application.', status: 400 });
    const now = new Date();
    const parsed = parseLogoutRequest(decoded.xml, { audience: sso.endpoints!.audience, logoutUrl: sso.urls.logoutUrl, now });
    if (!parsed.ok) return refuse(reply, request, sso, { code: parsed.code, message: parsed.message, advice: 'Sign out again from the application; if it keeps failing, check its SSO settings.', status: 400 });
    if (!(await firstUse(ctx.db, sso.applicationId, 'logout', parsed.value.id, replayWindowEnd(parsed.value.issueInstant), now))) {
      return refuse(reply, request, sso, { code: 'sso_logout_replayed', message: 'This sign-out request was already used.', advice: 'Sign out again from the application.', status: 400 });
    }
    const cookieSession = await portalSessionOf(ctx.db, request);
    const named = parsed.value.sessionIndexes.map((i) => i.replace(/^_/, '')).filter((i) => UUID.test(i));
    const ended = await endPortalSessionsById(ctx.db, [...new Set([...(cookieSession ? [cookieSession.sessionId] : []), ...named])]);
    const userIds = [...new Set(ended.map((e) => e.userId))];
    for (const userId of userIds.length > 0 ? userIds : [null]) {
      // Nothing ended still leaves an entry: the SP asked for it, naming the user by NameID.
      const email = userId !== null && cookieSession?.userId === userId ? cookieSession.email : parsed.value.nameId;
      await logSignIn(ctx.db, { applicationId: sso.applicationId, userId, email, method: 'logout', ok: true, flow: `saml_slo_${binding}`, requestId: request.id });
    }
    void reply.clearCookie(PORTAL_COOKIE, portalCookieOptions(ctx.config.publicUrl));
    noStore(reply);
    const spLogoutUrl = sso.config.samlLogoutUrl;
    // Re-checked here: the application's account may have moved since the URL was saved.
    if (!spLogoutUrl || !sso.definition!.isOwnUrl(sso.endpoints!, spLogoutUrl)) return reply.type('text/html; charset=utf-8').send(signedOutPage(sso.displayName));
    const key = await signingKey(ctx.db, ctx.secretKey, sso.applicationId, certificateSubject(sso), now);
    const relayState = input.RelayState && input.RelayState !== '' ? input.RelayState : null;
    const location = logoutResponseRedirectUrl({ issuer: sso.urls.entityId, destination: spLogoutUrl, inResponseTo: parsed.value.id, status: STATUS.success, now }, relayState, key.privateKey);
    return reply.redirect(location, 302);
  };

  app.get(
    '/sso/saml/:appId/logout',
    {
      ...htmlErrors,
      schema: {
        tags,
        summary: 'Single logout: a SAML LogoutRequest (HTTP-Redirect) gets a signed LogoutResponse; without one, a remote logout GET from the application (ends the portal session, signed-out page)',
        params: appParams,
        querystring: samlQuery.extend({ email: z.string().max(320).optional(), external_id: z.string().max(255).optional(), brand_id: z.string().max(64).optional() }),
      },
    },
    async (request, reply) => {
      const sso = await loadApp(request.params.appId);
      if (request.query.SAMLRequest !== undefined) return samlLogout(request, reply, sso, request.query, 'redirect');
      return remoteLogout(request, reply, sso);
    },
  );
};
