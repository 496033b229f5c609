import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { links, provisioningConfigs } from '../../db/provisioning-schema.ts';
import { applications, auditLog } from '../../db/schema.ts';

describe.each(openTestDatabase.drivers())('moving a connected application to another account on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object, extra: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...h.owner.headers, ...extra }, payload });

  /** A Zendesk application with a stored API token, switched on, linked to one account there. */
  const connectedApp = async (subdomain: string): Promise<string> => {
    const id = (await send('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${subdomain}`, settings: { subdomain } })).json().id as string;
    const saved = await send('PUT', `/api/apps/${id}/provisioning/connection`, { method: 'api_token', adminEmail: `admin@${subdomain}.example.com`, apiToken: 'old-account-token' }, { 'if-match': '"1"' });
    expect(saved.statusCode).toBe(200);
    await h.t.database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, id));
    await h.t.database.db.insert(links).values({ applicationId: id, objectType: 'user', directoryId: crypto.randomUUID(), targetId: '90001', state: 'provisioned' });
    return id;
  };
  const state = async (id: string) => {
    const [app] = await h.t.database.db.select().from(applications).where(eq(applications.id, id));
    const [config] = await h.t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
    const linked = await h.t.database.db.select().from(links).where(eq(links.applicationId, id));
    return { subdomain: app?.settings['subdomain'], version: app!.version, config: config!, links: linked.length };
  };

  it('refuses to change the subdomain while connected (409 connected_target_change, nothing changed), but renames freely', async () => {
    const id = await connectedApp('move-refused');
    const r = await send('PATCH', `/api/apps/${id}`, { settings: { subdomain: 'elsewhere-refused' }, version: 1 });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'connected_target_change', issues: [{ path: 'body.settings.subdomain' }], details: { connected: true, enabled: true, linkCount: 1 } });
    expect(r.json().error.message).toContain('"disconnect": true');
    const after = await state(id);
    expect(after).toMatchObject({ subdomain: 'move-refused', version: 1, links: 1, config: { enabled: true } });
    expect(after.config.secrets).not.toBeNull();
    // Not a move: a new display name, or the same subdomain spelled as a URL, is not refused.
    const renamed = await send('PATCH', `/api/apps/${id}`, { displayName: 'Renamed', settings: { subdomain: 'move-refused.zendesk.com' }, version: 1 });
    expect(renamed.statusCode).toBe(200);
    expect((await state(id)).links).toBe(1);
  });

  it('with "disconnect": true moves it, switches provisioning off and drops credentials and links in one audited step', async () => {
    const id = await connectedApp('move-reset');
    const r = await send('PATCH', `/api/apps/${id}`, { settings: { subdomain: 'elsewhere-reset' }, disconnect: true }, { 'if-match': '"1"' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ settings: { subdomain: 'elsewhere-reset' }, version: 2 });
    const after = await state(id);
    expect(after.links).toBe(0);
    expect(after.config).toMatchObject({ enabled: false, state: 'off', connection: {}, secrets: null });
    const view = (await h.app.inject({ url: `/api/apps/${id}/provisioning`, headers: h.owner.headers })).json();
    expect(view).toMatchObject({ subdomain: 'elsewhere-reset', enabled: false, connection: { method: null, connected: false } });
    const [audit] = await h.t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, 'app.update')))
      .orderBy(desc(auditLog.id));
    expect(audit?.after).toMatchObject({ settings: { subdomain: 'elsewhere-reset' }, disconnected: { wasEnabled: true, droppedConnection: 'api_token', deletedLinks: 1 } });
    expect(JSON.stringify(audit)).not.toContain('old-account-token');
    // Now disconnected, a further move needs no flag.
    expect((await send('PATCH', `/api/apps/${id}`, { settings: { subdomain: 'elsewhere-again' }, version: 2 })).statusCode).toBe(200);
  });
});
