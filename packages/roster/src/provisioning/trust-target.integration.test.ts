/**
 * Issue 11, "trust the target, not memory", against the sandbox on both drivers: a link whose
 * account no longer proves to be its user's is never written to (full cycles and incremental
 * batches), an unlinked user who must be suspended is looked up first, another account behind the
 * connection stops the application, and an exception stores a code and a correlation id, never SQL.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../test/engine-harness.ts';
import { TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { links, provisioningConfigs, provisioningCycles, provisioningEvents, provisioningRetries } from '../db/provisioning-schema.ts';
import { applyPlan } from './apply/apply-plan.ts';
import { openConnection } from './connection/open-connection.ts';
import { applyCyclePlan, runProvisioning } from './reconcile/run-provisioning.ts';
import { escrowFailedRun } from './escrow/run-escrow.ts';
import { computeCyclePlan } from './reconcile/compute-cycle-plan.ts';
import type { EngineEnv } from './run/engine-env.ts';
import { loadProvisioningConfig } from './config/load-config.ts';
import type { DesiredUser } from './diff/plan-types.ts';

describe.each(openTestDatabase.drivers())('trust the target on %s', (driver) => {
  let t: TestDatabase;
  let sandboxUrl: string;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t, sandboxUrl } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: Method, url: string, payload?: unknown) => h.call(method, url, payload);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  const db = () => t.database.db;
  const newUser = async (email: string, givenName: string, familyName: string) => (await call('POST', '/api/users', { email, givenName, familyName, displayName: `${givenName} ${familyName}` })).id as string;
  const patchUser = async (userId: string, body: Record<string, unknown>) => call('PATCH', `/api/users/${userId}`, { ...body, version: (await call('GET', `/api/users/${userId}`)).version });
  const fullCycles = async (appId: string) => (await db().select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');
  async function runCycle(appId: string) {
    const before = new Set((await fullCycles(appId)).map((c) => c.id));
    await call('POST', `/api/apps/${appId}/provisioning/cycles`);
    return until('the cycle', async () => (await fullCycles(appId)).find((c) => !before.has(c.id) && c.status !== 'running'));
  }
  const events = async (appId: string, directoryId: string) => db().select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, appId), eq(provisioningEvents.directoryId, directoryId)));
  const relayCaughtUp = () => h.relayed();

  /** An application connected to `sub` (created unless it is the sandbox's default account) with Ada (agent) and Bob (end user) provisioned. */
  async function provisioned(sub: string, opts: { existing?: Json } = {}) {
    // Bulk jobs run at once (no queue delay or per-user pace): no test here reads the clock while a job runs.
    const account = opts.existing ?? (await control('POST', '/__sandbox/accounts', { subdomain: sub, pace: { queueDelayMs: 0, perItemMs: 0 } })).account;
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } })).id as string;
    const connect = async () => call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    await connect();
    const ada = await newUser(`ada@${sub}.test`, 'Ada', 'Lovelace');
    const bob = await newUser(`bob@${sub}.test`, 'Bob', 'Babbage');
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: ada, role: 'agent' });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: bob, role: 'end-user' });
    await relayCaughtUp();
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    await until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status === 'completed'));
    const auth = `Basic ${Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64')}`;
    /** Zendesk's API as the account's admin: edits by hand. */
    const zendesk = async (method: string, path: string, body?: unknown): Promise<Json> => {
      const r = await fetch(`${sandboxUrl}/${sub}${path}`, { method, headers: { 'content-type': 'application/json', authorization: auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (r.status >= 400) throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`);
      return r.status === 204 ? {} : ((await r.json()) as Json);
    };
    const accounts = async (): Promise<Json[]> => (await control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[];
    const byId = async (targetId: string) => (await accounts()).find((u) => String(u.id) === targetId);
    const linkOf = async (directoryId: string) => (await db().select().from(links).where(and(eq(links.applicationId, id), eq(links.directoryId, directoryId))))[0];
    /** What an admin does in Zendesk's UI to give an account another primary email. */
    const setEmail = async (targetId: string, email: string) => {
      await zendesk('PUT', `/api/v2/users/${targetId}`, { user: { email } });
      const identity = ((await zendesk('GET', `/api/v2/users/${targetId}/identities`)).identities as Json[]).find((i) => i.value === email)!;
      await zendesk('PUT', `/api/v2/users/${targetId}/identities/${identity.id}/make_primary`);
    };
    /** Removes an address from an account (Zendesk keeps the old primary as a secondary identity), through the sandbox's own state. */
    const dropIdentity = (targetId: string, email: string) => {
      const users = h.sandbox.registry.get(sub)!.users;
      const user = users.get(Number(targetId))!;
      user.identities = user.identities.filter((i) => i.value !== email);
      users.unindexEmail(email);
    };
    return { id, ada, bob, sub, account, connect, zendesk, accounts, byId, linkOf, setEmail, dropIdentity };
  }
  /** The fields a write would change. */
  const shape = (u: Json | undefined) => u && { name: u.name, email: u.email, external_id: u.external_id, role: u.role, suspended: u.suspended, active: u.active };

  it('full cycle, bad input: an account with no external id, another email and the same id, and one with another external id, are never written; each is a logged link_mismatch and the user is matched again', async () => {
    const { id, ada, bob, sub, zendesk, byId, linkOf, setEmail, dropIdentity } = await provisioned('trust-full');
    const adaTarget = (await linkOf(ada))!.targetId;
    const bobTarget = (await linkOf(bob))!.targetId;
    await zendesk('PUT', `/api/v2/users/${adaTarget}`, { user: { external_id: null, name: 'Someone Else' } });
    await setEmail(adaTarget, `someone@${sub}.test`);
    dropIdentity(adaTarget, `ada@${sub}.test`);
    await zendesk('PUT', `/api/v2/users/${bobTarget}`, { user: { external_id: 'someone-else', name: 'Not Bob' } });
    const before = { ada: shape(await byId(adaTarget)), bob: shape(await byId(bobTarget)) };

    const cycle = await runCycle(id);
    expect(cycle.status).toBe('completed');
    // Nothing reached either account.
    expect(shape(await byId(adaTarget))).toEqual(before.ada);
    expect(shape(await byId(bobTarget))).toEqual(before.bob);

    const adaEvents = await events(id, ada);
    const mismatch = adaEvents.find((e) => e.cycleId === cycle.id && e.errorCode === 'link_mismatch')!;
    expect(mismatch).toMatchObject({ action: 'unlink', status: 'skipped', targetId: adaTarget });
    expect(mismatch.changes).toEqual([
      { property: 'target_identity', old: { targetId: adaTarget, externalId: ada, email: `ada@${sub}.test` }, new: { targetId: adaTarget, externalId: null, email: `someone@${sub}.test`, active: true } },
    ]);
    // Matched again as on a first cycle: no account of Ada's remains, so a fresh one is created with her external id.
    const created = adaEvents.find((e) => e.cycleId === cycle.id && e.action === 'create')!;
    expect(created.status).toBe('success');
    expect(created.targetId).not.toBe(adaTarget);
    expect(shape(await byId(created.targetId!))).toMatchObject({ external_id: ada, email: `ada@${sub}.test`, name: 'Ada Lovelace' });
    expect((await linkOf(ada))?.targetId).toBe(created.targetId);

    const bobEvents = await events(id, bob);
    expect(bobEvents.find((e) => e.cycleId === cycle.id && e.errorCode === 'link_mismatch')?.changes).toEqual([
      { property: 'target_identity', old: { targetId: bobTarget, externalId: bob, email: `bob@${sub}.test` }, new: { targetId: bobTarget, externalId: 'someone-else', email: `bob@${sub}.test`, active: true } },
    ]);
    // Bob's address belongs to the other account: never linked to it; no success on it is ever logged.
    expect(bobEvents.filter((e) => e.cycleId === cycle.id && e.status === 'success' && e.targetId === bobTarget)).toEqual([]);
    expect((await linkOf(bob))?.targetId ?? null).not.toBe(bobTarget);

    // Settled: the next cycle finds Ada's new account proven by its external id.
    const again = await runCycle(id);
    expect((await events(id, ada)).filter((e) => e.cycleId === again.id)).toEqual([]);
  }, 120_000);

  it('incremental batch: a renamed user whose account now holds another external id is not written; an account deleted by hand is a mismatch and a deactivation finds nothing to suspend', async () => {
    const { id, ada, bob, zendesk, byId, linkOf } = await provisioned('trust-inc');
    const bobTarget = (await linkOf(bob))!.targetId;
    const adaTarget = (await linkOf(ada))!.targetId;
    await zendesk('PUT', `/api/v2/users/${bobTarget}`, { user: { external_id: 'someone-else' } });
    const before = shape(await byId(bobTarget));
    await patchUser(bob, { familyName: 'Renamed', displayName: 'Bob Renamed' });
    const logged = await until('the mismatch of Bob', async () => (await events(id, bob)).find((e) => e.errorCode === 'link_mismatch'));
    expect(logged).toMatchObject({ action: 'unlink', status: 'skipped', targetId: bobTarget });
    const batch = (await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, logged.cycleId!)))[0]!;
    expect(batch.kind).toBe('incremental');
    await until('the batch to end', async () => (await db().select().from(provisioningCycles).where(eq(provisioningCycles.id, batch.id)))[0]?.status !== 'running');
    expect(shape(await byId(bobTarget))).toEqual(before);

    await zendesk('DELETE', `/api/v2/users/${adaTarget}`);
    await call('POST', `/api/users/${ada}/deactivate`);
    const skipped = await until('Ada looked up', async () => (await events(id, ada)).find((e) => e.errorCode === 'no_account'));
    expect(skipped).toMatchObject({ action: 'skip', status: 'skipped' });
    const adaMismatch = (await events(id, ada)).find((e) => e.errorCode === 'link_mismatch')!;
    expect(adaMismatch.changes[0]).toMatchObject({ property: 'target_identity', old: { targetId: adaTarget, externalId: ada } });
    expect(['missing', 'deleted'].some((r) => adaMismatch.errorMessage?.includes(r === 'missing' ? 'there is no account with that id' : 'is deleted'))).toBe(true);
    expect(await linkOf(ada)).toBeUndefined();
  }, 120_000);

  it('an unlinked user who must be suspended (the link was never written) is looked up by external id, linked and suspended; a failed lookup fails and is escrowed, never a skip', async () => {
    const { id, ada, bob, sub, byId, linkOf } = await provisioned('trust-find');
    const adaTarget = (await linkOf(ada))!.targetId;
    // As if the worker died between Zendesk's answer and the link.
    await db().delete(links).where(and(eq(links.applicationId, id), eq(links.directoryId, ada)));
    await call('POST', `/api/users/${ada}/deactivate`);
    const suspended = await until('Ada suspended', async () => (await events(id, ada)).find((e) => e.action === 'suspend'));
    expect(suspended).toMatchObject({ status: 'success', targetId: adaTarget });
    expect(suspended.steps).toContainEqual({ name: 'match', outcome: 'matched', detail: `external_id = ${ada} → target ${adaTarget}` });
    expect((await byId(adaTarget))?.suspended).toBe(true);
    expect(await linkOf(ada)).toMatchObject({ targetId: adaTarget, state: 'suspended' });

    // The lookup fails (the target errs): the deprovisioning fails and waits in escrow.
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const real = opened.value.connection;
    const failing = { ...real, users: { ...real.users, findBy: async () => ({ ok: false as const, error: { code: 'zendesk.unavailable', class: 'object' as const, message: 'Zendesk answered 500', advice: 'Roster retries.' } }) } };
    const caps = await real.capabilities();
    if (!caps.ok) throw new Error('no capabilities');
    const desired: DesiredUser = { directoryId: bob, identity: `bob@${sub}.test`, externalId: bob, roleKey: 'end-user', suspended: true, attributes: { email: `bob@${sub}.test` }, createAttributes: {}, hash: 'h' };
    const plan = { actions: [{ kind: 'find' as const, directoryId: bob, identity: desired.identity, probes: [{ field: 'external_id', value: bob }], then: 'suspend' as const, desired, written: null, steps: [], changes: [] }], unchanged: 0 };
    await applyPlan({ db: db(), applicationId: id, cycleId: null, connection: failing, capabilities: caps.value, sleep: async () => undefined, now: Date.now }, plan);
    const bobEvents = (await events(id, bob)).filter((e) => e.cycleId === null);
    expect(bobEvents).toHaveLength(1);
    expect(bobEvents[0]).toMatchObject({ action: 'suspend', status: 'failed', errorCode: 'zendesk.unavailable' });
    expect(await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), eq(provisioningRetries.directoryId, bob)))).toHaveLength(1);
  }, 120_000);

  it('kept plan: a link that fails the identity check while the approved plan is applied is dropped and logged as link_mismatch at once, and nothing is written to the account', async () => {
    const { id, bob, zendesk, byId, linkOf } = await provisioned('trust-kept');
    const bobTarget = (await linkOf(bob))!.targetId;
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { requireApproval: true }, version: (await call('GET', `/api/apps/${id}/provisioning`)).version });
    await patchUser(bob, { familyName: 'Renamed', displayName: 'Bob Renamed' });
    await relayCaughtUp();
    const cycle = await runCycle(id);
    expect(cycle.error).toMatchObject({ code: 'awaiting_approval' });
    const planId = (cycle.error as Json).planId as string;
    expect((await call('GET', `/api/apps/${id}/provisioning/plans/${planId}`)).counts).toMatchObject({ update: 1 });

    // Between the plan and its approval, Bob's account is given to someone else by hand.
    await zendesk('PUT', `/api/v2/users/${bobTarget}`, { user: { external_id: 'someone-else' } });
    const before = shape(await byId(bobTarget));
    const kept = await call('GET', `/api/apps/${id}/provisioning/plans/${planId}`);
    const approved = await h.request('POST', `/api/apps/${id}/provisioning/plans/${planId}/approve`, undefined, { 'if-match': `"${kept.version}"` });
    expect(approved.statusCode).toBe(202);
    const done = await until('the approved plan applied', async () => {
      const p = await call('GET', `/api/apps/${id}/provisioning/plans/${planId}`);
      return p.status === 'applied' || p.status === 'failed' ? p : undefined;
    });
    expect(done.status).toBe('applied');
    const applyRun = done.reason.result.cycleId as string;
    const bobEvents = await events(id, bob);
    // The kept update is outdated (the fresh plan matches Bob again) ...
    expect(bobEvents.find((e) => e.cycleId === applyRun && e.errorCode === 'plan_outdated')).toBeDefined();
    // ... and the mismatch is not left for the next cycle: the link is dropped and logged in the apply run itself.
    const mismatch = bobEvents.find((e) => e.cycleId === applyRun && e.errorCode === 'link_mismatch');
    expect(mismatch).toMatchObject({ action: 'unlink', status: 'skipped', targetId: bobTarget });
    expect(mismatch?.changes).toEqual([{ property: 'target_identity', old: expect.objectContaining({ targetId: bobTarget, externalId: bob }), new: expect.objectContaining({ targetId: bobTarget, externalId: 'someone-else' }) }]);
    expect(await linkOf(bob)).toBeUndefined();
    expect(shape(await byId(bobTarget))).toEqual(before);
  }, 120_000);

  it('unassigned before the takeover, link never written: the relay sends the user anyway, the account is looked up and deprovisioned; a failed lookup fails with escrow', async () => {
    const { id, ada, bob, byId, linkOf } = await provisioned('trust-absent');
    const adaTarget = (await linkOf(ada))!.targetId;
    const bobTarget = (await linkOf(bob))!.targetId;
    // As if the worker died between Zendesk's answer to the create and the link.
    await db().delete(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')));
    const assignments = (await call('GET', `/api/apps/${id}/assignments`)).items as Json[];
    const assignmentOf = (userId: string) => assignments.find((a) => a.principalId === userId)!.id as string;
    await call('DELETE', `/api/apps/${id}/assignments/${assignmentOf(ada)}`);
    const deleted = await until('Ada looked up and deprovisioned', async () => (await events(id, ada)).find((e) => e.action === 'delete'));
    expect(deleted).toMatchObject({ status: 'success', targetId: adaTarget });
    expect(deleted.steps).toContainEqual({ name: 'match', outcome: 'matched', detail: `external_id = ${ada} → target ${adaTarget}` });
    expect((await byId(adaTarget))?.active).toBe(false);

    // The same with the lookup failing (the target errs): a failed deprovisioning in escrow, never a success or a skip.
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const real = opened.value.connection;
    const down = { ok: false as const, error: { code: 'zendesk.unavailable', class: 'object' as const, message: 'Zendesk answered 500', advice: 'Roster retries.' } };
    const failing = { ...real, users: { ...real.users, findBy: async () => down, findByMany: async () => down } };
    const env = { db: db(), sleep: async () => undefined, now: Date.now, connect: async () => ({ ok: true as const, value: { connection: failing } }) };
    // Bob is unassigned in a transaction the relay has not seen yet: the lost run's scope (Bob) is re-planned directly.
    await db().execute(sql`delete from assignments where application_id = ${id} and principal_id = ${bob}`);
    const run = await runProvisioning(env, id, 'incremental', [bob]);
    expect(run).toMatchObject({ status: 'done' });
    const bobEvents = (await events(id, bob)).filter((e) => run.status === 'done' && e.cycleId === run.cycleId);
    expect(bobEvents).toHaveLength(1);
    expect(bobEvents[0]).toMatchObject({ action: 'delete', status: 'failed', errorCode: 'zendesk.unavailable' });
    expect(await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), eq(provisioningRetries.directoryId, bob)))).toHaveLength(1);
    expect((await byId(bobTarget))?.active).toBe(true);
  }, 120_000);

  it('a full cycle died between its creates and its links, and Ada was unassigned before the takeover: re-planning the users it was creating deletes her account and relinks Bob; a stranger\'s account is left alone', async () => {
    const { id, ada, bob, zendesk, byId, linkOf } = await provisioned('trust-orphan');
    const adaTarget = (await linkOf(ada))!.targetId;
    const bobTarget = (await linkOf(bob))!.targetId;
    // An account carrying an external id nobody in Roster wrote (another system's): never Roster's to remove.
    const stranger = String(((await zendesk('POST', '/api/v2/users', { user: { name: 'Not ours', email: 'stranger@trust-orphan.test', external_id: '0b0e6a3c-1c57-4c7a-9d4e-5f0a8b2c7d11' } })).user as Json).id);
    // As if the initial cycle that created both died before its links; Ada is unassigned where the relay cannot see it.
    await db().delete(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')));
    await db().execute(sql`delete from assignments where application_id = ${id} and principal_id = ${ada}`);
    // A full cycle alone plans from who is wanted now: Ada's account, which no link names, is not its business.
    const cycle = await runCycle(id);
    expect(cycle.status).toBe('completed');
    expect((await byId(adaTarget))?.active).toBe(true);
    // What recovery does with the dead cycle's recorded creates (scope.createIds): re-plan exactly those users.
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const connection = opened.value.connection;
    const env = { db: db(), sleep: async () => undefined, now: Date.now, connect: async () => ({ ok: true as const, value: { connection } }) };
    const run = await runProvisioning(env, id, 'incremental', [ada, bob]);
    expect(run).toMatchObject({ status: 'done' });
    const adaEvents = (await events(id, ada)).filter((e) => run.status === 'done' && e.cycleId === run.cycleId);
    expect(adaEvents).toMatchObject([{ action: 'delete', status: 'success', targetId: adaTarget }]);
    expect((await byId(adaTarget))?.active).toBe(false);
    expect((await linkOf(bob))?.targetId).toBe(bobTarget);
    expect((await byId(bobTarget))?.active).toBe(true);
    expect((await byId(stranger))?.active).toBe(true);
  }, 120_000);

  it('re-planned batch of users whose accounts exist without links: looked up with one batched read per 100 (findByMany), not one request per user, and linked without duplicates', async () => {
    const { id, ada, bob, sub, accounts, linkOf } = await provisioned('trust-batch');
    const more: string[] = [];
    for (let i = 0; i < 12; i++) more.push(await newUser(`batch${i}@trust-batch.test`, 'Batch', `User ${i}`));
    for (const u of more) await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: u, role: 'end-user' });
    const everyone = [ada, bob, ...more];
    await until('every account linked', async () => (await db().select().from(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')))).length === everyone.length);
    const before = (await accounts()).length;
    // As if a run died after its creates reached Zendesk and before its links.
    await db().delete(links).where(and(eq(links.applicationId, id), eq(links.objectType, 'user')));
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const real = opened.value.connection;
    const calls = { findBy: 0, findByMany: 0 };
    const counting = {
      ...real,
      users: {
        ...real.users,
        findBy: (field: string, value: string) => ((calls.findBy += 1), real.users.findBy(field, value)),
        findByMany: (field: string, values: readonly string[]) => ((calls.findByMany += 1), real.users.findByMany(field, values)),
      },
    };
    const env = { db: db(), sleep: async () => undefined, now: Date.now, connect: async () => ({ ok: true as const, value: { connection: counting } }) };
    const run = await runProvisioning(env, id, 'incremental', everyone);
    expect(run).toMatchObject({ status: 'done' });
    expect(calls).toEqual({ findBy: 0, findByMany: 1 });
    expect((await accounts()).length).toBe(before);
    const runEvents = await db().select().from(provisioningEvents).where(eq(provisioningEvents.cycleId, run.status === 'done' ? run.cycleId : ''));
    for (const u of everyone) expect((await linkOf(u))?.targetId, JSON.stringify(runEvents.filter((e) => e.directoryId === u))).toBe(String((await accounts()).find((a) => a.external_id === u)?.id));
    void sub;
  }, 120_000);

  it('a forced database error is stored as a code, admin words and a correlation id, never the SQL or its parameters; the details go to the log', async () => {
    const { id, ada, sub } = await provisioned('trust-errors');
    const logged: Json[] = [];
    const log = { info: () => undefined, error: (obj: object) => void logged.push(obj as Json) };
    const env = {
      db: db(),
      sleep: async () => undefined,
      now: Date.now,
      log,
      // A unique violation carrying user data, as a broken write would raise it.
      async connect(): Promise<never> {
        await db().execute(sql`insert into links (application_id, object_type, directory_id, target_id, state, last_written) values (${id}, 'user', ${ada}, '1', 'provisioned', ${JSON.stringify({ attributes: { email: `ada@${sub}.test` } })}::jsonb)`);
        throw new Error('unreachable');
      },
    };
    await expect(runProvisioning(env, id, 'on_demand')).rejects.toThrow();
    const [cycle] = (await db().select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, id))).filter((c) => c.kind === 'on_demand');
    expect(cycle?.status).toBe('failed');
    const stored = JSON.stringify(cycle?.error);
    expect(cycle?.error).toMatchObject({ code: 'conflict' });
    expect(stored).not.toMatch(/insert|into links|params|ada@|application_id|\n\s+at /i);
    const correlationId = (cycle?.error as Json).correlationId as string;
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((cycle?.error as Json).advice).toContain(correlationId);
    expect(logged.find((o) => o.correlationId === correlationId)?.err).toBeInstanceOf(Error);
  }, 120_000);

  it('a claim by email goes ahead only while the user is as the plan read them: after an email change the old address\'s account is not claimed (skipped, retried at once); unchanged, it is claimed', async () => {
    const { id, sub, zendesk, byId, linkOf } = await provisioned('trust-stale');
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const connection = opened.value.connection;
    const caps = await connection.capabilities();
    if (!caps.ok) throw new Error('no capabilities');
    /** The create a plan made for `userId` while their email was `email`, with the directory row's version it read. */
    const createFor = async (userId: string, email: string) => {
      const version = (await call('GET', `/api/users/${userId}`)).version as number;
      const desired: DesiredUser = { directoryId: userId, identity: email, externalId: userId, roleKey: 'end-user', suspended: false, attributes: { email, name: 'Cleo Stale' }, createAttributes: {}, hash: 'h', version };
      const probes = [{ field: 'external_id', value: userId }, { field: 'email', value: email }];
      return { actions: [{ kind: 'create' as const, directoryId: userId, identity: email, input: { externalId: userId, roleKey: 'end-user', attributes: desired.attributes }, probes, desired, steps: [{ name: 'action' as const, outcome: 'create' }] }], unchanged: 0 };
    };
    const apply = (plan: Awaited<ReturnType<typeof createFor>>) => applyPlan({ db: db(), applicationId: id, cycleId: null, connection, capabilities: caps.value, sleep: async () => undefined, now: Date.now }, plan);

    // Cleo (not assigned: only these plans act on her) has an account made by hand with her address and no external id.
    const cleo = await newUser(`cleo@${sub}.test`, 'Cleo', 'Stale');
    const byHand = (await zendesk('POST', '/api/v2/users', { user: { name: 'Cleo by hand', email: `cleo@${sub}.test`, role: 'end-user' } })).user as Json;
    const planned = await createFor(cleo, `cleo@${sub}.test`);
    // Between the plan and its apply, Cleo's email changes (the old address may be someone else's by now).
    await patchUser(cleo, { email: `cleo.new@${sub}.test` });
    await apply(planned);
    const [skipped] = (await events(id, cleo)).filter((e) => e.cycleId === null);
    expect(skipped).toMatchObject({ action: 'link', status: 'skipped', errorCode: 'directory_changed', targetId: String(byHand.id) });
    expect(shape(await byId(String(byHand.id)))).toMatchObject({ external_id: null, name: 'Cleo by hand' });
    expect(await linkOf(cleo)).toBeUndefined();
    const [retry] = await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), eq(provisioningRetries.directoryId, cleo)));
    expect(retry).toMatchObject({ attempts: 0 });
    expect(retry!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    // Planned again while the user is unchanged, the same kind of claim goes ahead.
    const dora = await newUser(`dora@${sub}.test`, 'Dora', 'Current');
    const doraByHand = (await zendesk('POST', '/api/v2/users', { user: { name: 'Dora by hand', email: `dora@${sub}.test`, role: 'end-user' } })).user as Json;
    await apply(await createFor(dora, `dora@${sub}.test`));
    expect((await events(id, dora)).filter((e) => e.cycleId === null)).toEqual([expect.objectContaining({ action: 'link', status: 'success', targetId: String(doraByHand.id) })]);
    expect(shape(await byId(String(doraByHand.id)))).toMatchObject({ external_id: dora });
  }, 120_000);

  it('a create whose email probe finds an account linked to another directory user does not claim it (the address moved): the account is left alone', async () => {
    const { id, ada, sub, byId, linkOf } = await provisioned('trust-taken');
    const adaTarget = (await linkOf(ada))!.targetId;
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const caps = await opened.value.connection.capabilities();
    if (!caps.ok) throw new Error('no capabilities');
    const before = shape(await byId(adaTarget));
    // Eve (not assigned) is planned with Ada's address, as when Ada changed email and Eve took her old one before Zendesk heard of it.
    const eve = await newUser(`eve@${sub}.test`, 'Eve', 'Taken');
    const email = `ada@${sub}.test`;
    const desired: DesiredUser = { directoryId: eve, identity: email, externalId: eve, roleKey: 'end-user', suspended: false, attributes: { email, name: 'Eve Taken' }, createAttributes: {}, hash: 'h' };
    const probes = [{ field: 'external_id', value: eve }, { field: 'email', value: email }];
    const plan = { actions: [{ kind: 'create' as const, directoryId: eve, identity: email, input: { externalId: eve, roleKey: 'end-user', attributes: desired.attributes }, probes, desired, steps: [{ name: 'action' as const, outcome: 'create' }] }], unchanged: 0 };
    await applyPlan({ db: db(), applicationId: id, cycleId: null, connection: opened.value.connection, capabilities: caps.value, sleep: async () => undefined, now: Date.now }, plan);
    const [event] = (await events(id, eve)).filter((e) => e.cycleId === null);
    // Not linked to Ada's account: created instead, which Zendesk refuses (the address is taken), a failure the admin sees.
    expect(event).toMatchObject({ action: 'create', status: 'failed' });
    expect(event!.steps).toContainEqual({ name: 'match', outcome: 'no match', detail: `email = ${email}` });
    expect(shape(await byId(adaTarget))).toEqual(before);
    expect(await linkOf(eve)).toBeUndefined();
    expect(await linkOf(ada)).toMatchObject({ targetId: adaTarget });
  }, 120_000);

  it('an account that changes identity between the plan and its write is not written: the write-time re-read logs the mismatch and the user is planned again at once', async () => {
    const { id, bob, zendesk, byId, linkOf } = await provisioned('trust-late');
    const bobTarget = (await linkOf(bob))!.targetId;
    // Provisioning off: only the plan below acts, not the worker's own batch for the change.
    await call('POST', `/api/apps/${id}/provisioning/disable`);
    await patchUser(bob, { familyName: 'Later', displayName: 'Bob Later' });
    const env: EngineEnv = {
      db: db(),
      sleep: async () => undefined,
      now: Date.now,
      async connect(applicationId) {
        const r = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId });
        return r.ok ? { ok: true, value: { connection: r.value.connection } } : { ok: false, error: { code: r.error.code, message: r.error.message } };
      },
    };
    const computed = await computeCyclePlan(env, await loadProvisioningConfig(db(), id), 'full');
    if (!computed.ok) throw new Error(computed.error.message);
    const planned = computed.value.plan.users.actions.find((a) => a.directoryId === bob);
    expect(planned).toMatchObject({ kind: 'update', targetId: bobTarget, claim: { targetId: bobTarget, externalIds: expect.arrayContaining([bob]) } });

    // The plan checked Bob's account when it read the target; before the write, the account becomes someone else's.
    await zendesk('PUT', `/api/v2/users/${bobTarget}`, { user: { external_id: 'someone-else' } });
    const before = shape(await byId(bobTarget));
    await applyCyclePlan(env, id, computed.value, null, () => false);
    expect(shape(await byId(bobTarget))).toEqual(before);
    const mismatch = (await events(id, bob)).find((e) => e.cycleId === null && e.errorCode === 'link_mismatch');
    expect(mismatch).toMatchObject({ action: 'unlink', status: 'skipped', targetId: bobTarget });
    expect(await linkOf(bob)).toBeUndefined();
    const [retry] = await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), eq(provisioningRetries.directoryId, bob)));
    expect(retry).toMatchObject({ attempts: 0 });
  }, 120_000);

  it('one account id answered for two users in one batch (a target that handed an id out again mid-run) links neither, never crashes the batch, and plans both again; a run that fails with an exception escrows the users it was creating', async () => {
    const { id, sub, linkOf } = await provisioned('trust-twice');
    const opened = await openConnection({ db: db(), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), targetUrls: { zendesk: `${sandboxUrl}/{subdomain}` }, applicationId: id });
    if (!opened.ok) throw new Error('cannot open the connection');
    const real = opened.value.connection;
    const caps = await real.capabilities();
    if (!caps.ok) throw new Error('no capabilities');
    const fay = await newUser(`fay@${sub}.test`, 'Fay', 'Twice');
    const gus = await newUser(`gus@${sub}.test`, 'Gus', 'Twice');
    // Both creates answered with the same account id, as by a target that forgot the first account and gave its id to the second.
    let first: string | null = null;
    const twice = {
      ...real,
      users: {
        ...real.users,
        create: async (input: Parameters<typeof real.users.create>[0]) => {
          const r = await real.users.create(input);
          if (!r.ok) return r;
          first ??= r.value.id;
          return { ok: true as const, value: { ...r.value, id: first } };
        },
      },
    };
    const createOf = (userId: string, email: string) => {
      const desired: DesiredUser = { directoryId: userId, identity: email, externalId: userId, roleKey: 'end-user', suspended: false, attributes: { email, name: email }, createAttributes: {}, hash: 'h' };
      return { kind: 'create' as const, directoryId: userId, identity: email, input: { externalId: userId, roleKey: 'end-user', attributes: desired.attributes }, probes: [], desired, steps: [{ name: 'action' as const, outcome: 'create' }] };
    };
    const plan = { actions: [createOf(fay, `fay@${sub}.test`), createOf(gus, `gus@${sub}.test`)], unchanged: 0 };
    await applyPlan({ db: db(), applicationId: id, cycleId: null, connection: twice, capabilities: caps.value, sleep: async () => undefined, now: Date.now, concurrency: 1 }, plan);
    expect(await linkOf(fay)).toBeUndefined();
    expect(await linkOf(gus)).toBeUndefined();
    const retries = await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), sql`${provisioningRetries.directoryId} in (${sql.raw(`'${fay}', '${gus}'`)})`));
    expect(retries.map((r) => [r.directoryId, (r.lastError as Json).code]).sort()).toEqual([[fay, 'target_id_reused'], [gus, 'target_id_reused']].sort());

    // A cycle that recorded users it was creating and then failed with an exception: those users wait in escrow (not only a dead worker's).
    const hal = await newUser(`hal@${sub}.test`, 'Hal', 'Failed');
    const [run] = await db().insert(provisioningCycles).values({ applicationId: id, kind: 'on_demand', status: 'failed', counts: {}, scope: { createIds: [hal] } }).returning({ id: provisioningCycles.id });
    await escrowFailedRun(db(), run!.id, { code: 'conflict', message: 'The run conflicted.', advice: 'None.' });
    const [halRetry] = await db().select().from(provisioningRetries).where(and(eq(provisioningRetries.applicationId, id), eq(provisioningRetries.directoryId, hal)));
    expect(halRetry).toMatchObject({ attempts: 1, lastError: expect.objectContaining({ code: 'conflict', class: 'transient' }) });
  }, 120_000);

  it('target reset: the next cycle refuses with target_identity_changed and writes nothing; saving the connection again relinks from scratch', async () => {
    const existing = ((await control('GET', '/__sandbox/accounts')).accounts as Json[]).find((a) => a.default)!;
    const { id, ada, sub, accounts, connect } = await provisioned(existing.subdomain as string, { existing });
    const [row] = await db().select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
    expect((row?.connection as Json).targetIdentity?.key).toMatch(/^zendesk-group:\d+:/);
    expect((await accounts()).filter((u) => u.external_id === ada)).toHaveLength(1);

    // Zendesk's creation times have one-second resolution: the rebuilt account must be created in a later second.
    await new Promise((r) => setTimeout(r, 1_100));
    await control('POST', '/__sandbox/reset');
    const usersAfterReset = (await accounts()).length;
    const refused = await runCycle(id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'target_identity_changed' });
    expect((refused.error as Json).message).toContain('This is not the account you connected');
    expect((refused.error as Json).advice).toContain('restart provisioning with reset links');
    const view = await call('GET', `/api/apps/${id}/provisioning`);
    expect(view.state).toBe('stopped');
    expect(view.stateReason).toMatchObject({ code: 'target_identity_changed' });
    expect((await accounts()).length).toBe(usersAfterReset);
    expect((await accounts()).filter((u) => u.external_id === ada)).toEqual([]);

    // Reconnecting records the new account and relinks: Ada's old link names an account that is gone, so she is created again.
    await connect();
    await until('the relink', async () => (await accounts()).find((u) => u.external_id === ada && u.active));
    expect((await events(id, ada)).some((e) => e.errorCode === 'link_mismatch')).toBe(true);
    expect((await call('GET', `/api/apps/${id}/provisioning`)).state).not.toBe('stopped');
    void sub;
  }, 120_000);
});
