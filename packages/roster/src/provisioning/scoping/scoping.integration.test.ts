import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import type { ApiApp } from '../../api/context.ts';
import { links, provisioningConfigs, provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';
import { auditLog } from '../../db/schema.ts';
import { openConnection } from '../connection/open-connection.ts';
import { acquireCycle, finishCycle } from '../run/cycle-lease.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';
import { provisionOnDemand } from '../on-demand/provision-on-demand.ts';

describe.each(openTestDatabase.drivers())('scope, scoping filters, preview and provision on demand on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let env: EngineEnv;
  let harness: EngineHarness;

  // No queue and no worker: the test runs the engine itself.
  beforeAll(async () => {
    harness = await openEngineHarness(driver, { queue: false, worker: false });
    ({ t, app } = harness);
    const db = t.database.db;
    env = {
      db,
      async connect(applicationId) {
        const r = await openConnection({ db, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: harness.config.targetUrls, applicationId });
        return r.ok ? { ok: true, value: { connection: r.value.connection } } : { ok: false, error: { code: r.error.code, message: r.error.message } };
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
    };
  }, 60_000);
  afterAll(async () => harness?.close());

  const request = async (method: Method, url: string, payload?: unknown) => {
    const r = await harness.request(method, url, payload);
    return { status: r.statusCode, body: (r.body ? r.json() : {}) as Json };
  };
  const call = async (method: Method, url: string, payload?: unknown): Promise<Json> => {
    const r = await request(method, url, payload);
    if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const control = (method: string, path: string, body?: unknown) => harness.control(method, path, body);
  const zendeskUsers = (sub: string) => harness.zendeskUsers(sub);
  const live = async (sub: string) => (await zendeskUsers(sub)).filter((u) => u.active).map((u) => u.external_id as string).sort();
  const newUser = async (email: string, extra: Record<string, unknown> = {}) => (await call('POST', '/api/users', { email, givenName: email.split('@')[0], familyName: 'Test', displayName: `${email.split('@')[0]} Test`, ...extra })).id as string;
  const newGroup = async (name: string, members: { memberType: 'user' | 'group'; memberId: string }[]) => {
    const id = (await call('POST', '/api/groups', { name })).id as string;
    if (members.length) await call('POST', `/api/groups/${id}/members/bulk`, { members });
    return id;
  };
  const settings = async (appId: string, patch: Record<string, unknown>) => request('PATCH', `/api/apps/${appId}/provisioning`, { settings: patch, version: (await call('GET', `/api/apps/${appId}/provisioning`)).version });

  /** A connected application (not switched on through the queue: the test runs the engine itself). */
  async function connectedApp(sub: string): Promise<string> {
    const { id } = await harness.connectApp(sub);
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).ok).toBe(true);
    await t.database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, id));
    return id;
  }
  const cycle = async (appId: string) => expect(await runProvisioning(env, appId, 'on_demand')).toMatchObject({ status: 'done', stopped: false });

  let attributesMade = false;
  async function ensureAttributes() {
    if (attributesMade) return;
    await call('POST', '/api/attributes', { key: 'level', label: 'Level', type: 'number' });
    await call('POST', '/api/attributes', { key: 'contractor', label: 'Contractor', type: 'boolean' });
    attributesMade = true;
  }

  it('operators through cycles: equals, greater_than, is_true, regex_match, in_group (nested) and not_in_group; a user leaving scope is deprovisioned', async () => {
    await ensureAttributes();
    const id = await connectedApp('scope-ops');
    const ann = await newUser('ann@sales.example.com', { department: 'Sales', custom: { level: 3, contractor: false } });
    const bob = await newUser('bob@sales.example.com', { department: 'Sales', custom: { level: 1 } });
    const cyd = await newUser('cyd@eng.example.com', { department: 'Engineering', custom: { contractor: true } });
    const dee = await newUser('dee@eng.example.com', { department: 'Engineering' });
    const eve = await newUser('eve@other.example.com', { department: 'Support' });
    const inner = await newGroup('Scope inner', [{ memberType: 'user', memberId: eve }]);
    const outer = await newGroup('Scope outer', [{ memberType: 'group', memberId: inner }]);
    const excluded = await newGroup('Scope excluded', [{ memberType: 'user', memberId: dee }]);
    const everyone = await newGroup('Scope everyone', [ann, bob, cyd, dee, eve].map((memberId) => ({ memberType: 'user' as const, memberId })));
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: everyone, role: 'end-user' });
    const saved = await settings(id, {
      scopingFilters: [
        { name: 'Senior sales', clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }, { attribute: 'custom.level', operator: 'greater_than', value: 2 }] },
        { name: 'Engineers, not excluded', clauses: [{ attribute: 'email', operator: 'regex_match', value: '@eng\\.example\\.com$' }, { attribute: 'groups', operator: 'not_in_group', value: excluded }] },
        { name: 'Contractors', clauses: [{ attribute: 'custom.contractor', operator: 'is_true' }] },
        { name: 'Nested', clauses: [{ attribute: 'groups', operator: 'in_group', value: outer }] },
      ],
    });
    expect(saved.status).toBe(200);
    // A new scope is due at once: the scheduler's next tick runs a full cycle.
    const [due] = await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
    expect(due?.nextCycleAt?.getTime()).toBeLessThanOrEqual(Date.now());
    await cycle(id);
    expect(await live('scope-ops')).toEqual([ann, cyd, eve].sort());

    // Ann's level drops: she leaves scope and the change's incremental batch deletes her account (sync actions: delete).
    await call('PATCH', `/api/users/${ann}`, { custom: { level: 2, contractor: false }, version: (await call('GET', `/api/users/${ann}`)).version });
    expect(await runProvisioning(env, id, 'incremental', [ann])).toMatchObject({ status: 'done', stopped: false });
    expect(await live('scope-ops')).toEqual([cyd, eve].sort());
    const [deleted] = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, id), eq(provisioningEvents.directoryId, ann), eq(provisioningEvents.action, 'delete')));
    expect(deleted).toMatchObject({ status: 'success', steps: [{ name: 'scope', outcome: 'out of scope', detail: expect.stringMatching(/^clause custom\.level is greater than 2 was false; clause email matches .* was false; clause custom\.contractor is true was false; clause groups is in group Scope outer was false$/) }, { name: 'action', outcome: 'delete' }] });
    expect(await t.database.db.select().from(links).where(and(eq(links.applicationId, id), eq(links.directoryId, ann)))).toHaveLength(0);
    // Dee leaves the excluded group: the next cycle brings her in through the engineers' filter.
    await call('DELETE', `/api/groups/${excluded}/members/user/${dee}`);
    await cycle(id);
    expect(await live('scope-ops')).toEqual([cyd, dee, eve].sort());
    // The excluded group is deleted: its not_in_group clause is now false (never "everyone"), so Dee leaves; Cyd stays as a contractor.
    expect((await request('DELETE', `/api/groups/${excluded}`)).status).toBe(204);
    await cycle(id);
    expect(await live('scope-ops')).toEqual([cyd, eve].sort());
  }, 90_000);

  it('bad filters are refused on save with the reason, each named by its path', async () => {
    await ensureAttributes();
    const id = await connectedApp('scope-bad');
    const r = await settings(id, {
      scopingFilters: [
        {
          name: 'bad',
          clauses: [
            { attribute: 'email', operator: 'regex_match', value: '([a-z' },
            { attribute: 'departmnt', operator: 'equals', value: 'Sales' },
            { attribute: 'employeeId', operator: 'greater_than', value: 'many' },
            { attribute: 'custom.contractor', operator: 'is_true', value: 'yes' },
            { attribute: 'groups', operator: 'in_group', value: '00000000-0000-4000-8000-000000000000' },
            { attribute: 'email', operator: 'not_regex_match', value: '(.+)+@' },
          ],
        },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    const paths = (r.body.error.issues as Json[]).map((i) => i.path);
    const at = (i: number, f: string) => `body.settings.scopingFilters.0.clauses.${i}.${f}`;
    expect(paths).toEqual([at(0, 'value'), at(1, 'attribute'), at(2, 'value'), at(3, 'value'), at(4, 'value'), at(5, 'value')]);
    expect(r.body.error.message).toMatch(/does not compile/);
    const badOperator = await settings(id, { scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'starts_with', value: 'S' }] }] });
    expect(badOperator.status).toBe(400);
    expect((badOperator.body.error.issues as Json[])[0]?.path).toBe('body.settings.scopingFilters.0.clauses.0.operator');
    // Nothing was saved.
    expect((await call('GET', `/api/apps/${id}/provisioning`)).settings.scopingFilters).toEqual([]);
    const preview = await request('POST', `/api/apps/${id}/provisioning/scope-preview`, { scopingFilters: [{ clauses: [{ attribute: 'nope', operator: 'is_null' }] }] });
    expect(preview.status).toBe(400);
    expect((preview.body.error.issues as Json[]).map((i) => i.path)).toEqual(['body.scopingFilters.0.clauses.0.attribute']);
  }, 60_000);

  it('the preview counts and lists who enters and leaves, and says when every provisioned user would leave', async () => {
    const id = await connectedApp('scope-preview');
    const users: string[] = [];
    for (const [i, dept] of ['Sales', 'Sales', 'Support', 'Support', 'Support'].entries()) users.push(await newUser(`pv${i}@example.com`, { department: dept }));
    const outsider = await newUser('pv-outsider@example.com', { department: 'Sales' });
    const group = await newGroup('Preview group', users.map((memberId) => ({ memberType: 'user' as const, memberId })));
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'end-user' });
    expect((await settings(id, { scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }] }] })).status).toBe(200);
    await cycle(id);
    expect(await live('scope-preview')).toEqual([users[0], users[1]].sort());

    const toSupport = await call('POST', `/api/apps/${id}/provisioning/scope-preview`, { scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'not_equals', value: 'Sales' }] }] });
    expect(toSupport).toMatchObject({ current: 2, proposed: 3, entering: { count: 3 }, leaving: { count: 2 }, leavingProvisioned: 2, leavingAction: 'delete', dropsEveryone: true, staged: true });
    expect((toSupport.entering.users as Json[]).map((u) => u.email)).toEqual(['pv2@example.com', 'pv3@example.com', 'pv4@example.com']);
    expect((toSupport.leaving.users as Json[])[0]).toEqual({ id: users[0], email: 'pv0@example.com', name: 'pv0 Test' });
    expect(toSupport.note).toMatch(/staged/);

    const widen = await call('POST', `/api/apps/${id}/provisioning/scope-preview`, { scope: 'all', scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }] }] });
    expect(widen).toMatchObject({ current: 2, entering: { count: expect.any(Number) }, leaving: { count: 0 }, leavingProvisioned: 0, dropsEveryone: false, staged: false, note: null });
    expect((widen.entering.users as Json[]).map((u) => u.id)).toContain(outsider);

    const none = await call('POST', `/api/apps/${id}/provisioning/scope-preview`, { scopingFilters: [] });
    expect(none).toMatchObject({ current: 2, proposed: 5, entering: { count: 3 }, leaving: { count: 0, users: [] }, dropsEveryone: false });
  }, 60_000);

  it('provision on demand: create, update, match by email of an existing Zendesk user, out of scope; every step shown and logged', async () => {
    const id = await connectedApp('scope-od');
    const fay = await newUser('fay@example.com', { department: 'Sales' });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: fay, role: 'end-user' });
    expect((await settings(id, { scopingFilters: [{ name: 'Sales', clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }] }] })).status).toBe(200);

    const created = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: fay });
    expect(created.result).toBe('created');
    expect((created.steps as Json[]).map((s) => s.name)).toEqual(['connection', 'read', 'scope', 'match', 'match', 'action', 'result']);
    const step = (r: Json, name: string) => (r.steps as Json[]).find((s) => s.name === name)!;
    expect(step(created, 'connection').data).toMatchObject({ account: { type: 'zendesk', subdomain: 'scope-od' }, actingAs: { email: expect.any(String) } });
    expect(step(created, 'read').data.values).toMatchObject({ email: 'fay@example.com', department: 'Sales' });
    expect(step(created, 'scope')).toMatchObject({ outcome: 'in scope', data: { filters: [{ name: 'Sales', passed: true, clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales', actual: 'Sales', passed: true }] }] } });
    expect((created.steps as Json[]).filter((s) => s.name === 'match').map((s) => s.data.field)).toEqual(['external_id', 'email']);
    expect(step(created, 'action')).toMatchObject({ outcome: 'create', data: { sent: { externalId: fay, roleKey: 'end-user' } } });
    expect(step(created, 'action').data.changes).toEqual(expect.arrayContaining([{ property: 'email', old: null, new: 'fay@example.com' }]));
    expect(step(created, 'result')).toMatchObject({ outcome: 'success', data: { action: 'create', target: { email: 'fay@example.com', active: true } } });
    expect(await live('scope-od')).toEqual([fay]);
    const [event] = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, id), eq(provisioningEvents.directoryId, fay)));
    expect(event).toMatchObject({ action: 'create', status: 'success' });
    const [run] = await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, event!.cycleId!));
    expect(run).toMatchObject({ status: 'completed', counts: expect.objectContaining({ created: 1 }) });
    const audits = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'provisioning.on_demand'), eq(auditLog.targetId, id)));
    expect(audits).toHaveLength(1);

    // Update: the rename goes out, old → new, through the linked account.
    await call('PATCH', `/api/users/${fay}`, { familyName: 'Renamed', displayName: 'Fay Renamed', version: (await call('GET', `/api/users/${fay}`)).version });
    const updated = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: fay });
    expect(updated.result).toBe('updated');
    expect(step(updated, 'match')).toMatchObject({ outcome: 'linked', data: { call: { call: 'get', found: { email: 'fay@example.com' } } } });
    expect(step(updated, 'action').data.changes).toEqual(expect.arrayContaining([{ property: 'name', old: 'fay Test', new: 'Fay Renamed' }]));
    expect((await zendeskUsers('scope-od')).find((u) => u.external_id === fay)?.name).toBe('Fay Renamed');
    expect((await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: fay })).result).toBe('unchanged');

    // Match by email: someone already has an account in Zendesk (another external id); it is linked, not duplicated.
    await control('POST', '/__sandbox/accounts/scope-od/seed', { count: 1, prefix: 'existing' });
    const existing = (await zendeskUsers('scope-od')).find((u) => String(u.external_id).startsWith('existing-'))!;
    const gil = await newUser(existing.email as string, { department: 'Sales' });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: gil, role: 'end-user' });
    const matched = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: gil });
    expect(matched.result).toBe('linked');
    const matches = (matched.steps as Json[]).filter((s) => s.name === 'match');
    expect(matches.map((s) => [s.data.field, s.outcome])).toEqual([
      ['external_id', 'no match'],
      ['email', 'matched'],
    ]);
    expect(matches[1]!.data.found).toEqual([expect.objectContaining({ id: existing.id !== undefined ? String(existing.id) : expect.any(String), email: existing.email })]);
    const inZendesk = await zendeskUsers('scope-od');
    expect(inZendesk.filter((u) => u.email === existing.email)).toHaveLength(1);
    expect(inZendesk.find((u) => u.email === existing.email)?.external_id).toBe(gil);

    // Out of scope: Fay leaves Sales; on demand deprovisions her account. A user never provisioned is only reported.
    await call('PATCH', `/api/users/${fay}`, { department: 'Support', version: (await call('GET', `/api/users/${fay}`)).version });
    const removed = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: fay });
    expect(removed.result).toBe('deleted');
    expect(step(removed, 'scope')).toMatchObject({ outcome: 'out of scope', data: { filters: [{ passed: false, clauses: [{ actual: 'Support', passed: false }] }] } });
    expect(step(removed, 'action')).toMatchObject({ outcome: 'delete' });
    expect((await zendeskUsers('scope-od')).find((u) => u.external_id === fay)?.active).toBe(false);
    const hal = await newUser('hal@example.com', { department: 'Support' });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: hal, role: 'end-user' });
    const outside = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: hal });
    expect(outside.result).toBe('out_of_scope');
    expect((outside.steps as Json[]).map((s) => s.name)).toEqual(['connection', 'read', 'scope', 'action', 'result']);
    // The clause in words, in the steps and in the log.
    expect(step(outside, 'scope')).toMatchObject({ detail: 'clause department equals Sales was false' });
    expect(step(outside, 'result')).toMatchObject({ outcome: 'skipped', detail: 'Out of scope: clause department equals Sales was false' });
    const [logged] = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, id), eq(provisioningEvents.directoryId, hal)));
    expect(logged).toMatchObject({ action: 'skip', errorCode: 'out_of_scope', errorMessage: 'Out of scope: clause department equals Sales was false' });
    expect((await zendeskUsers('scope-od')).some((u) => u.email === 'hal@example.com')).toBe(false);
  }, 90_000);

  it('provision on demand for a group runs its users one by one; unknown ids are 404s naming the field', async () => {
    const id = await connectedApp('scope-odg');
    const a = await newUser('odg-a@example.com');
    const b = await newUser('odg-b@example.com');
    const group = await newGroup('On demand group', [{ memberType: 'user', memberId: a }, { memberType: 'user', memberId: b }]);
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'end-user' });
    const r = await call('POST', `/api/apps/${id}/provisioning/on-demand`, { groupId: group });
    expect(r.result).toBe('done');
    expect((r.steps as Json[]).map((s) => s.name)).toEqual(['connection']);
    expect((r.users as Json[]).map((u) => [u.identity, u.result])).toEqual([
      ['odg-a@example.com', 'created'],
      ['odg-b@example.com', 'created'],
    ]);
    expect(await live('scope-odg')).toEqual([a, b].sort());
    // Then the group itself, through group provisioning (end users are never group members in Zendesk).
    expect(r.group).toMatchObject({ result: 'done', events: expect.arrayContaining([expect.objectContaining({ objectType: 'group', action: 'create', status: 'success' })]) });
    const snapshot = await control('GET', '/__sandbox/accounts/scope-odg/snapshot');
    expect((snapshot.groups as Json[]).filter((g) => g.name === 'On demand group')).toHaveLength(1);
    const missing = await request('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.issues).toEqual([{ path: 'body.userId', reason: 'no such user' }]);
    const both = await request('POST', `/api/apps/${id}/provisioning/on-demand`, { userId: a, groupId: group });
    expect(both.status).toBe(400);
  }, 60_000);

  it('bad requests to the preview and on demand are 4xx naming the field, never 5xx; an unconnected application fails at the connection step', async () => {
    const unconnected = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Unconnected', settings: { subdomain: 'scope-none' } })).id as string;
    const u = await newUser('unconnected@example.com');
    const nul = '\u0000';
    const preview = `/api/apps/${unconnected}/provisioning/scope-preview`;
    const onDemand = `/api/apps/${unconnected}/provisioning/on-demand`;
    const clause = (c: Record<string, unknown>) => ({ scopingFilters: [{ clauses: [c] }] });
    const cases: { url: string; payload: unknown; status: number; field?: string }[] = [
      { url: preview, payload: {}, status: 400, field: 'body.scopingFilters' },
      { url: preview, payload: { scopingFilters: 'x' }, status: 400, field: 'body.scopingFilters' },
      { url: preview, payload: { scopingFilters: [], scope: 'some' }, status: 400, field: 'body.scope' },
      { url: preview, payload: { scopingFilters: [], extra: 1 }, status: 400, field: 'body.extra' },
      { url: preview, payload: { scopingFilters: [{ clauses: [] }] }, status: 400, field: 'body.scopingFilters.0.clauses' },
      { url: preview, payload: clause({ attribute: 'email', operator: 'regex_match', value: `a${nul}` }), status: 400, field: 'body.scopingFilters.0.clauses.0.value' },
      { url: preview, payload: clause({ attribute: 'email', operator: 'regex_match', value: { nested: true } }), status: 400, field: 'body.scopingFilters.0.clauses.0.value' },
      { url: preview, payload: clause({ attribute: 'email', operator: 'regex_match', value: '(a|b' }), status: 400, field: 'body.scopingFilters.0.clauses.0.value' },
      { url: preview, payload: clause({ attribute: 'email', operator: 'matches', value: 'x' }), status: 400, field: 'body.scopingFilters.0.clauses.0.operator' },
      { url: preview, payload: clause({ attribute: 'groups', operator: 'in_group', value: 'x' }), status: 400, field: 'body.scopingFilters.0.clauses.0.value' },
      { url: '/api/apps/00000000-0000-4000-8000-000000000000/provisioning/scope-preview', payload: { scopingFilters: [] }, status: 404 },
      { url: '/api/apps/not-an-id/provisioning/scope-preview', payload: { scopingFilters: [] }, status: 400, field: 'params.id' },
      { url: onDemand, payload: {}, status: 400 },
      { url: onDemand, payload: { userId: 'x' }, status: 400 },
      { url: onDemand, payload: { groupId: '00000000-0000-4000-8000-000000000000' }, status: 404, field: 'body.groupId' },
      { url: '/api/apps/00000000-0000-4000-8000-000000000000/provisioning/on-demand', payload: { userId: u }, status: 404 },
    ];
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await request('POST', c.url, c.payload);
      const paths = ((r.body.error?.issues ?? []) as Json[]).map((i) => String(i.path));
      if (r.status !== c.status || (c.field && !paths.some((p) => p.startsWith(c.field!)))) wrong.push(`${JSON.stringify(c.payload)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    const failed = await call('POST', onDemand, { userId: u });
    expect(failed).toMatchObject({ result: 'failed', steps: [{ name: 'connection', outcome: 'failed', data: { code: 'not_connected' } }, { name: 'result', outcome: 'failed' }] });
  }, 60_000);

  it('the preview needs view_apps; provision on demand needs manage_provisioning', async () => {
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Permissions', settings: { subdomain: 'scope-perm' } })).id as string;
    const u = await newUser('perm@example.com');
    const viewer = await createTestAdmin(t.database.db, { permissions: ['view_apps'] });
    const nobody = await createTestAdmin(t.database.db, { permissions: [] });
    const as = (h: { authorization: string }, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: h, payload: payload as object });
    expect((await as(viewer.headers, `/api/apps/${id}/provisioning/scope-preview`, { scopingFilters: [] })).statusCode).toBe(200);
    expect((await as(nobody.headers, `/api/apps/${id}/provisioning/scope-preview`, { scopingFilters: [] })).statusCode).toBe(403);
    expect((await as(viewer.headers, `/api/apps/${id}/provisioning/on-demand`, { userId: u })).statusCode).toBe(403);
  }, 30_000);

  it('provision on demand waits for a running batch and answers 409 when a cycle keeps the application busy', async () => {
    const id = await connectedApp('scope-lease');
    const u = await newUser('lease@example.com');
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: u, role: 'end-user' });
    const held = await acquireCycle(t.database.db, id, 'periodic');
    if (!held.ok) throw new Error('lease not taken');
    await expect(provisionOnDemand({ ...env, leaseWaitMs: 300 }, id, { userId: u })).rejects.toMatchObject({ code: 'conflict' });
    expect(await live('scope-lease')).toEqual([]);
    // Released while the request waits: it goes ahead.
    const waiting = provisionOnDemand({ ...env, leaseWaitMs: 10_000 }, id, { userId: u });
    await new Promise((r) => setTimeout(r, 500));
    await finishCycle(t.database.db, held.cycleId, 'completed');
    expect((await waiting).result).toBe('created');
    expect(await live('scope-lease')).toEqual([u]);
  }, 60_000);
});
