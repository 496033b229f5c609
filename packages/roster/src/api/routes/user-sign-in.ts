/**
 * Admin side of directory users' sign-in: status, invitation and reset emails, sessions and their
 * revocation (manage_users), and the organisation's MFA policy. Every action is audited.
 */
import { z } from 'zod';
import { revokeSessions, signInStatus, signInStatusSchema } from '../../people/admin-sign-in.ts';
import { sendLinkAsAdmin } from '../../people/invitations.ts';
import { readSignInPolicy, signInPolicySchema, signInPolicyUpdateSchema, updateSignInPolicy } from '../../people/policy.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const sentSchema = z.object({ sentTo: z.string(), expiresAt: z.iso.datetime() });

export const userSignInRoutes: RouteModule = (app, ctx) => {
  const manage = requirePermission('manage_users');
  const tags = ['users'];
  const params = z.object({ id: z.uuid() });

  app.get(
    '/api/users/:id/sign-in',
    { onRequest: manage, schema: { tags, summary: "The user's sign-in: status, second factors, sessions", params, response: { 200: signInStatusSchema } } },
    async (request) => signInStatus(ctx.db, request.params.id),
  );

  for (const kind of ['invite', 'reset'] as const) {
    app.post(
      `/api/users/:id/sign-in/${kind}`,
      {
        onRequest: manage,
        schema: {
          tags,
          summary: kind === 'invite' ? 'Email an invitation to set a password (link valid 7 days, once)' : 'Email a password-reset link (valid 1 hour, once)',
          params,
          response: { 200: sentSchema },
        },
      },
      async (request) => {
        const r = await sendLinkAsAdmin(ctx.db, ctx.config, principalOf(request), request.params.id, kind, request.id);
        return { sentTo: r.sentTo, expiresAt: r.expiresAt.toISOString() };
      },
    );
  }

  app.delete(
    '/api/users/:id/sign-in/sessions/:sessionId',
    { onRequest: manage, schema: { tags, summary: 'End one portal session of the user', params: z.object({ id: z.uuid(), sessionId: z.uuid() }), response: { 200: z.object({ ended: z.number().int() }) } } },
    async (request) => ({ ended: await revokeSessions(ctx.db, principalOf(request), request.params.id, request.params.sessionId, request.id) }),
  );

  app.delete(
    '/api/users/:id/sign-in/sessions',
    { onRequest: manage, schema: { tags, summary: 'End every portal session of the user', params, response: { 200: z.object({ ended: z.number().int() }) } } },
    async (request) => ({ ended: await revokeSessions(ctx.db, principalOf(request), request.params.id, null, request.id) }),
  );

  app.get(
    '/api/settings/sign-in',
    { onRequest: manage, schema: { tags: ['settings'], summary: "Directory users' sign-in policy", response: { 200: signInPolicySchema } } },
    async () => readSignInPolicy(ctx.db),
  );

  app.put(
    '/api/settings/sign-in',
    { onRequest: manage, schema: { tags: ['settings'], summary: "Set the directory users' sign-in policy (MFA required or optional)", body: signInPolicyUpdateSchema, response: { 200: signInPolicySchema } } },
    async (request) => updateSignInPolicy(ctx.db, principalOf(request), request.body, request.id),
  );
};
