/**
 * Security headers on every answer (API, admin UI, API docs, errors). The UI is a bundle of
 * same-origin scripts, so scripts are `'self'` only: no inline script runs. Mantine writes its CSS
 * variables into `<style>` elements and style attributes at run time, which is why styles (and only
 * styles) may be inline. Nothing may frame Roster (clickjacking of the admin UI).
 */
import type { FastifyInstance } from 'fastify';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // The gallery's logos are data: URLs; Swagger UI draws its icons from data: URLs too.
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    for (const [name, value] of Object.entries(securityHeaders)) {
      // A route may widen one directive for its page (the SSO post page's form-action names the application).
      if (name === 'content-security-policy' && reply.hasHeader(name)) continue;
      void reply.header(name, value);
    }
    // API answers carry personal data and the session's CSRF token: no browser or proxy may keep them.
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) void reply.header('cache-control', 'no-store');
  });
}
