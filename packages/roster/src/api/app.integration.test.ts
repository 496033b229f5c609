import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../test/test-app.ts';

describe.each(openTestDatabase.drivers())('API basics on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  it('answers health, readiness and metrics', async () => {
    expect((await h.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: driver });
    const metrics = await h.app.inject('/metrics');
    expect(metrics.body).toMatch(/roster_http_request_duration_seconds_bucket/);
  });

  it('serves the OpenAPI document and its browsable page', async () => {
    const doc = await h.app.inject('/api/openapi.json');
    expect(doc.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Roster API' } });
    const page = await h.app.inject('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/swagger/i);
  });

  it('answers an unknown route with the error envelope', async () => {
    const r = await h.app.inject('/api/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'route_not_found', requestId: expect.any(String) } });
  });

  it('refuses an unknown or malformed token with 401', async () => {
    const bad = await h.app.inject({ url: '/healthz', headers: { authorization: 'Bearer rst_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('unauthenticated');
    const malformed = await h.app.inject({ url: '/healthz', headers: { authorization: 'Basic abc' } });
    expect(malformed.json().error.issues[0].path).toBe('headers.authorization');
  });

  it('accepts a valid token', async () => {
    const a = await createTestAdmin(h.t.database.db, { permissions: ['view_logs'] });
    const r = await h.app.inject({ url: '/healthz', headers: a.headers });
    expect(r.statusCode).toBe(200);
  });
});
