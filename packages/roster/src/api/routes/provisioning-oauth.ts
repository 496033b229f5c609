/**
 * OAuth connection: *Authorize* (returns the target's consent URL) and the callback the admin's browser
 * returns to, `<public URL>/provision/oauth/callback` (outside /api: a browser page, not JSON). The
 * callback answers with a redirect to the application's Provisioning page carrying the outcome in
 * its query (`connected=1` or `error=…`), or an HTML page when the authorization is unknown.
 */
import { z } from 'zod';
import { storableText } from '../../provisioning/config/settings-schema.ts';
import { completeAuthorization, startAuthorization } from '../../provisioning/connection/oauth-flow.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const tags = ['provisioning'];

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const provisioningOAuthRoutes: RouteModule = (app, ctx) => {
  const oauth = () => ({ db: ctx.db, secretKey: ctx.secretKey, targetUrls: ctx.config.targetUrls, publicUrl: ctx.config.publicUrl, queue: ctx.queue });

  app.post(
    '/api/apps/:id/provisioning/oauth/authorize',
    {
      onRequest: requirePermission('manage_provisioning'),
      schema: {
        tags,
        summary: "Start OAuth: returns the consent URL to open in the admin's browser (valid 10 minutes)",
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ authorizeUrl: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request) => startAuthorization(oauth(), principalOf(request), request.params.id, { requestId: request.id }),
  );

  app.get(
    '/provision/oauth/callback',
    {
      schema: {
        tags,
        summary: 'Where the target sends the browser back after consent (not an API call)',
        // The target may add parameters of its own; only these are read.
        querystring: z.object({ code: storableText(0, 2000).optional(), state: storableText(0, 200).optional(), error: storableText(0, 200).optional(), error_description: storableText(0, 2000).optional() }),
      },
    },
    async (request, reply) => {
      const result = await completeAuthorization(oauth(), request.query, { requestId: request.id });
      const page = (applicationId: string, query: Record<string, string>) => `${ctx.config.publicUrl}/apps/${applicationId}/provisioning?${new URLSearchParams(query).toString()}`;
      if (result.ok) return reply.redirect(page(result.value.applicationId, { connected: '1' }), 302);
      if (result.error.applicationId) return reply.redirect(page(result.error.applicationId, { error: result.error.message }), 302);
      return reply
        .status(400)
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roster – authorization failed</title></head><body><h1>Authorization failed</h1><p id="error">${escapeHtml(result.error.message)}</p><p><a href="${escapeHtml(ctx.config.publicUrl)}/">Back to Roster</a></p></body></html>`);
    },
  );
};
