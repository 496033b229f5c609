/**
 * GET /: the admin UI when `packages/web/dist` is built (with SPA fallback for its client-side
 * routes, the directory users' portal under /portal included), otherwise a small page saying Roster is running, with links to the API docs and sandbox.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { AppError } from '../../errors/app-error.ts';
import { currentPortalUser } from '../../people/portal-session.ts';
import { offSiteReturnTo } from '../../people/return-to.ts';
import { refusalPage } from '../../sso/pages.ts';
import { logPortalRefusal } from '../../sso/sign-in-log.ts';
import { codeSentence } from '../../words/words.ts';
import type { AppContext, RouteModule } from '../context.ts';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function startPageHtml(ctx: Pick<AppContext, 'config'>): string {
  const c = ctx.config;
  const sandbox = c.sandbox
    ? `<li><a href="http://${escapeHtml(c.host === '0.0.0.0' || c.host === '::' ? 'localhost' : c.host)}:${c.sandboxPort}/">Sandbox</a> (the demo target)</li>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Roster</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style></head>
<body><h1>Roster is running</h1>
<p>The identity directory and provisioning engine is up. The admin UI is not built yet
(<code>packages/web/dist</code> is missing); use the API or the <code>roster</code> CLI meanwhile.</p>
<ul><li><a href="/api/docs">API documentation</a> (OpenAPI at <a href="/api/openapi.json">/api/openapi.json</a>)</li>
${sandbox}<li><a href="/readyz">Readiness</a> and <a href="/metrics">metrics</a></li></ul>
</body></html>
`;
}

/** The start page module for a given UI build folder (tests pass their own). */
export function startPageRoutesFor(distDir: string): RouteModule {
  return (app, ctx) => {
    if (!existsSync(path.join(distDir, 'index.html'))) {
      app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(startPageHtml(ctx)));
      return;
    }
    void app.register(fastifyStatic, { root: distDir, wildcard: false });
    // Client-side routes of the single-page app get index.html; API paths keep their 404 envelope.
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const p = request.url.split('?')[0] ?? '/';
      if (p.startsWith('/api/') || p === '/api' || p.startsWith('/portal/api/')) throw new AppError('route_not_found', `No route ${request.method} ${p}.`);
      // A file the build does not have (an old tab asking for a replaced bundle) is a 404, never the page in its place.
      if (p.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(p)) throw new AppError('route_not_found', `No file ${p} in the admin UI.`);
      // The portal's own return_to (sign-in, security): an off-site value is refused here, before the page loads.
      const returnTo = p.startsWith('/portal/') ? (request.query as Record<string, unknown>)['return_to'] : undefined;
      const values = (Array.isArray(returnTo) ? returnTo : [returnTo]).filter((v): v is string => typeof v === 'string');
      const bad = values.map((v) => ({ v, why: offSiteReturnTo(v) })).find((x) => x.why !== null);
      if (bad) {
        const refusal = { code: 'sso_portal_return_to', message: `The page to return to (${bad.v.slice(0, 200)}) ${bad.why}: Roster only returns to its own pages.`, advice: 'Open the application from its own address or from My Apps.' };
        const user = await currentPortalUser(ctx.db, request);
        await logPortalRefusal(ctx.db, { userId: user?.userId ?? null, email: user?.email ?? null, refusal, requestId: request.id });
        return reply.code(400).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(refusalPage('Roster', refusal, codeSentence(refusal.code)));
      }
      return reply.sendFile('index.html');
    });
  };
}

export const startPageRoutes: RouteModule = startPageRoutesFor(webDistDir);
