/**
 * The directory users' portal API (`/portal/api/...`, cookie `roster_portal`; access rules in
 * api/portal-guard.ts). Signing in: POST /portal/api/session with email and password answers the
 * stage: `full` (done), `second_factor` (POST …/session/totp or a passkey assertion next) or `enrol`
 * (the organisation requires a second factor: set up TOTP or a passkey next). A passkey alone is a
 * full sign-in. Failed attempts are throttled as for admins and audited.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, newPasswordSchema } from '../../admins/password-policy.ts';
import { recordAudit } from '../../audit/audit.ts';
import { plainText } from '../../directory/text.ts';
import { accountById } from '../../people/credentials.ts';
import { usePasswordLink, requestReset } from '../../people/invitations.ts';
import { myAppSchema, myApps } from '../../people/my-apps.ts';
import {
  finishPasskeySignIn,
  finishRegistration,
  listPasskeys,
  passkeyViewSchema,
  registrationFinishSchema,
  relyingPartyOf,
  removePasskey,
  signInFinishSchema,
  startPasskeySignIn,
  startRegistration,
} from '../../people/passkeys.ts';
import { portalPrincipal } from '../../people/portal-principal.ts';
import { PORTAL_COOKIE, PORTAL_SESSION_MAX_MS, endPortalSession, portalCookieOptions } from '../../people/portal-session.ts';
import { signInWithPassword, verifySecondFactorTotp } from '../../people/sign-in.ts';
import { confirmTotpEnrolment, removeTotp, startTotpEnrolment } from '../../people/totp-enrolment.ts';
import type { RouteModule } from '../context.ts';
import { effectiveStage, portalAccess, portalSessionOfRequest } from '../portal-guard.ts';

const stageSchema = z.enum(['full', 'second_factor', 'enrol']);
const emailSchema = plainText().trim().min(1, 'is required').max(320);
const codeSchema = z.string().trim().regex(/^\d{3} ?\d{3}$/, 'must be the 6 digits the app shows');
const tokenSchema = z.string().min(1, 'is required').max(100);

const portalStateSchema = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  stage: stageSchema,
  csrfToken: z.string(),
  mfa: z.boolean(),
  mfaRequired: z.boolean(),
  totp: z.boolean(),
  passkeys: z.number().int(),
});
const signedInSchema = z.object({ stage: stageSchema, csrfToken: z.string() });
// WebAuthn option objects are the library's (PublicKeyCredential*OptionsJSON), passed through to the browser.
const webauthnOptionsSchema = z.object({ challengeId: z.uuid(), options: z.record(z.string(), z.unknown()) });

const asOptions = (r: { challengeId: string; options: object }) => ({ challengeId: r.challengeId, options: r.options as Record<string, unknown> });

export const portalRoutes: RouteModule = (app, ctx) => {
  app.decorateRequest('portalSession', null);
  const cookieOptions = portalCookieOptions(ctx.config.publicUrl);
  const rp = relyingPartyOf(ctx.config.publicUrl);
  const anonymous = portalAccess(ctx.db, 'anonymous');
  const full = portalAccess(ctx.db, ['full']);
  const enrolling = portalAccess(ctx.db, ['full', 'enrol']);
  const secondFactor = portalAccess(ctx.db, ['second_factor']);
  const anyStage = portalAccess(ctx.db, ['full', 'second_factor', 'enrol']);
  const attempt = (request: { ip: string; id: string; headers: Record<string, unknown> }) => ({
    address: request.ip,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
    requestId: request.id,
  });
  const tags = ['portal'];

  app.get(
    '/portal/api/session',
    { onRequest: anyStage, schema: { tags, summary: 'The signed-in directory user, the sign-in stage and the CSRF token', response: { 200: portalStateSchema } } },
    async (request) => {
      const s = portalSessionOfRequest(request);
      const account = await accountById(ctx.db, s.userId);
      return {
        user: { id: s.userId, email: s.email, displayName: s.displayName },
        stage: effectiveStage(s),
        csrfToken: s.csrfToken,
        mfa: s.mfa,
        mfaRequired: s.mfaRequired,
        totp: account?.totpConfirmed ?? false,
        passkeys: account?.passkeys ?? 0,
      };
    },
  );

  app.post(
    '/portal/api/session',
    {
      onRequest: anonymous,
      schema: { tags, summary: 'Sign in with email and password', body: z.strictObject({ email: emailSchema, password: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH) }), response: { 200: signedInSchema } },
    },
    async (request, reply) => {
      const { session, stage } = await signInWithPassword(ctx.db, request.body, attempt(request));
      if (request.portalSession) await endPortalSession(ctx.db, request.portalSession.sessionId);
      void reply.setCookie(PORTAL_COOKIE, session.cookieValue, { ...cookieOptions, maxAge: PORTAL_SESSION_MAX_MS / 1000 });
      return { stage, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/portal/api/session/totp',
    { onRequest: secondFactor, schema: { tags, summary: 'Second step of a password sign-in: the code of the authenticator app', body: z.strictObject({ code: codeSchema }), response: { 200: signedInSchema } } },
    async (request) => {
      const s = portalSessionOfRequest(request);
      await verifySecondFactorTotp(ctx.db, ctx.secretKey, s, request.body.code, attempt(request));
      return { stage: 'full' as const, csrfToken: s.csrfToken };
    },
  );

  app.delete('/portal/api/session', { onRequest: anyStage, schema: { tags, summary: 'Sign out' } }, async (request, reply) => {
    const s = portalSessionOfRequest(request);
    await ctx.db.transaction(async (tx) => {
      await endPortalSession(tx, s.sessionId);
      await recordAudit(tx, portalPrincipal(s.email), { action: 'portal.session.delete', targetType: 'user', targetId: s.userId }, request.id);
    });
    void reply.clearCookie(PORTAL_COOKIE, cookieOptions);
    return reply.status(204).send();
  });

  app.post(
    '/portal/api/passkey-sign-in/options',
    { onRequest: anonymous, schema: { tags, summary: 'Start signing in with a passkey (also the second step of a password sign-in)', body: z.strictObject({}), response: { 200: webauthnOptionsSchema } } },
    async (request) => {
      const pending = request.portalSession?.stage === 'second_factor' ? request.portalSession : null;
      return asOptions(await startPasskeySignIn(ctx.db, rp, pending?.userId ?? null));
    },
  );

  app.post(
    '/portal/api/passkey-sign-in',
    { onRequest: anonymous, schema: { tags, summary: 'Finish signing in with a passkey', body: signInFinishSchema, response: { 200: signedInSchema } } },
    async (request, reply) => {
      const pending = request.portalSession?.stage === 'second_factor' ? request.portalSession : null;
      const { session } = await finishPasskeySignIn(ctx.db, rp, request.body, attempt(request), pending);
      if (session) {
        if (request.portalSession) await endPortalSession(ctx.db, request.portalSession.sessionId);
        void reply.setCookie(PORTAL_COOKIE, session.cookieValue, { ...cookieOptions, maxAge: PORTAL_SESSION_MAX_MS / 1000 });
        return { stage: 'full' as const, csrfToken: session.csrfToken };
      }
      return { stage: 'full' as const, csrfToken: pending!.csrfToken };
    },
  );

  app.post(
    '/portal/api/invitations/accept',
    {
      onRequest: anonymous,
      schema: { tags, summary: 'Set the first password from an invitation link', body: z.strictObject({ token: tokenSchema, password: newPasswordSchema }), response: { 200: z.object({ email: z.string() }) } },
    },
    async (request) => usePasswordLink(ctx.db, 'invite', request.body.token, request.body.password, request.id),
  );

  app.post(
    '/portal/api/password/forgot',
    { onRequest: anonymous, schema: { tags, summary: 'Ask for a password-reset email (the answer never says whether the email is known; 10 per address per 15 min, 3 mails per email per hour)', body: z.strictObject({ email: emailSchema }) } },
    async (request, reply) => {
      await requestReset(ctx.db, ctx.config, request.log, request.body.email, { address: request.ip, requestId: request.id });
      return reply.status(202).send();
    },
  );

  app.post(
    '/portal/api/password/reset',
    {
      onRequest: anonymous,
      schema: { tags, summary: 'Set a new password from a reset link (ends every session)', body: z.strictObject({ token: tokenSchema, password: newPasswordSchema }), response: { 200: z.object({ email: z.string() }) } },
    },
    async (request) => usePasswordLink(ctx.db, 'reset', request.body.token, request.body.password, request.id),
  );

  app.get(
    '/portal/api/apps',
    { onRequest: full, schema: { tags, summary: 'My Apps: the applications assigned to the signed-in user', response: { 200: z.object({ items: z.array(myAppSchema) }) } } },
    async (request) => ({ items: await myApps(ctx.db, portalSessionOfRequest(request).userId) }),
  );

  app.get(
    '/portal/api/passkeys',
    { onRequest: enrolling, schema: { tags, summary: 'Your passkeys', response: { 200: z.object({ items: z.array(passkeyViewSchema) }) } } },
    async (request) => ({ items: await listPasskeys(ctx.db, portalSessionOfRequest(request).userId) }),
  );

  app.post(
    '/portal/api/passkeys/options',
    { onRequest: enrolling, schema: { tags, summary: 'Start adding a passkey', body: z.strictObject({}), response: { 200: webauthnOptionsSchema } } },
    async (request) => asOptions(await startRegistration(ctx.db, rp, portalSessionOfRequest(request))),
  );

  app.post(
    '/portal/api/passkeys',
    { onRequest: enrolling, schema: { tags, summary: 'Finish adding a passkey', body: registrationFinishSchema, response: { 201: passkeyViewSchema } } },
    async (request, reply) => reply.status(201).send(await finishRegistration(ctx.db, rp, portalSessionOfRequest(request), request.body, request.id)),
  );

  app.delete(
    '/portal/api/passkeys/:id',
    { onRequest: full, schema: { tags, summary: 'Remove one of your passkeys', params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      await removePasskey(ctx.db, portalSessionOfRequest(request), request.params.id, request.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/portal/api/totp/setup',
    { onRequest: enrolling, schema: { tags, summary: 'Start setting up an authenticator app (shown once)', body: z.strictObject({}), response: { 200: z.object({ uri: z.string(), secret: z.string(), qrSvg: z.string() }) } } },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return startTotpEnrolment(ctx.db, ctx.secretKey, portalSessionOfRequest(request));
    },
  );

  app.post(
    '/portal/api/totp/confirm',
    { onRequest: enrolling, schema: { tags, summary: 'Confirm the authenticator app with a code from it', body: z.strictObject({ code: codeSchema }) } },
    async (request, reply) => {
      await confirmTotpEnrolment(ctx.db, ctx.secretKey, portalSessionOfRequest(request), request.body.code, request.id);
      return reply.status(204).send();
    },
  );

  app.delete('/portal/api/totp', { onRequest: full, schema: { tags, summary: 'Remove the authenticator app' } }, async (request, reply) => {
    await removeTotp(ctx.db, portalSessionOfRequest(request), request.id);
    return reply.status(204).send();
  });
};
