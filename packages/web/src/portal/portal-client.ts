/**
 * The portal's HTTP client (directory users' realm, cookie `roster_portal`): the same generated
 * types as the admin client, its own CSRF token, and the `x-roster-portal` header every portal
 * write carries (the server refuses writes without it: no cross-site form can set it).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../api/schema.d.ts';

let portalCsrf: string | null = null;

export function setPortalCsrf(token: string | null): void {
  portalCsrf = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const headers: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method)) {
      request.headers.set('x-roster-portal', '1');
      if (portalCsrf) request.headers.set('x-csrf-token', portalCsrf);
    }
    return request;
  },
};

export const portalApi = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
portalApi.use(headers);
