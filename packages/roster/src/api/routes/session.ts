/**
 * Admin UI sign-in: POST /api/session sets the `roster_session` cookie (HttpOnly, SameSite=Lax,
 * Secure behind https) and returns the CSRF token every unsafe request must echo in x-csrf-token.
 * A session expires 12 h after its last use, at most 7 days after sign-in. An admin signed in with
 * a one-time or admin-set password (`admin.mustChangePassword`) gets 403 `password_change_required`
 * on every other API route until they change it (the UI's own pages still load).
 * Failed sign-ins (429 when locked): an (email, address) pair locks after 5 failures for 1, 2, 4 …
 * minutes (at most 60), never for other addresses; an address locks after 20 within 15 min, for 15 min.
 */
import { z } from 'zod';
import { plainText } from '../../directory/text.ts';
import { changeOwnPassword, changePasswordSchema } from '../../admins/admin-passwords.ts';
import { getAdminRow } from '../../admins/admin-read.ts';
import { adminViewSchema, toAdminView } from '../../admins/admin-view.ts';
import { MAX_PASSWORD_LENGTH } from '../../admins/password-policy.ts';
import { SESSION_MAX_MS, deleteSession } from '../../admins/sessions.ts';
import { signIn } from '../../admins/sign-in.ts';
import { recordAudit } from '../../audit/audit.ts';
import { AppError } from '../../errors/app-error.ts';
import { SESSION_COOKIE, principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const signInSchema = z.strictObject({
  email: plainText().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH),
});

const sessionSchema = z.object({ admin: adminViewSchema, csrfToken: z.string().nullable() });

export const sessionRoutes: RouteModule = (app, ctx) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https:'),
  };

  app.post(
    '/api/session',
    { schema: { tags: ['session'], summary: 'Sign in with email and password', body: signInSchema, response: { 200: sessionSchema } } },
    async (request, reply) => {
      const { admin, session } = await signIn(ctx.db, { ...request.body, address: request.ip, requestId: request.id });
      // The cookie outlives idle expiry on purpose: the server decides, the browser only carries it.
      void reply.setCookie(SESSION_COOKIE, session.cookieValue, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      return { admin, csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/session',
    { schema: { tags: ['session'], summary: 'The signed-in admin and the CSRF token', response: { 200: sessionSchema } }, onRequest: requirePermission() },
    async (request) => {
      const p = principalOf(request);
      if (!p.adminId) throw new AppError('unauthenticated', 'Sign in as an admin.');
      return { admin: toAdminView(await getAdminRow(ctx.db, p.adminId)), csrfToken: request.csrfToken };
    },
  );

  app.delete('/api/session', { schema: { tags: ['session'], summary: 'Sign out' } }, async (request, reply) => {
    const cookie = request.sessionCookie;
    if (cookie && request.principal) {
      const principal = request.principal;
      await ctx.db.transaction(async (tx) => {
        if (await deleteSession(tx, cookie)) {
          await recordAudit(tx, principal, { action: 'session.delete', targetType: 'admin', targetId: principal.adminId }, request.id);
        }
      });
    }
    void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send();
  });

  app.post(
    '/api/session/password',
    {
      schema: { tags: ['session'], summary: 'Change your own password (min 12 characters)', body: changePasswordSchema, response: { 200: z.object({ admin: adminViewSchema }) } },
      onRequest: requirePermission(),
    },
    async (request) => {
      const admin = await changeOwnPassword(ctx.db, principalOf(request), request.body, {
        address: request.ip,
        keepSessionCookie: request.sessionCookie,
        requestId: request.id,
      });
      return { admin };
    },
  );
};
