/**
 * A SCIM app played by an in-process fetch, for unit tests of how the connector reads answers that
 * bend or vary within the RFC and of exactly what it sends: each request (method, path under
 * `/scim`, query, headers, parsed body) is recorded, and the handler answers it (or drops the
 * connection). `/ServiceProviderConfig` answers `spc` unless the handler is asked for it.
 */
import { unpacedPacer } from '../../provisioning/apply/pacer.ts';
import type { ConnectorDeps } from '../contract.ts';
import { scimConfigSchema, type ScimConfigInput } from './config.ts';
import { connectScim } from './connector.ts';

export interface FakeRequest {
  method: string;
  path: string;
  /** The raw query string as sent (percent-encoding kept). */
  rawQuery: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}
export type FakeHandler = (req: FakeRequest) => { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

export const FAKE_SPC = { patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 10 }, etag: { supported: true }, sort: { supported: false }, changePassword: { supported: false } };
export const listOf = (resources: unknown[], total = resources.length) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: total, Resources: resources });

export function fakeApp(handler: FakeHandler, config: Partial<ScimConfigInput> = {}, spc: () => Record<string, unknown> | null = () => null) {
  const seen: (FakeRequest & { ifMatch: string | null; auth: string | null })[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' && headers.get('content-type')?.includes('json') ? JSON.parse(init.body) : init?.body;
    const path = url.pathname.replace(/^\/scim/, '');
    const req: FakeRequest = { method: init?.method ?? 'GET', path, rawQuery: url.search.replace(/^\?/, ''), query: url.searchParams, body, headers };
    seen.push({ ...req, ifMatch: headers.get('if-match'), auth: headers.get('authorization') });
    const out = path === '/ServiceProviderConfig' && url.pathname.startsWith('/scim') ? { status: 200, body: spc() ?? FAKE_SPC } : handler(req);
    if (out === 'drop') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const text = typeof out.body === 'string' ? out.body : out.body === undefined ? '' : JSON.stringify(out.body);
    return new Response(out.status === 204 ? null : text, { status: out.status, headers: { 'content-type': typeof out.body === 'string' ? 'text/html' : 'application/scim+json', ...out.headers } });
  }) as typeof globalThis.fetch;
  const deps: ConnectorDeps = { fetch, now: Date.now, sleep: async () => {}, pacer: unpacedPacer };
  // Each test's app answers differently behind the same URL: every connection reads discovery itself (discovery-cache.ts shares it otherwise).
  const c = connectScim(scimConfigSchema.parse({ baseUrl: 'https://app.test/scim', discoveryCacheMs: 0, ...(config.method ? {} : { method: 'bearer', token: 't' }), ...config }), deps);
  return { c, seen };
}
