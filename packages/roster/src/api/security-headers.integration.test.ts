import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config/config.ts';
import { buildApp } from './app.ts';
import type { ApiApp, AppContext } from './context.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { startPageRoutesFor } from './routes/start-page.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('security headers and the metrics token', () => {
  let t: TestDatabase;
  let app: ApiApp;
  let open: ApiApp;
  let ui: ApiApp;
  let dist: string;
  let apiHeaders: { authorization: string };
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    const base = { ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX };
    const guarded = loadConfig({ ...base, ROSTER_METRICS_TOKEN: METRICS_TOKEN });
    const unguarded = loadConfig(base);
    if (!guarded.ok || !unguarded.ok) throw new Error('bad test config');
    ({ app } = await buildApp({ database: t.database, config: guarded.value }));
    ({ app: open } = await buildApp({ database: t.database, config: unguarded.value }));
    // A built UI (one page and one script), served by the start-page module as `serve` serves packages/web/dist.
    dist = await mkdtemp(path.join(os.tmpdir(), 'roster-dist-'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
    await writeFile(path.join(dist, 'app.js'), 'console.log(1)');
    ui = Fastify() as unknown as ApiApp;
    registerErrorHandling(ui as never);
    registerSecurityHeaders(ui as never);
    startPageRoutesFor(dist)(ui, { config: unguarded.value } as AppContext);
    await ui.ready();
    apiHeaders = (await createTestAdmin(t.database.db, { role: 'owner' })).headers;
  });
  afterAll(async () => {
    await app?.close();
    await open?.close();
    await ui?.close();
    await t?.close();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (headers: Record<string, unknown>, what: string) => {
    const csp = String(headers['content-security-policy'] ?? '');
    expect(csp, what).toContain("script-src 'self'");
    expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("object-src 'none'");
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
  };

  it('sends them on API answers, errors, the UI, its client-side routes and the API docs', async () => {
    const answers = {
      'GET /api/session (401)': await open.inject({ url: '/api/session' }),
      'GET /api/users (200)': await open.inject({ url: '/api/users', headers: apiHeaders }),
      'POST /api/users bad body (400)': await open.inject({ method: 'POST', url: '/api/users', headers: apiHeaders, payload: { email: 'x' } }),
      'GET /api/nope (404)': await open.inject({ url: '/api/nope', headers: apiHeaders }),
      'GET / (UI)': await ui.inject({ url: '/' }),
      'GET /apps/123 (UI route)': await ui.inject({ url: '/apps/123' }),
      'GET /app.js': await ui.inject({ url: '/app.js' }),
      'GET /api/docs/': await open.inject({ url: '/api/docs/' }),
      'GET /healthz': await open.inject({ url: '/healthz' }),
    };
    for (const [what, r] of Object.entries(answers)) expectSecurityHeaders(r.headers, what);
    expect(answers['GET / (UI)'].statusCode).toBe(200);
    expect(answers['GET / (UI)'].body).toContain('<div id="root">');
    // API answers (personal data, the session's CSRF token) are never cached; the UI's files may be.
    for (const what of ['GET /api/session (401)', 'GET /api/users (200)', 'POST /api/users bad body (400)', 'GET /api/nope (404)'] as const) expect(answers[what].headers['cache-control'], what).toBe('no-store');
    expect(answers['GET /app.js'].headers['cache-control']).not.toBe('no-store');
  });

  it('requires the metrics token on /metrics when configured, and leaves it open otherwise', async () => {
    const none = await app.inject({ url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({ code: 'unauthenticated', issues: [{ path: 'headers.authorization', reason: 'missing' }] });
    expectSecurityHeaders(none.headers, '401 /metrics');
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer not-the-metrics-token-at-all' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(METRICS_TOKEN);
    // An API token is not the metrics token.
    expect((await app.inject({ url: '/metrics', headers: apiHeaders })).statusCode).toBe(401);
    const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('roster_http_request_duration_seconds');
    expect(ok.body).toContain('process_cpu_user_seconds_total');
    // The metrics token opens nothing else.
    expect((await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).statusCode).toBe(401);
    expect((await open.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await open.inject({ url: '/metrics', headers: { authorization: 'Bearer an-old-metrics-token' } })).statusCode).toBe(200);
  });

  it('refuses a short metrics token at start, naming the variable', () => {
    const r = loadConfig({ ROSTER_METRICS_TOKEN: 'short' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.join('\n')).toContain('ROSTER_METRICS_TOKEN: must be at least 16 characters');
  });
});
