/**
 * A `[managerEmail]` mapping writes the email of the user's manager (issue 11 item 7): the desired
 * state resolves `managerId` to the manager's email before rendering, on a real cycle against the
 * sandbox.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';

describe.each(openTestDatabase.drivers())('[managerEmail] mapping on %s', (driver) => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => h.call(method, url, payload);
  const fullCycles = async (appId: string) => (await h.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');

  it('writes the manager’s email to the mapped Zendesk field, and the preview shows the same', async () => {
    const sub = `mgr-${driver}`;
    const { id } = await h.connectApp(sub);
    const current = await call('GET', `/api/apps/${id}/provisioning`);
    const mappings = [...(current.settings.mappings as Json[]).filter((m) => m.target !== 'notes'), { target: 'notes', source: { kind: 'expression', expression: '[managerEmail]' } }];
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { mappings }, version: current.version });

    const boss = (await call('POST', '/api/users', { email: `boss@${sub}.test`, givenName: 'Grace', familyName: 'Hopper', displayName: 'Grace Hopper' })).id as string;
    const ada = (await call('POST', '/api/users', { email: `ada@${sub}.test`, givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', managerId: boss })).id as string;
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: ada, role: 'agent' });

    const preview = await call('POST', `/api/apps/${id}/provisioning/mapping-preview`, { mapping: mappings.at(-1), userId: ada });
    expect(JSON.stringify(preview)).toContain(`boss@${sub}.test`);

    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const cycle = await h.until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status !== 'running'));
    expect(cycle.status).toBe('completed');
    const zAda = ((await h.control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).find((u) => u.external_id === ada);
    expect(zAda).toMatchObject({ email: `ada@${sub}.test`, notes: `boss@${sub}.test` });
  }, 90_000);
});
