/**
 * Issue 16, end to end: a "SCIM 2.0 application" pointing at an independent SCIM server (SCIMMY,
 * scim-peer.test-support.ts) is set up and run only through Roster's API and engine — connection,
 * Test connection, assignments of users and a group, provisioning on — and the SCIM server is
 * checked: users with mapped attributes and externalId, the group with its members, PATCH updates,
 * deactivation, unassignment → DELETE, a one-member group change as one small PATCH, drift repair,
 * a group rename as one PATCH, and a group unassignment staged by deletion prevention, then allowed.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningConfigs, provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';
import { ENTERPRISE_USER } from './discovery.ts';
import { PEER_BASIC, PEER_CLIENT, PEER_TOKEN, type ScimPeer, startScimPeer } from './scim-peer.test-support.ts';

// SCIMMY keeps its store in module state: one peer for the file, each driver's users under its own domain.
let peer: ScimPeer;
beforeAll(async () => {
  peer = await startScimPeer({ bulk: false, maxResults: 50 });
});
afterAll(async () => peer?.close());

describe.each(openTestDatabase.drivers())('a SCIM 2.0 application, end to end on %s', (driver) => {
  let h: EngineHarness;
  const domain = `${driver}.scim.test`;

  beforeAll(async () => {
    h = await openEngineHarness(driver);
  }, 60_000);
  afterAll(async () => h?.close());

  const inject = (method: Method, url: string, payload?: unknown) => h.request(method, url, payload);
  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms?: number) => h.until(what, probe, ms);
  const relayCaughtUp = () => h.relayed();
  const fullCycles = async (appId: string) => (await h.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');
  const scimUser = (externalId: string) => peer.users().find((u) => u['externalId'] === externalId);
  const scimGroup = (name: string) => peer.groups().find((g) => g['displayName'] === name);
  const memberIds = (g: Json | undefined) => ((g?.['members'] as { value: string }[] | undefined) ?? []).map((m) => m.value).sort();
  const newUser = async (local: string, givenName: string, familyName: string, extra: Json = {}) =>
    (await call('POST', '/api/users', { email: `${local}@${domain}`, givenName, familyName, displayName: `${givenName} ${familyName}`, ...extra })).id as string;
  /** Sends a request to the SCIM app as its own admin would (a change made in the app, not by Roster). */
  const inApp = async (method: string, path: string, body: unknown) => {
    const r = await fetch(`${peer.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${PEER_TOKEN}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    expect(r.status, await r.clone().text()).toBeLessThan(300);
  };

  it('connects with a bearer token, provisions users and a group, and keeps them in step', async () => {
    const appId = (await call('POST', '/api/apps', { type: 'scim', displayName: `SCIM app (${driver})`, settings: { baseUrl: `${peer.baseUrl}/` } })).id as string;
    const initial = await call('GET', `/api/apps/${appId}/provisioning`);
    expect(initial.subdomain).toBe(peer.baseUrl.toLowerCase());
    expect(initial.settings.matching).toEqual(['external_id', 'userName', 'email']);

    // The connection: validated against the SCIM connector's bearer form; the token is never returned.
    const missing = await inject('PUT', `/api/apps/${appId}/provisioning/connection`, { version: initial.version, method: 'bearer' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([expect.objectContaining({ path: 'body.token' })]);
    const zendeskShaped = await inject('PUT', `/api/apps/${appId}/provisioning/connection`, { version: initial.version, method: 'api_token', adminEmail: 'a@b.test', apiToken: 'x' });
    expect(zendeskShaped.statusCode).toBe(400);
    expect(zendeskShaped.json().error.issues).toEqual([expect.objectContaining({ path: 'body.method', reason: expect.stringContaining('bearer, basic, oauth_client_credentials') })]);
    // Unsaved values are tested as they are; nothing is stored.
    const wrong = await call('POST', `/api/apps/${appId}/provisioning/test-values`, { method: 'bearer', token: 'not-the-token' });
    expect(wrong.ok).toBe(false);
    expect(wrong.steps.at(-1)).toMatchObject({ ok: false });
    expect((await call('POST', `/api/apps/${appId}/provisioning/test-values`, { method: 'basic', ...PEER_BASIC })).ok).toBe(true);
    expect((await call('GET', `/api/apps/${appId}/provisioning`)).connection).toMatchObject({ method: null, connected: false });

    // Each method saved through the API works: client credentials (a token fetched from the token URL), then HTTP Basic.
    const tokensBefore = peer.tokensIssued();
    const cc = await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: initial.version, method: 'oauth_client_credentials', tokenUrl: peer.tokenUrl, ...PEER_CLIENT, scope: '' });
    expect(cc.connection).toMatchObject({ method: 'oauth_client_credentials', connected: true, fields: { tokenUrl: peer.tokenUrl, clientId: PEER_CLIENT.clientId }, storedSecrets: ['clientSecret'] });
    expect((await call('POST', `/api/apps/${appId}/provisioning/test`)).steps.find((s: Json) => s.name === 'authenticate').message).toMatch(`OAuth client ${PEER_CLIENT.clientId} may read users`);
    expect(peer.tokensIssued()).toBeGreaterThan(tokensBefore);
    const basic = await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: cc.version, method: 'basic', ...PEER_BASIC });
    expect(basic.connection).toMatchObject({ method: 'basic', fields: { username: PEER_BASIC.username }, storedSecrets: ['password'] });
    expect((await call('POST', `/api/apps/${appId}/provisioning/test`)).steps.find((s: Json) => s.name === 'authenticate').message).toMatch(`HTTP Basic user ${PEER_BASIC.username} may read users`);

    const saved = await inject('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`)).version, method: 'bearer', token: PEER_TOKEN });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(PEER_TOKEN);
    expect(saved.json().connection).toMatchObject({ method: 'bearer', connected: true, storedSecrets: ['token'], fields: {} });
    // Encrypted at rest: neither the clear-text connection nor the secrets column holds the token.
    const [row] = await h.t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, appId));
    expect(JSON.stringify(row!.connection)).not.toContain(PEER_TOKEN);
    expect(row!.secrets).toEqual(expect.any(String));
    expect(row!.secrets).not.toContain(PEER_TOKEN);

    // Test connection: each capability in words.
    const tested = await call('POST', `/api/apps/${appId}/provisioning/test`);
    expect(tested.ok).toBe(true);
    const words = Object.fromEntries((tested.steps as Json[]).map((s) => [s.name, s.message]));
    expect(words['patch']).toMatch(/PATCH/);
    expect(words['bulk']).toBe('No bulk requests: one request per account');
    expect(words['filter']).toBe('Searches by filter, up to 50 results per page');
    expect(words['authenticate']).toMatch(/^a bearer token may read users/);
    expect(tested.capabilities).toMatchObject({ bulk: false, groups: true, suspend: true });

    // Users (Carl assigned directly too) and a group, assigned with the plain user role.
    const ada = await newUser('ada', 'Ada', 'Lovelace', { jobTitle: 'Engineer', department: 'R&D' });
    const bob = await newUser('bob', 'Bob', 'Babbage');
    const carl = await newUser('carl', 'Carl', 'Gauss');
    const team = (await call('POST', '/api/groups', { name: `Engineering ${driver}` })).id as string;
    await call('POST', `/api/groups/${team}/members/bulk`, { members: [ada, bob, carl].map((memberId) => ({ memberType: 'user', memberId })) });
    const teamAssignment = (await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: team, role: 'user' })).id as string;
    const carlAssignment = (await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: carl, role: 'user' })).id as string;
    await relayCaughtUp();
    await call('POST', `/api/apps/${appId}/provisioning/enable`);
    const first = await until('the initial cycle', async () => (await fullCycles(appId)).find((c) => c.status !== 'running'));
    expect(first.status).toBe('completed');

    const adaInApp = await until('Ada in the app', () => scimUser(ada));
    expect(adaInApp).toMatchObject({
      userName: `ada@${domain}`,
      externalId: ada,
      active: true,
      displayName: 'Ada Lovelace',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      title: 'Engineer',
      emails: [expect.objectContaining({ value: `ada@${domain}`, primary: true })],
      [ENTERPRISE_USER]: expect.objectContaining({ department: 'R&D' }),
    });
    const bobId = (await until('Bob in the app', () => scimUser(bob))).id;
    const carlId = (await until('Carl in the app', () => scimUser(carl))).id;
    const group = await until('the group with its three members', () => {
      const g = scimGroup(`Engineering ${driver}`);
      return memberIds(g).length === 3 && g;
    });
    expect(memberIds(group)).toEqual([adaInApp.id, bobId, carlId].sort());
    // The peer records a request once its answer has passed back through the proxy, a moment after the
    // app's state changed: wait for the record before counting.
    const recorded = (what: string, mark: number, path: string) => until(`${what} recorded`, () => peer.requests.slice(mark).some((r) => r.path.endsWith(path) && r.method !== 'GET'));
    await recorded('the member PATCH', 0, `/Groups/${group.id as string}`);
    // The three memberships went out together: one PATCH adding a list of members (the group client's batch call).
    const memberWrites = peer.requests.filter((r) => r.path.endsWith(`/Groups/${group.id as string}`) && r.method === 'PATCH');
    expect(memberWrites).toHaveLength(1);
    expect(JSON.parse(memberWrites[0]!.body)).toMatchObject({ Operations: [{ op: 'add', path: 'members', value: expect.arrayContaining([{ value: adaInApp.id }, { value: bobId }, { value: carlId }]) }] });

    // An attribute change goes out as a PATCH of that attribute.
    const mark = peer.requests.length;
    await call('PATCH', `/api/users/${ada}`, { jobTitle: 'CTO', version: (await call('GET', `/api/users/${ada}`)).version });
    await until('the new title in the app', () => scimUser(ada)?.['title'] === 'CTO');
    await recorded('the title PATCH', mark, `/Users/${adaInApp.id}`);
    const adaWrites = peer.requests.slice(mark).filter((r) => r.path.endsWith(`/Users/${adaInApp.id}`) && r.method !== 'GET');
    expect(adaWrites.map((r) => r.method)).toEqual(['PATCH']);
    expect(JSON.parse(adaWrites[0]!.body)).toMatchObject({ Operations: [{ op: 'replace', path: 'title', value: 'CTO' }] });

    // Deactivation → active false.
    await call('POST', `/api/users/${bob}/deactivate`);
    await until('Bob deactivated in the app', () => scimUser(bob)?.['active'] === false);

    // Carl leaves the group (he stays assigned directly): one small PATCH removes him alone.
    const beforeLeave = peer.requests.length;
    await call('DELETE', `/api/groups/${team}/members/user/${carl}`);
    await until('Carl out of the group', () => !memberIds(scimGroup(`Engineering ${driver}`)).includes(carlId));
    await recorded('the member removal', beforeLeave, `/Groups/${group.id as string}`);
    await relayCaughtUp();
    const groupWrites = peer.requests.slice(beforeLeave).filter((r) => r.path.endsWith(`/Groups/${group.id as string}`) && r.method !== 'GET');
    expect(groupWrites.map((r) => r.method)).toEqual(['PATCH']);
    expect(groupWrites[0]!.body.length).toBeLessThan(300);
    expect(groupWrites[0]!.body).toContain(carlId);
    expect(groupWrites[0]!.body).not.toContain(adaInApp.id);
    expect(scimUser(carl)?.['active']).toBe(true);

    // Unassigning Carl deletes his account (sync actions: deprovision = delete).
    await call('DELETE', `/api/apps/${appId}/assignments/${carlAssignment}`);
    await until('Carl deleted in the app', () => scimUser(carl) === undefined);
    await until('the DELETE of Carl recorded', () => peer.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/Users/${carlId}`)));

    // Drift: a title changed in the app is put back by the next full cycle, and logged old → new.
    await inApp('PATCH', `/Users/${adaInApp.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Intern' }] });
    expect(scimUser(ada)?.['title']).toBe('Intern');
    const before = new Set((await fullCycles(appId)).map((c) => c.id));
    await call('POST', `/api/apps/${appId}/provisioning/cycles`);
    const repair = await until('the repair cycle', async () => (await fullCycles(appId)).find((c) => !before.has(c.id) && c.status !== 'running'));
    expect(repair.status).toBe('completed');
    expect(scimUser(ada)?.['title']).toBe('CTO');
    const repaired = await h.t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.cycleId, repair.id), eq(provisioningEvents.directoryId, ada)));
    expect(repaired.map((e) => e.changes)).toContainEqual(expect.arrayContaining([expect.objectContaining({ property: 'title', old: 'Intern', new: 'CTO' })]));

    // The group renamed: one PATCH of displayName; unassigned: the group and its members' accounts are deleted.
    const beforeRename = peer.requests.length;
    await call('PATCH', `/api/groups/${team}`, { name: `Platform ${driver}`, version: (await call('GET', `/api/groups/${team}`)).version });
    await until('the group renamed in the app', () => scimGroup(`Platform ${driver}`));
    await recorded('the rename', beforeRename, `/Groups/${group.id as string}`);
    const renames = peer.requests.slice(beforeRename).filter((r) => r.path.endsWith(`/Groups/${group.id as string}`) && r.method !== 'GET');
    expect(renames.map((r) => r.method)).toEqual(['PATCH']);
    expect(JSON.parse(renames[0]!.body)).toMatchObject({ Operations: [{ op: 'replace', path: 'displayName', value: `Platform ${driver}` }] });
    // Unassigning the group would deprovision every remaining user: the removals are staged and
    // provisioning pauses until an admin allows them (deletion prevention), then they reach the app.
    await call('DELETE', `/api/apps/${appId}/assignments/${teamAssignment}`);
    const paused = await until('the removals staged', async () => {
      const c = await call('GET', `/api/apps/${appId}/provisioning`);
      return c.state === 'paused' && c.stateReason?.code === 'deletion_threshold' && c.stateReason;
    });
    expect(paused.counts).toEqual({ delete: 2, 'group:delete': 1 });
    expect(scimGroup(`Platform ${driver}`)).toBeDefined();
    const plan = await call('GET', `/api/apps/${appId}/provisioning/plans/${paused.planId as string}`);
    const approved = await h.app.inject({ method: 'POST', url: `/api/apps/${appId}/provisioning/plans/${paused.planId as string}/approve`, headers: { ...h.headers, 'if-match': `"${plan.version as number}"` } });
    expect(approved.statusCode, approved.body).toBe(202);
    await until('the group and its members deleted in the app', () => !scimGroup(`Platform ${driver}`) && !scimUser(ada) && !scimUser(bob));
    await until('the DELETE of the group recorded', () => peer.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/Groups/${group.id as string}`)));
  }, 120_000);
});
