import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';

describe.each(openTestDatabase.drivers())('provisioning routes refuse bad input with a 4xx on %s', (driver) => {
  let h: TestApp;
  let id: string;
  beforeAll(async () => {
    h = await openTestApp(driver);
    id = (await h.app.inject({ method: 'POST', url: '/api/apps', headers: h.owner.headers, payload: { type: 'zendesk', displayName: 'Z', settings: { subdomain: 'bad-input' } } })).json().id as string;
  });
  afterAll(async () => h?.close());

  it('answers every bad request with a 4xx (a 400 names the field), never a 5xx', async () => {
    const nul = '\u0000';
    const cases: { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; payload?: unknown; headers?: Record<string, string> }[] = [
      { method: 'GET', url: '/api/apps/not-a-uuid/provisioning' },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: 'x' }, headers: { 'if-match': '"1"' } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: { mappings: 'x' } }, headers: { 'if-match': '"1"' } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: { mappings: [{ target: '', source: { kind: 'nope' } }] } }, headers: { 'if-match': '"1"' } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: {} }, headers: { 'if-match': 'abc' } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: {}, version: -1 } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: { settings: { mappings: [{ target: `na${nul}me`, source: { kind: 'constant', value: `x${nul}` } }] } }, headers: { 'if-match': '"1"' } },
      { method: 'PATCH', url: `/api/apps/${id}/provisioning`, payload: [] },
      { method: 'PUT', url: `/api/apps/${id}/provisioning/connection`, payload: {} },
      { method: 'PUT', url: `/api/apps/${id}/provisioning/connection`, payload: { method: 'oauth', clientId: `ro${nul}ster`, clientSecret: 'x' } },
      { method: 'PUT', url: `/api/apps/${id}/provisioning/connection`, payload: { method: 'api_token', adminEmail: 'a@b.test', apiToken: 'x'.repeat(501) } },
      { method: 'POST', url: `/api/apps/${id}/provisioning/mapping-preview`, payload: { mapping: { target: 'name' }, userId: 'x' } },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?limit=0` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?limit=9999` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?from=yesterday` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?cycleId=abc` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?status=exploded` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?user=` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?user=%00` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?action=%00` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?extra=1` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events?cursor=${Buffer.from('["x"]').toString('base64url')}` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events/abc` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events/-1` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events/99999999999999999999` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/events/export?format=xml` },
      { method: 'GET', url: `/api/apps/${id}/provisioning/cycles?cursor=${Buffer.from('["x","y"]').toString('base64url')}` },
      { method: 'GET', url: '/provision/oauth/callback' },
      { method: 'GET', url: `/provision/oauth/callback?state=${'s'.repeat(300)}` },
      { method: 'GET', url: '/provision/oauth/callback?state=%00&code=x' },
      { method: 'POST', url: '/api/apps/00000000-0000-4000-8000-000000000000/provisioning/enable' },
      { method: 'POST', url: `/api/apps/${id}/provisioning/oauth/authorize` },
    ];
    for (const c of cases) {
      const r = await h.app.inject({ method: c.method, url: c.url, headers: { ...h.owner.headers, ...c.headers }, ...(c.payload === undefined ? {} : { payload: c.payload as object }) });
      expect(r.statusCode, `${c.method} ${c.url} ${JSON.stringify(c.payload)} → ${r.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${c.method} ${c.url} ${JSON.stringify(c.payload)} → ${r.body.slice(0, 300)}`).toBeLessThan(500);
      if (r.statusCode === 400 && r.headers['content-type']?.toString().startsWith('application/json')) expect(r.json().error.issues.length, c.url).toBeGreaterThan(0);
    }
  });
});
