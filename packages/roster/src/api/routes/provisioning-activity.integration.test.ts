import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningEvents } from '../../db/provisioning-schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

describe.each(openTestDatabase.drivers())('provisioning activity (the Overview chart) on %s', (driver) => {
  let h: TestApp;
  let appId: string;
  let otherAppId: string;
  const get = (url: string, headers: Record<string, string> = h.owner.headers) => h.app.inject({ url, headers });

  beforeAll(async () => {
    h = await openTestApp(driver);
    const create = async (subdomain: string) =>
      (await h.app.inject({ method: 'POST', url: '/api/apps', headers: h.owner.headers, payload: { type: 'zendesk', displayName: subdomain, settings: { subdomain } } })).json().id as string;
    appId = await create('activity');
    otherAppId = await create('activity-other');
    const e = (at: string, action: string, status: string, applicationId = appId) => ({ applicationId, at: new Date(at), objectType: 'user', identity: 'x@example.test', action, status });
    await h.t.database.db.insert(provisioningEvents).values([
      // 10:00–11:00: 2 created, 1 updated, 1 failed create; a skip counts nowhere.
      e('2026-11-20T10:00:00Z', 'create', 'success'),
      e('2026-11-20T10:59:59.999Z', 'create', 'success'),
      e('2026-11-20T10:15:00Z', 'update', 'success'),
      e('2026-11-20T10:20:00Z', 'create', 'failed'),
      e('2026-11-20T10:21:00Z', 'skip', 'skipped'),
      // 11:00–12:00: nothing. 12:00–13:00: a suspension, a deletion, a failed update.
      e('2026-11-20T12:00:00Z', 'suspend', 'success'),
      e('2026-11-20T12:30:00Z', 'delete', 'success'),
      e('2026-11-20T12:45:00Z', 'update', 'failed'),
      // Outside the range, and another application's: never counted.
      e('2026-11-20T13:00:00Z', 'create', 'success'),
      e('2026-11-20T09:59:59Z', 'create', 'success'),
      e('2026-11-20T10:30:00Z', 'create', 'success', otherAppId),
      // The next day, for day buckets.
      e('2026-11-21T08:00:00Z', 'delete', 'success'),
    ]);
  });
  afterAll(async () => h?.close());

  it('counts each hour of the range, empty hours included, in SQL', async () => {
    const r = await get(`/api/apps/${appId}/provisioning/activity?from=2026-11-20T10:00:00Z&to=2026-11-20T13:00:00Z&bucket=hour`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Json;
    expect(body.bucket).toBe('hour');
    expect(body.points).toEqual([
      { at: '2026-11-20T10:00:00.000Z', created: 2, updated: 1, suspended: 0, deleted: 0, failed: 1 },
      { at: '2026-11-20T11:00:00.000Z', created: 0, updated: 0, suspended: 0, deleted: 0, failed: 0 },
      { at: '2026-11-20T12:00:00.000Z', created: 0, updated: 0, suspended: 1, deleted: 1, failed: 1 },
    ]);
    expect(body.totals).toEqual({ created: 2, updated: 1, suspended: 1, deleted: 1, failed: 2 });
  });

  it('counts per day, rounding the start down to midnight UTC', async () => {
    const r = await get(`/api/apps/${appId}/provisioning/activity?from=2026-11-20T06:00:00Z&to=2026-11-22T00:00:00Z&bucket=day`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Json;
    expect(body.from).toBe('2026-11-20T00:00:00.000Z');
    expect(body.points).toEqual([
      { at: '2026-11-20T00:00:00.000Z', created: 4, updated: 1, suspended: 1, deleted: 1, failed: 2 },
      { at: '2026-11-21T00:00:00.000Z', created: 0, updated: 0, suspended: 0, deleted: 1, failed: 0 },
    ]);
  });

  it('defaults to the last 24 hours per hour', async () => {
    const body = (await get(`/api/apps/${appId}/provisioning/activity`)).json() as Json;
    expect(body.points.length).toBeGreaterThanOrEqual(24);
    expect(body.points.length).toBeLessThanOrEqual(25);
    expect(body.totals).toEqual({ created: 0, updated: 0, suspended: 0, deleted: 0, failed: 0 });
  });

  it('refuses a reversed or too long range, naming the field', async () => {
    const reversed = await get(`/api/apps/${appId}/provisioning/activity?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.issues).toContainEqual(expect.objectContaining({ path: 'query.from' }));
    const tooLong = await get(`/api/apps/${appId}/provisioning/activity?from=2025-11-20T00:00:00Z&to=2026-11-20T00:00:00Z&bucket=hour`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('narrow the range');
    expect((await get(`/api/apps/${appId}/provisioning/activity?bucket=week`)).statusCode).toBe(400);
  });

  it('needs view_logs', async () => {
    const noLogs = await createTestAdmin(h.t.database.db, { permissions: ['view_apps'] });
    expect((await get(`/api/apps/${appId}/provisioning/activity`, noLogs.headers)).statusCode).toBe(403);
  });
});
