/**
 * Import from Zendesk end to end, on both drivers: Zendesk users made through the sandbox's API,
 * sessions driven through Roster's HTTP API and worked by a real worker; then the next cycle.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { createTestAdmin } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { links, provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';
import { assignments, auditLog, users } from '../../db/schema.ts';
import { createImportJobs } from './import-jobs.ts';

const fastPace = { queueDelayMs: 0, perItemMs: 0, concurrency: 10 };

describe.each(openTestDatabase.drivers())('import from Zendesk on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver, { extraHandlers: (connectorOptions) => createImportJobs({ connectorOptions }) });
    ({ t } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const raw = (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) => h.request(method, url, payload, extra);
  const call = (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) => h.call(method, url, payload, extra);
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);

  /** A sandbox account (bulk jobs without queue delay) and an application connected to it by API token. */
  async function connectedApp(sub: string) {
    const { id, account, zendesk } = await h.connectApp(sub, { account: { pace: fastPace } });
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).ok).toBe(true);
    const zendeskUser = async (user: Record<string, unknown>) => String((await zendesk('POST', '/api/v2/users', { user })).user.id);
    const snapshot = async () => ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).filter((u) => u.active);
    return { id, account, zendesk, zendeskUser, snapshot, base: `/api/apps/${id}/provisioning/import-sessions` };
  }
  const newUser = async (email: string, displayName: string, more: Record<string, unknown> = {}) => (await call('POST', '/api/users', { email, displayName, ...more })).id as string;
  const settled = (base: string, sessionId: string, statuses: string[]) =>
    until(`session ${statuses.join('/')}`, async () => {
      const s = await call('GET', `${base}/${sessionId}`);
      return statuses.includes(s.status) ? s : undefined;
    });
  const items = async (base: string, sessionId: string, query = ''): Promise<Json[]> => (await call('GET', `${base}/${sessionId}/items?limit=500${query}`)).items as Json[];

  describe('one account through classify, confirm, apply and the next cycle', () => {
    let z: Awaited<ReturnType<typeof connectedApp>>;
    let session: Json;
    const dir: Record<string, string> = {};
    const zd: Record<string, string> = {};
    let light: Json;

    beforeAll(async () => {
      z = await connectedApp(`imp-${driver}`);
      dir.upd = await newUser('upd@example.com', 'Old Name', { givenName: 'Old', familyName: 'Name' });
      dir.act = await newUser('act@example.com', 'Act Ive');
      await call('POST', `/api/users/${dir.act}/deactivate`);
      dir.deact = await newUser('deact@example.com', 'De Act');
      dir.keep = await newUser('keep@example.com', 'Dir Keeps', { givenName: 'Dir', familyName: 'Keeps' });
      dir.twin = await newUser('twin@example.com', 'Twin One');
      dir.owner = await newUser('owner@example.com', 'Email Owner');
      dir.other = await newUser('other@example.com', 'Other Person');
      zd.new1 = await z.zendeskUser({ name: 'Ludwig van Beethoven', email: 'ludwig@example.com', role: 'agent' });
      zd.sus = await z.zendeskUser({ name: 'Sus Pended', email: 'sus@example.com', suspended: true });
      zd.upd = await z.zendeskUser({ name: 'Fresh Name', email: 'upd@example.com' });
      zd.act = await z.zendeskUser({ name: 'Act Ive', email: 'act@example.com' });
      zd.deact = await z.zendeskUser({ name: 'De Act', email: 'deact@example.com', suspended: true });
      zd.keep = await z.zendeskUser({ name: 'Zen Name', email: 'keep@example.com' });
      zd.noEmail = await z.zendeskUser({ name: 'No Email' });
      zd.twinA = await z.zendeskUser({ name: 'Twin A', email: 'twin-a@example.com', external_id: dir.twin });
      zd.twinB = await z.zendeskUser({ name: 'Twin B', email: 'twin@example.com' });
      zd.owned = await z.zendeskUser({ name: 'Owned', email: 'owner@example.com', external_id: dir.other });
      light = ((await call('GET', `/api/apps/${z.id}/provisioning/roles`)).items as Json[]).find((r) => r.label === 'Light agent')!;
      zd.light = await z.zendeskUser({ name: 'Light Agent', email: 'light@example.com', role: 'agent', custom_role_id: Number(String(light.key).slice('custom:'.length)) });
    }, 60_000);

    it('classifies every category and every kind of conflict, with differences and reasons', async () => {
      const started = await raw('POST', z.base);
      expect(started.statusCode).toBe(202);
      session = await settled(z.base, started.json().id, ['classified']);
      // The account owner (an admin in Zendesk) is new too.
      expect(session.counts).toMatchObject({ new: 4, update: 2, activate: 1, deactivate: 1, conflict: 4, unchanged: 0 });
      expect(session.progress).toMatchObject({ phase: 'classified', done: 12, total: 12 });
      expect(session.notImported.map((n: Json) => n.target).sort()).toEqual(['details', 'phone']);

      const all = await items(z.base, session.id);
      const byTarget = new Map(all.map((i) => [i.targetId, i]));
      expect(byTarget.get(zd.new1)).toMatchObject({ category: 'new', identity: 'ludwig@example.com', directoryUserId: null });
      expect(byTarget.get(zd.new1)!.differences).toEqual(expect.arrayContaining([{ field: 'givenName', directory: null, target: 'Ludwig' }, { field: 'familyName', directory: null, target: 'van Beethoven' }]));
      expect(byTarget.get(zd.upd)).toMatchObject({ category: 'update', directoryUserId: dir.upd });
      // Zendesk's own defaults (time zone, locale) are values the directory does not have yet.
      expect(byTarget.get(zd.upd)!.differences).toEqual([
        { field: 'displayName', directory: 'Old Name', target: 'Fresh Name' },
        { field: 'timeZone', directory: null, target: 'America/New_York' },
        { field: 'locale', directory: null, target: 'en-US' },
        { field: 'givenName', directory: 'Old', target: 'Fresh' },
      ]);
      expect(byTarget.get(zd.act)).toMatchObject({ category: 'activate', directoryUserId: dir.act });
      expect(byTarget.get(zd.deact)).toMatchObject({ category: 'deactivate', directoryUserId: dir.deact });
      expect(byTarget.get(zd.noEmail)).toMatchObject({ category: 'conflict', reasonCode: 'no_email' });
      expect(byTarget.get(zd.twinA)).toMatchObject({ category: 'conflict', reasonCode: 'several_target_users', directoryUserId: dir.twin });
      expect(byTarget.get(zd.twinB)).toMatchObject({ category: 'conflict', reasonCode: 'several_target_users', directoryUserId: dir.twin });
      expect(byTarget.get(zd.owned)).toMatchObject({ category: 'conflict', reasonCode: 'email_owned_by_other_user' });
      expect(byTarget.get(zd.owned)!.reason).toContain('owner@example.com');

      // Filters: category, search by prefix, cursor paging.
      expect((await items(z.base, session.id, '&category=conflict')).map((i) => i.targetId).sort()).toEqual([zd.noEmail, zd.twinA, zd.twinB, zd.owned].sort());
      expect((await items(z.base, session.id, '&search=TWIN')).map((i) => i.identity)).toEqual(['twin-a@example.com', 'twin@example.com']);
      const page1 = await call('GET', `${z.base}/${session.id}/items?limit=5`);
      const page2 = await call('GET', `${z.base}/${session.id}/items?limit=5&cursor=${page1.nextCursor}`);
      const page3 = await call('GET', `${z.base}/${session.id}/items?limit=5&cursor=${page2.nextCursor}`);
      expect([...page1.items, ...page2.items, ...page3.items].map((i: Json) => i.targetId)).toEqual(all.map((i) => i.targetId));
      expect(page3.items).toHaveLength(2);
      expect(page3.nextCursor).toBeNull();
      const listed = await call('GET', z.base);
      expect(listed.items[0]).toMatchObject({ id: session.id, status: 'classified' });
    });

    it('applies a partial selection once, however often it is confirmed', async () => {
      const first = await raw('POST', `${z.base}/${session.id}/confirm`, { targetIds: [zd.new1] }, { 'if-match': `"${session.version}"` });
      expect(first.statusCode).toBe(202);
      expect(first.json().selected).toBe(1);
      const again = await raw('POST', `${z.base}/${session.id}/confirm`, { targetIds: [zd.new1] }, { 'if-match': `"${session.version}"` });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('version_conflict');
      session = await settled(z.base, session.id, ['applied']);
      const repeat = await call('POST', `${z.base}/${session.id}/confirm`, { targetIds: [zd.new1] }, { 'if-match': `"${session.version}"` });
      expect(repeat.selected).toBe(0);
      session = await settled(z.base, session.id, ['applied']);

      const [ludwig] = await t.database.db.select().from(users).where(eq(users.email, 'ludwig@example.com'));
      expect(ludwig).toMatchObject({ givenName: 'Ludwig', familyName: 'van Beethoven', displayName: 'Ludwig van Beethoven', status: 'active' });
      const [assigned] = await t.database.db.select().from(assignments).where(and(eq(assignments.applicationId, z.id), eq(assignments.principalId, ludwig!.id)));
      expect(assigned).toMatchObject({ role: 'agent', principalType: 'user' });
      const [link] = await t.database.db.select().from(links).where(and(eq(links.applicationId, z.id), eq(links.directoryId, ludwig!.id)));
      expect(link).toMatchObject({ targetId: zd.new1, state: 'provisioned' });
      expect(link!.lastHash).toEqual(expect.any(String));
      expect((await z.snapshot()).find((u) => String(u.id) === zd.new1)).toMatchObject({ external_id: ludwig!.id });
      expect(await t.database.db.select().from(users).where(eq(users.email, 'sus@example.com'))).toHaveLength(0);

      const imported = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, z.id), eq(provisioningEvents.action, 'import')));
      expect(imported).toHaveLength(1);
      expect(imported[0]).toMatchObject({ status: 'success', targetId: zd.new1, directoryId: ludwig!.id, identity: 'ludwig@example.com' });
      expect(imported[0]!.changes).toEqual(expect.arrayContaining([{ property: 'external_id', old: null, new: ludwig!.id }, { property: 'directory.email', old: null, new: 'ludwig@example.com' }]));
      const created = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.create'), eq(auditLog.targetId, ludwig!.id)));
      expect(created).toHaveLength(1);
      expect((await items(z.base, session.id, '&applyStatus=applied')).map((i) => i.targetId)).toEqual([zd.new1]);
    });

    it('source profile directory keeps the directory and writes Zendesk; source profile target overwrites the directory', async () => {
      const kept = await call('POST', `${z.base}/${session.id}/confirm`, { targetIds: [zd.keep], sourceProfile: 'directory' }, { 'if-match': `"${session.version}"` });
      expect(kept.selected).toBe(1);
      session = await settled(z.base, session.id, ['applied']);
      expect(await t.database.db.select({ displayName: users.displayName, version: users.version }).from(users).where(eq(users.id, dir.keep!))).toEqual([{ displayName: 'Dir Keeps', version: 1 }]);
      expect((await z.snapshot()).find((u) => String(u.id) === zd.keep)).toMatchObject({ name: 'Dir Keeps', external_id: dir.keep });

      const rest = await call('POST', `${z.base}/${session.id}/confirm`, { categories: ['update', 'activate', 'deactivate'] }, { 'if-match': `"${session.version}"` });
      expect(rest.selected).toBe(3);
      session = await settled(z.base, session.id, ['applied']);
      const rows = new Map((await t.database.db.select().from(users)).map((u) => [u.id, u]));
      expect(rows.get(dir.upd!)).toMatchObject({ displayName: 'Fresh Name', givenName: 'Fresh', familyName: 'Name', timeZone: 'America/New_York', locale: 'en-US', status: 'active' });
      expect(rows.get(dir.act!)).toMatchObject({ status: 'active' });
      expect(rows.get(dir.deact!)).toMatchObject({ status: 'inactive' });
      const [deactLink] = await t.database.db.select().from(links).where(eq(links.directoryId, dir.deact!));
      expect(deactLink).toMatchObject({ targetId: zd.deact, state: 'suspended' });
      const audit = await t.database.db.select({ action: auditLog.action, targetId: auditLog.targetId }).from(auditLog).where(sql`${auditLog.targetId} in (${dir.upd}, ${dir.act}, ${dir.deact})`);
      expect(audit).toEqual(expect.arrayContaining([{ action: 'user.update', targetId: dir.upd }, { action: 'user.activate', targetId: dir.act }, { action: 'user.deactivate', targetId: dir.deact }]));
      expect(session.counts).toMatchObject({ applied: 5, pending: 0, failed: 0 });
      expect(session.progress).toEqual({ phase: 'applied', done: 5, total: 5 });
    });

    it('refuses conflicts and unknown users by name, and an admin without import_users', async () => {
      const bad = await raw('POST', `${z.base}/${session.id}/confirm`, { targetIds: [zd.twinA, '999999'] }, { 'if-match': `"${session.version}"` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues).toEqual([
        { path: 'body.targetIds.0', reason: 'is a conflict and cannot be imported' },
        { path: 'body.targetIds.1', reason: 'is not a user of this session' },
      ]);
      const cases: [string, string, unknown, Record<string, string>, number, string][] = [
        ['POST', `${z.base}/${session.id}/confirm`, { categories: ['conflict'] }, { 'if-match': `"${session.version}"` }, 400, 'body.categories.0'],
        ['POST', `${z.base}/${session.id}/confirm`, { sourceProfile: 'zendesk' }, { 'if-match': `"${session.version}"` }, 400, 'body.sourceProfile'],
        ['POST', `${z.base}/${session.id}/confirm`, { extra: 1 }, { 'if-match': `"${session.version}"` }, 400, 'body'],
        ['POST', `${z.base}/${session.id}/confirm`, {}, {}, 428, 'headers.if-match'],
        ['GET', `${z.base}/${session.id}/items?category=maybe`, undefined, {}, 400, 'query.category'],
        ['GET', `${z.base}/${session.id}/items?cursor=nope`, undefined, {}, 400, 'query.cursor'],
        ['GET', `${z.base}/not-a-uuid`, undefined, {}, 400, 'params.sessionId'],
        ['GET', `${z.base}/00000000-0000-4000-8000-000000000000`, undefined, {}, 404, 'params.sessionId'],
      ];
      for (const [method, url, payload, extra, status, path] of cases) {
        const r = await raw(method as 'GET' | 'POST', url, payload, extra);
        expect({ url, status: r.statusCode }).toEqual({ url, status });
        expect(JSON.stringify(r.json().error.issues ?? [])).toContain(path);
      }
      const viewer = await createTestAdmin(t.database.db, { permissions: ['view_apps', 'assign_apps', 'manage_users', 'view_logs'] });
      for (const [method, url] of [['POST', z.base], ['GET', z.base], ['GET', `${z.base}/${session.id}`], ['POST', `${z.base}/${session.id}/cancel`]] as const) {
        const r = await h.app.inject({ method, url, headers: viewer.headers });
        expect({ url, status: r.statusCode }).toEqual({ url, status: 403 });
      }
    });

    it('a new session finds the imported users unchanged, and a linked account deleted in Zendesk as a user to deactivate', async () => {
      await z.zendesk('DELETE', `/api/v2/users/${zd.new1}`);
      const second = await settled(z.base, (await call('POST', z.base)).id, ['classified']);
      const byTarget = new Map((await items(z.base, second.id)).map((i) => [i.targetId, i]));
      for (const id of [zd.upd, zd.act, zd.deact]) expect(byTarget.get(id!)).toMatchObject({ category: 'unchanged', differences: [] });
      const [ludwig] = await t.database.db.select().from(users).where(eq(users.email, 'ludwig@example.com'));
      expect(byTarget.get(zd.new1)).toMatchObject({ category: 'deactivate', reasonCode: 'deleted_in_target', directoryUserId: ludwig!.id, identity: 'ludwig@example.com' });
      const confirmed = await call('POST', `${z.base}/${second.id}/confirm`, { categories: ['deactivate'] }, { 'if-match': `"${second.version}"` });
      expect(confirmed.selected).toBe(1);
      await settled(z.base, second.id, ['applied']);
      expect(await t.database.db.select({ status: users.status }).from(users).where(eq(users.id, ludwig!.id))).toEqual([{ status: 'inactive' }]);
    });

    it('the next cycle creates nobody, duplicates nobody and updates nobody it imported', async () => {
      const rest = await call('POST', `${z.base}/${session.id}/confirm`, { categories: ['new'] }, { 'if-match': `"${session.version}"` });
      expect(rest.selected).toBe(3);
      session = await settled(z.base, session.id, ['applied']);
      const [lightUser] = await t.database.db.select().from(users).where(eq(users.email, 'light@example.com'));
      expect(await t.database.db.select({ role: assignments.role, roleLabel: assignments.roleLabel }).from(assignments).where(eq(assignments.principalId, lightUser!.id))).toEqual([{ role: light.key, roleLabel: 'Light agent' }]);
      const before = await z.snapshot();
      await call('POST', `/api/apps/${z.id}/provisioning/enable`);
      const cycle = await until('the initial cycle', async () => (await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, z.id))).find((c) => c.kind === 'initial' && c.status !== 'running'));
      expect(cycle).toMatchObject({ status: 'completed' });
      expect(cycle.counts).toMatchObject({ created: 0, updated: 0, linked: 0, suspended: 0, unsuspended: 0, deleted: 0, failed: 0 });
      const after = await z.snapshot();
      expect(after.length).toBe(before.length);
      const emails = after.flatMap((u) => (u.email ? [String(u.email).toLowerCase()] : []));
      expect(new Set(emails).size).toBe(emails.length);
      const events = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, z.id), eq(provisioningEvents.cycleId, cycle.id)));
      // Only the link to Ludwig's account, deleted in Zendesk above, is dropped (logged as link_mismatch); nothing is sent.
      expect(events.filter((e) => e.action !== 'skip' && e.errorCode !== 'link_mismatch')).toEqual([]);
      expect(events.filter((e) => e.errorCode === 'link_mismatch').map((e) => [e.action, e.status, e.targetId])).toEqual([['unlink', 'skipped', zd.new1]]);
    });
  });

  it('cancel stops a session and drops what was not applied', async () => {
    const z = await connectedApp(`imp-cancel-${driver}`);
    await control('POST', `/__sandbox/accounts/${z.account.subdomain}/seed`, { count: 5, prefix: 'cancel' });
    const s = await settled(z.base, (await call('POST', z.base)).id, ['classified']);
    const cancelled = await call('POST', `${z.base}/${s.id}/cancel`, undefined, { 'if-match': `"${s.version}"` });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    const again = await raw('POST', `${z.base}/${s.id}/confirm`, {}, { 'if-match': `"${cancelled.version}"` });
    expect(again.statusCode).toBe(409);
    expect((await raw('POST', `${z.base}/${s.id}/cancel`)).statusCode).toBe(409);
  });
});
