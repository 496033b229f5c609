/** GET /api/users/{id}/applications: each application's state for one person. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { links, provisioningEvents, provisioningRetries } from '../../db/provisioning-schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

describe.each(openTestDatabase.drivers())("a user's applications on %s", (driver) => {
  let t: TestApp;
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers = t.owner.headers) => {
    const r = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: r.statusCode, json: r.json() as Json };
  };

  beforeAll(async () => {
    t = await openTestApp(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('per application: assigned through a group with the role by name, the linked account, the last event and the pending retry', async () => {
    const user = (await call('POST', '/api/users', { email: 'ada@apps.test', givenName: 'Ada', familyName: 'L' })).json;
    const other = (await call('POST', '/api/users', { email: 'bob@apps.test', givenName: 'Bob', familyName: 'B' })).json;
    const group = (await call('POST', '/api/groups', { name: 'Tier 1' })).json;
    await call('POST', `/api/groups/${group['id']}/members/bulk`, { members: [{ memberType: 'user', memberId: user['id'] }] });
    const support = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Support', settings: { subdomain: 'apps-a' } })).json;
    const sales = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Sales desk', settings: { subdomain: 'apps-b' } })).json;
    const assigned = await call('POST', `/api/apps/${support['id']}/assignments`, { principalType: 'group', principalId: group['id'], role: 'custom:6164', roleLabel: 'Light agent' });
    expect(assigned.status).toBe(201);

    const db = t.t.database.db;
    await db.insert(links).values({ applicationId: support['id'], objectType: 'user', directoryId: user['id'], targetId: '9001', state: 'provisioned' });
    await db.insert(provisioningEvents).values([
      { applicationId: support['id'], objectType: 'user', directoryId: user['id'], identity: 'ada@apps.test', action: 'create', status: 'success', at: new Date('2026-12-01T10:00:00Z') },
      { applicationId: support['id'], objectType: 'user', directoryId: user['id'], identity: 'ada@apps.test', action: 'update', status: 'failed', errorCode: 'zendesk.record_invalid', errorMessage: 'Email is invalid', advice: 'Fix the email.', at: new Date('2026-12-01T11:00:00Z') },
      { applicationId: support['id'], objectType: 'membership', directoryId: user['id'], identity: 'ada@apps.test', action: 'add_member', status: 'success', at: new Date('2026-12-01T11:10:00Z') },
      { applicationId: support['id'], objectType: 'user', directoryId: other['id'], identity: 'bob@apps.test', action: 'delete', status: 'success', at: new Date('2026-12-01T12:00:00Z') },
    ]);
    await db.insert(provisioningRetries).values({ applicationId: support['id'], objectType: 'user', directoryId: user['id'], attempts: 2, nextAttemptAt: new Date('2026-12-01T11:30:00Z'), lastError: { code: 'zendesk.record_invalid', message: 'Email is invalid' } });

    const r = await call('GET', `/api/users/${user['id']}/applications`);
    expect(r.status).toBe(200);
    expect(r.json['items'].map((a: Json) => a['displayName'])).toEqual(['Sales desk', 'Support']);
    const [s, z] = r.json['items'] as Json[];
    expect(s).toMatchObject({ applicationId: sales['id'], assigned: false, via: null, role: null, roleName: null, targetId: null, lastEvent: null, escrow: null, provisioningEnabled: false });
    expect(z).toMatchObject({
      applicationId: support['id'],
      assigned: true,
      via: { principalType: 'group', groupId: group['id'], groupName: 'Tier 1' },
      role: 'custom:6164',
      roleName: 'Light agent',
      targetId: '9001',
      linkState: 'provisioned',
      lastEvent: { action: 'update', status: 'failed', errorCode: 'zendesk.record_invalid', errorMessage: 'Email is invalid', advice: 'Fix the email.', at: '2026-12-01T11:00:00.000Z' },
      escrow: { attempts: 2, nextAttemptAt: '2026-12-01T11:30:00.000Z', lastError: { code: 'zendesk.record_invalid', message: 'Email is invalid' } },
    });
  });

  it('a built-in role by name; an unknown user is a 404; view_apps is needed', async () => {
    const user = (await call('POST', '/api/users', { email: 'cyd@apps.test', givenName: 'Cyd', familyName: 'C' })).json;
    const app = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Agents', settings: { subdomain: 'apps-c' } })).json;
    await call('POST', `/api/apps/${app['id']}/assignments`, { principalType: 'user', principalId: user['id'], role: 'agent' });
    const mine = ((await call('GET', `/api/users/${user['id']}/applications`)).json['items'] as Json[]).find((a) => a['applicationId'] === app['id']);
    expect(mine).toMatchObject({ assigned: true, via: { principalType: 'user', groupId: null }, role: 'agent', roleName: 'Agent' });
    const missing = await call('GET', '/api/users/00000000-0000-4000-8000-000000000000/applications');
    expect([missing.status, missing.json['error']['code']]).toEqual([404, 'not_found']);
    const usersOnly = await createTestAdmin(t.t.database.db, { permissions: ['manage_users'] });
    expect((await call('GET', `/api/users/${user['id']}/applications`, undefined, usersOnly.headers)).status).toBe(403);
  });
});
