import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningConfigs, provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const ADA = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

describe.each(openTestDatabase.drivers())('provisioning log API on %s', (driver) => {
  let h: TestApp;
  let appId: string;
  let otherAppId: string;
  let cycleId: string;
  const get = (url: string, headers: Record<string, string> = h.owner.headers) => h.app.inject({ url, headers });

  beforeAll(async () => {
    h = await openTestApp(driver);
    const create = async (subdomain: string) =>
      (await h.app.inject({ method: 'POST', url: '/api/apps', headers: h.owner.headers, payload: { type: 'zendesk', displayName: subdomain, settings: { subdomain } } })).json().id as string;
    appId = await create('logs');
    otherAppId = await create('logs-other');
    const db = h.t.database.db;
    const [completed] = await db
      .insert(provisioningCycles)
      .values({ applicationId: appId, kind: 'initial', status: 'completed', counts: { created: 2, failed: 1 }, progress: { total: 3, done: 3 }, startedAt: new Date('2026-11-20T10:00:00Z'), finishedAt: new Date('2026-11-20T10:00:42Z') })
      .returning();
    cycleId = completed!.id;
    await db.insert(provisioningCycles).values({ applicationId: appId, kind: 'periodic', status: 'running', progress: { total: 10, done: 4 }, startedAt: new Date('2026-11-20T11:00:00Z') });
    await db.insert(provisioningConfigs).values({ applicationId: appId, enabled: true, state: 'running', nextCycleAt: new Date('2026-11-20T11:40:00Z'), lastCycleAt: new Date('2026-11-20T10:00:42Z') });
    const event = (at: string, directoryId: string, identity: string, action: string, status: string, extra: Record<string, unknown> = {}) => ({
      applicationId: appId,
      at: new Date(at),
      cycleId,
      objectType: 'user',
      directoryId,
      identity,
      action,
      status,
      steps: [
        { name: 'scope', outcome: 'in scope', detail: 'assigned as Agent' },
        { name: 'match', outcome: 'no match' },
        { name: 'action', outcome: status },
      ],
      ...extra,
    });
    await db.insert(provisioningEvents).values([
      event('2026-11-20T10:00:10Z', ADA, 'ada@example.test', 'create', 'success', { targetId: '501', changes: [{ property: 'name', old: null, new: 'Ada Lovelace' }], durationMs: 120 }),
      event('2026-11-20T10:00:20Z', BOB, 'bob@example.test', 'create', 'failed', { errorCode: 'zendesk.duplicate_value', errorMessage: 'Email: bob@example.test is already being used by another user', advice: 'Free the email in Zendesk, or link the account.', durationMs: 90 }),
      event('2026-11-20T10:00:30Z', ADA, 'ada@example.test', 'update', 'success', { targetId: '501', changes: [{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }, { property: 'phone', old: null, new: '=1+2' }] }),
      { ...event('2026-11-20T10:00:40Z', BOB, 'bob@example.test', 'skip', 'skipped'), cycleId: null },
      { ...event('2026-11-20T10:00:50Z', ADA, 'ada@example.test', 'create', 'success'), applicationId: otherAppId },
    ]);
  });
  afterAll(async () => h?.close());

  const list = async (query = ''): Promise<Json> => {
    const r = await get(`/api/apps/${appId}/provisioning/events${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const actions = (page: Json) => page.items.map((e: Json) => `${e.identity} ${e.action} ${e.status}`);

  it('lists this application’s events newest first, with cursor pages', async () => {
    expect(actions(await list())).toEqual(['bob@example.test skip skipped', 'ada@example.test update success', 'bob@example.test create failed', 'ada@example.test create success']);
    const first = await list('?limit=3');
    expect(first.items).toHaveLength(3);
    const second = await list(`?limit=3&cursor=${first.nextCursor}`);
    expect(actions(second)).toEqual(['ada@example.test create success']);
    expect(second.nextCursor).toBeNull();
    expect((await get(`/api/apps/${appId}/provisioning/events?cursor=forged`)).json().error.issues[0].path).toBe('query.cursor');
  });

  it('filters by user (directory id or part of the identity), action, status, time and cycle', async () => {
    expect(actions(await list(`?user=${ADA}`))).toEqual(['ada@example.test update success', 'ada@example.test create success']);
    expect(actions(await list('?user=BOB@'))).toEqual(['bob@example.test skip skipped', 'bob@example.test create failed']);
    expect(actions(await list('?user=%25'))).toEqual([]);
    expect(actions(await list('?action=create'))).toEqual(['bob@example.test create failed', 'ada@example.test create success']);
    expect(actions(await list('?status=failed'))).toEqual(['bob@example.test create failed']);
    expect(actions(await list(`?from=${encodeURIComponent('2026-11-20T10:00:20Z')}&to=${encodeURIComponent('2026-11-20T10:00:40Z')}`))).toEqual(['ada@example.test update success', 'bob@example.test create failed']);
    expect((await list(`?cycleId=${cycleId}`)).items).toHaveLength(3);
    const bad = await get(`/api/apps/${appId}/provisioning/events?status=exploded&from=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: Json) => i.path)).toEqual(expect.arrayContaining(['query.status', 'query.from']));
  });

  it('shows one event with its steps, old → new changes, error and advice; 404 for another app’s event', async () => {
    const failed = (await list('?status=failed')).items[0];
    const r = await get(`/api/apps/${appId}/provisioning/events/${failed.id}`);
    expect(r.json()).toMatchObject({
      action: 'create',
      status: 'failed',
      errorCode: 'zendesk.duplicate_value',
      advice: expect.stringContaining('Free the email'),
      steps: [{ name: 'scope', outcome: 'in scope', detail: 'assigned as Agent' }, { name: 'match', outcome: 'no match' }, { name: 'action', outcome: 'failed' }],
    });
    const update = (await list('?action=update')).items[0];
    expect((await get(`/api/apps/${appId}/provisioning/events/${update.id}`)).json().changes).toEqual([{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }, { property: 'phone', old: null, new: '=1+2' }]);
    const foreign = (await get(`/api/apps/${otherAppId}/provisioning/events`)).json().items[0];
    expect((await get(`/api/apps/${appId}/provisioning/events/${foreign.id}`)).statusCode).toBe(404);
  });

  it('exports the filtered log as CSV (steps and changes as JSON cells) and as a JSON array', async () => {
    const csv = await get(`/api/apps/${appId}/provisioning/events/export?format=csv&user=ada`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,cycleId,objectType,directoryId,targetId,identity,action,status,errorCode,errorMessage,advice,durationMs,steps,changes');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('ada@example.test,update,success');
    expect(lines[1]).toContain('""old"":""Ada Lovelace""');
    const json = await get(`/api/apps/${appId}/provisioning/events/export?format=json&status=failed`);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(json.body)).toMatchObject([{ identity: 'bob@example.test', errorCode: 'zendesk.duplicate_value' }]);
    expect(JSON.parse((await get(`/api/apps/${appId}/provisioning/events/export?user=nobody`)).body)).toEqual([]);
  });

  it('lists cycles with counts and duration, and shows the synchronization details', async () => {
    const cycles = (await get(`/api/apps/${appId}/provisioning/cycles`)).json();
    expect(cycles.items.map((c: Json) => `${c.kind} ${c.status}`)).toEqual(['periodic running', 'initial completed']);
    expect(cycles.items[1]).toMatchObject({ counts: { created: 2, failed: 1 }, durationMs: 42_000 });
    const page = (await get(`/api/apps/${appId}/provisioning/cycles?limit=1`)).json();
    expect((await get(`/api/apps/${appId}/provisioning/cycles?limit=1&cursor=${page.nextCursor}`)).json().items[0].kind).toBe('initial');
    const status = (await get(`/api/apps/${appId}/provisioning/status`)).json();
    expect(status).toMatchObject({
      enabled: true,
      state: 'running',
      running: { kind: 'periodic', progress: { total: 10, done: 4 }, durationMs: null },
      lastCompleted: { id: cycleId, counts: { created: 2, failed: 1 }, durationMs: 42_000 },
      nextCycleAt: '2026-11-20T11:40:00.000Z',
    });
  });

  it('needs view_logs, and answers 404 for an unknown application', async () => {
    const noLogs = await createTestAdmin(h.t.database.db, { permissions: ['view_apps'] });
    expect((await get(`/api/apps/${appId}/provisioning/events`, noLogs.headers)).statusCode).toBe(403);
    expect((await get(`/api/apps/${appId}/provisioning/status`, noLogs.headers)).statusCode).toBe(403);
    expect((await get('/api/apps/00000000-0000-4000-8000-000000000000/provisioning/events')).statusCode).toBe(404);
  });
});
