/** Test connection on unsaved values, and the saved connection's last test outcome ("Not working" with the cause). */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';

describe.each(openTestDatabase.drivers())('Test connection on unsaved values, and the last test of the saved ones, on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver, { queue: false, worker: false });
    ({ t } = h);
  });
  afterAll(async () => h?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => h.request(method, url, payload);
  const setUp = async (subdomain: string): Promise<{ id: string; acct: Json }> => {
    const { account } = await h.control('POST', '/__sandbox/accounts', { subdomain });
    const created = await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${subdomain}`, settings: { subdomain } });
    expect(created.statusCode).toBe(201);
    return { id: created.json().id as string, acct: account as Json };
  };
  const stored = async (id: string) => (await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id)))[0];

  it('tests typed values without storing anything: good ones pass, a wrong token fails at authenticate', async () => {
    const { id, acct } = await setUp('unsaved-values');
    const before = await stored(id);
    const good = await call('POST', `/api/apps/${id}/provisioning/test-values`, { method: 'api_token', adminEmail: acct['adminEmail'], apiToken: acct['apiToken'] });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ ok: true, actingAs: { email: acct['adminEmail'], role: 'admin' } });
    expect(good.body).not.toContain(acct['apiToken']);

    const bad = (await call('POST', `/api/apps/${id}/provisioning/test-values`, { method: 'api_token', adminEmail: acct['adminEmail'], apiToken: 'wrong-token' })).json();
    expect(bad.ok).toBe(false);
    expect(bad.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });

    // Nothing stored: no credentials, no catalogue, no last test, the same version.
    const after = await stored(id);
    expect([after?.secrets ?? null, after?.version]).toEqual([before?.secrets ?? null, before?.version]);
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection).toMatchObject({ method: null, connected: false, lastTest: null });
  });

  it('refuses OAuth client details and bad values naming the field', async () => {
    const { id } = await setUp('unsaved-bad');
    const oauth = await call('POST', `/api/apps/${id}/provisioning/test-values`, { method: 'oauth', clientId: 'x', clientSecret: 'y' });
    expect(oauth.statusCode).toBe(400);
    expect(oauth.json().error.issues).toEqual([{ path: 'body.method', reason: expect.stringMatching(/Authorize/) }]);
    const email = await call('POST', `/api/apps/${id}/provisioning/test-values`, { method: 'api_token', adminEmail: 'nope', apiToken: 'x' });
    expect(email.statusCode).toBe(400);
    expect(email.json().error.issues[0].path).toBe('body.adminEmail');
    expect((await call('POST', '/api/apps/00000000-0000-4000-8000-000000000000/provisioning/test-values', { method: 'api_token', adminEmail: 'a@b.test', apiToken: 'x' })).statusCode).toBe(404);
  });

  it('keeps the last test of the saved credentials: failed with its cause, cleared by new credentials, then passed', async () => {
    const { id, acct } = await setUp('last-test');
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct['adminEmail'], apiToken: 'wrong-token' });
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection).toMatchObject({ connected: true, lastTest: null });
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(false);
    const failed = (await call('GET', `/api/apps/${id}/provisioning`)).json().connection.lastTest;
    expect(failed).toMatchObject({ ok: false, cause: expect.stringMatching(/^authenticate: /) });
    expect(Number.isNaN(Date.parse(failed.at))).toBe(false);

    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct['adminEmail'], apiToken: acct['apiToken'] });
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection.lastTest).toBeNull();
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection.lastTest).toMatchObject({ ok: true, cause: null });
  });
});
