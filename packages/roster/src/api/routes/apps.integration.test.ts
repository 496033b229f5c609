import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { applications, auditLog, outbox } from '../../db/schema.ts';

describe.each(openTestDatabase.drivers())('gallery and applications API on %s', (driver) => {
  let h: TestApp;
  let headers: { authorization: string };
  beforeAll(async () => {
    h = await openTestApp(driver);
    headers = h.owner.headers;
  });
  afterAll(async () => h?.close());

  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const get = (url: string, as = headers) => h.app.inject({ url, headers: as });
  const zendesk = (subdomain: string, displayName = `Zendesk ${subdomain}`) => send('POST', '/api/apps', { type: 'zendesk', displayName, settings: { subdomain } });

  it('lists the gallery with Zendesk first, its settings and its roles', async () => {
    const r = await get('/api/gallery');
    expect(r.statusCode).toBe(200);
    const first = r.json().items[0];
    expect(first).toMatchObject({ key: 'zendesk', name: 'Zendesk', logo: expect.stringMatching(/^data:image\/svg/), settings: [{ key: 'subdomain', example: 'spencer-4609' }] });
    expect(first.roles.map((x: { key: string; label: string }) => `${x.key}=${x.label}`)).toEqual(['default-access=Default Access', 'end-user=End user', 'agent=Agent', 'admin=Admin']);
  });

  it('delivers each type\'s connection methods with their form fields (the admin UI renders them)', async () => {
    const first = (await get('/api/gallery')).json().items[0];
    const forms = first.connectionMethods.map((m: { method: string; fields: { key: string; type: string }[] }) => `${m.method}: ${m.fields.map((f) => `${f.key}(${f.type})`).join(' ')}`);
    expect(forms).toEqual(['oauth: clientId(text) clientSecret(secret)', 'api_token: adminEmail(email) apiToken(secret)']);
    expect(first).toMatchObject({ customRolePattern: '^custom:\\d+$', connectionMethods: [{ recommended: true }, { notice: expect.stringContaining('API tokens') }] });
  });

  it('adds, reads, renames and deletes an application, audited, with outbox rows', async () => {
    const created = await zendesk('spencer-4609', 'Zendesk – Support team');
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({ type: 'zendesk', typeName: 'Zendesk', settings: { subdomain: 'spencer-4609' }, targetUrl: 'https://spencer-4609.zendesk.com', version: 1 });
    expect(created.headers.etag).toBe('"1"');
    const read = await get(`/api/apps/${a.id}`);
    expect(read.json().displayName).toBe('Zendesk – Support team');
    expect(read.headers.etag).toBe('"1"');

    const renamed = await send('PATCH', `/api/apps/${a.id}`, { displayName: 'Support' }, { 'if-match': '"1"' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ displayName: 'Support', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    expect((await get('/api/apps')).json().items.map((x: { id: string }) => x.id)).toContain(a.id);

    expect((await send('DELETE', `/api/apps/${a.id}`)).statusCode).toBe(204);
    expect((await get(`/api/apps/${a.id}`)).statusCode).toBe(404);
    expect((await get('/api/apps')).json().items.map((x: { id: string }) => x.id)).not.toContain(a.id);
    const ops = (await h.t.database.db.select().from(outbox).where(eq(outbox.entityId, a.id))).map((r) => `${r.entityType} ${r.op}`);
    expect(ops).toEqual(['application created', 'application updated', 'application deleted']);
    const audit = await h.t.database.db.select().from(auditLog).where(eq(auditLog.targetId, a.id));
    expect(audit.map((x) => x.action)).toEqual(['app.create', 'app.update', 'app.delete']);
  });

  it('normalises a pasted Zendesk address and refuses a second live app on the same subdomain', async () => {
    const first = await zendesk('https://Acme-Help.zendesk.com/agent');
    expect(first.statusCode).toBe(201);
    expect(first.json().settings).toEqual({ subdomain: 'acme-help' });
    const dup = await zendesk('acme-help');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'duplicate', issues: [{ path: 'body.settings.subdomain' }], details: { existingId: first.json().id } });
    await send('DELETE', `/api/apps/${first.json().id}`);
    expect((await zendesk('acme-help')).statusCode).toBe(201);
  });

  it('lets only one of two concurrent creations of the same target through', async () => {
    const results = await Promise.all([zendesk('racing'), zendesk('https://racing.zendesk.com')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('refuses bad input naming the field and the reason, writing nothing', async () => {
    const before = (await h.t.database.db.select().from(applications)).length;
    const cases: [unknown, string, RegExp][] = [
      [{ type: 'zendesk', displayName: 'x', settings: { subdomain: 'bad_sub' } }, 'body.settings.subdomain', /subdomain/],
      [{ type: 'zendesk', displayName: 'x', settings: { subdomain: 'https://acme.example.com' } }, 'body.settings.subdomain', /not a Zendesk address/],
      [{ type: 'zendesk', displayName: 'x', settings: {} }, 'body.settings.subdomain', /./],
      [{ type: 'zendesk', displayName: 'x', settings: { subdomain: 'ok', token: 'x' } }, 'body.settings.token', /unknown field/],
      [{ type: 'salesforce', displayName: 'x', settings: { subdomain: 'ok' } }, 'body.type', /./],
      [{ type: 'zendesk', displayName: '', settings: { subdomain: 'ok' } }, 'body.displayName', /empty/],
      [{ type: 'zendesk', displayName: 'x', settings: { subdomain: 'ok' }, extra: 1 }, 'body.extra', /unknown field/],
      [{ type: 'zendesk', displayName: 'x', settings: 'ok' }, 'body.settings', /./],
      [{ type: 'zendesk', displayName: 'a\u0000b', settings: { subdomain: 'ok' } }, 'body.displayName', /NUL/],
      [{ type: 'zendesk', displayName: 'x', settings: { subdomain: 'ok\u0000' } }, 'body.settings.subdomain', /./],
    ];
    for (const [payload, path, reason] of cases) {
      const r = await send('POST', '/api/apps', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      const issue = r.json().error.issues.find((i: { path: string }) => i.path === path);
      expect(issue, `${JSON.stringify(payload)} → ${JSON.stringify(r.json().error.issues)}`).toBeDefined();
      expect(issue.reason).toMatch(reason);
    }
    const malformed = await h.app.inject({ method: 'POST', url: '/api/apps', headers: { ...headers, 'content-type': 'application/json' }, payload: '{' });
    expect(malformed.json().error.code).toBe('malformed_json');
    expect((await h.t.database.db.select().from(applications)).length).toBe(before);
  });

  it('checks the version on change and validates changed settings', async () => {
    const a = (await zendesk('versioned')).json();
    expect((await send('PATCH', `/api/apps/${a.id}`, { displayName: 'No version' })).statusCode).toBe(428);
    const moved = await send('PATCH', `/api/apps/${a.id}`, { settings: { subdomain: 'Versioned-2.zendesk.com' }, version: 1 });
    expect(moved.json()).toMatchObject({ settings: { subdomain: 'versioned-2' }, version: 2 });
    const stale = await send('PATCH', `/api/apps/${a.id}`, { displayName: 'Late', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const bad = await send('PATCH', `/api/apps/${a.id}`, { settings: { subdomain: '-x' }, version: 2 });
    expect(bad.json().error.issues[0].path).toBe('body.settings.subdomain');
    expect((await send('DELETE', `/api/apps/${a.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(409);
    expect((await send('PATCH', `/api/apps/${crypto.randomUUID()}`, { displayName: 'x', version: 1 })).json().error.issues[0].path).toBe('params.id');
  });

  it('lets view_apps read and only manage_provisioning change', async () => {
    const viewer = await createTestAdmin(h.t.database.db, { permissions: ['view_apps', 'assign_apps'] });
    expect((await get('/api/apps', viewer.headers)).statusCode).toBe(200);
    expect((await get('/api/gallery', viewer.headers)).statusCode).toBe(200);
    const denied = await h.app.inject({ method: 'POST', url: '/api/apps', headers: viewer.headers, payload: { type: 'zendesk', displayName: 'x', settings: { subdomain: 'denied' } } });
    expect(denied.statusCode).toBe(403);
    const nobody = await createTestAdmin(h.t.database.db, { permissions: ['view_logs'] });
    expect((await get('/api/apps', nobody.headers)).statusCode).toBe(403);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const paths = Object.keys((await h.app.inject('/api/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/gallery', '/api/apps', '/api/apps/{id}', '/api/apps/{id}/assignments', '/api/groups/{id}/members']));
  });
});
