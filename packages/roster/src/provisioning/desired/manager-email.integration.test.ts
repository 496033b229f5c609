/**
 * A `[managerEmail]` mapping writes the email of the user's manager (issue 11 item 7): the desired
 * state resolves `managerId` to the manager's email before rendering, on a real cycle against the
 * sandbox.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import type { ApiApp } from '../../api/context.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

describe.each(openTestDatabase.drivers())('[managerEmail] mapping on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let headers: { authorization: string };
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await openEngineHarness(driver);
    ({ t, app, headers } = harness);
  }, 60_000);
  afterAll(async () => harness?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<Json> => {
    const r = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.body ? (r.json() as Json) : {};
  };
  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const fullCycles = async (appId: string) => (await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');

  it('writes the manager’s email to the mapped Zendesk field, and the preview shows the same', async () => {
    const sub = `mgr-${driver}`;
    const { account } = await harness.control('POST', '/__sandbox/accounts', { subdomain: sub });
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`))['version'], method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    const current = await call('GET', `/api/apps/${id}/provisioning`);
    const mappings = [...(current.settings.mappings as Json[]).filter((m) => m.target !== 'notes'), { target: 'notes', source: { kind: 'expression', expression: '[managerEmail]' } }];
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { mappings }, version: current.version });

    const boss = (await call('POST', '/api/users', { email: `boss@${sub}.test`, givenName: 'Grace', familyName: 'Hopper', displayName: 'Grace Hopper' })).id as string;
    const ada = (await call('POST', '/api/users', { email: `ada@${sub}.test`, givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', managerId: boss })).id as string;
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: ada, role: 'agent' });

    const preview = await call('POST', `/api/apps/${id}/provisioning/mapping-preview`, { mapping: mappings.at(-1), userId: ada });
    expect(JSON.stringify(preview)).toContain(`boss@${sub}.test`);

    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const cycle = await until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status !== 'running'));
    expect(cycle.status).toBe('completed');
    const zAda = ((await harness.control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).find((u) => u.external_id === ada);
    expect(zAda).toMatchObject({ email: `ada@${sub}.test`, notes: `boss@${sub}.test` });
  }, 90_000);
});
