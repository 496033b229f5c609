import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { createTestAdmin } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import type { SmtpSink } from '../../../test/smtp-sink.ts';
import type { ApiApp } from '../../api/context.ts';
import { links, provisioningConfigs, provisioningCycles, provisioningNotifications, provisioningPlans, provisioningRetries } from '../../db/provisioning-schema.ts';
import { auditLog } from '../../db/schema.ts';
import type { LeaseKind } from '../run/cycle-lease.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';

const OPS = 'ops@example.test';

describe.each(openTestDatabase.drivers())('escrow, quarantine, restart and failure emails against the sandbox on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let smtp: SmtpSink;
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await openEngineHarness(driver, { smtp: true, env: { ROSTER_PUBLIC_URL: 'https://roster.example.test' } });
    ({ t, app } = harness);
    smtp = harness.smtp!;
  }, 60_000);
  afterAll(async () => harness?.close());

  const request = (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) => harness.request(method, url, payload, extra);
  const call = (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) => harness.call(method, url, payload, extra);
  const control = (method: string, path: string, body?: unknown) => harness.control(method, path, body);
  const zendeskUsers = (sub: string) => harness.zendeskUsers(sub);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => harness.until(what, probe, ms);
  const newUser = async (email: string, name: string) => (await call('POST', '/api/users', { email, givenName: name, familyName: 'Test', displayName: `${name} Test` })).id as string;
  const configRow = async (id: string) => (await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id)))[0]!;
  const notifications = async (id: string) => t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.applicationId, id)).orderBy(provisioningNotifications.id);
  const mailsFor = (name: string) => smtp.received.filter((m) => m.subject.includes(`"${name}"`));
  const patchSettings = async (id: string, settings: Record<string, unknown>) => call('PATCH', `/api/apps/${id}/provisioning`, { settings, version: (await call('GET', `/api/apps/${id}/provisioning`)).version });
  const minutesUntil = (d: Date | null) => Math.round(((d?.getTime() ?? 0) - Date.now()) / 60_000);

  const relayed = () => harness.relayed();

  /** Runs the engine now, waiting out a batch the relay may be running. */
  async function runNow(id: string, kind: LeaseKind) {
    // Retry backoff and Retry-After waits last at most 20 ms (a failing Zendesk is retried the same number
    // of times; no assertion here reads the clock between retries). Job polls keep their 20 ms.
    const env = harness.engineEnv({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
    for (let i = 0; i < 200; i++) {
      const r = await runProvisioning(env, id, kind);
      if (r.status !== 'busy') return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the application stayed busy');
  }

  /**
   * An application on the sandbox account `sub` (created first) with failure emails to OPS, its
   * users assigned and relayed, switched on without a job (the tests drive the cycles).
   */
  async function quietApp(sub: string, name: string, emails: string[], settings: Record<string, unknown> = {}): Promise<{ id: string; users: string[] }> {
    const acct = (await control('GET', `/__sandbox/accounts/${sub}`)).account as Json;
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: name, settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    // Users only: the figures below count user actions (group provisioning has its own tests).
    await patchSettings(id, { notificationEmail: OPS, sendFailureEmails: true, provisionGroups: false, ...settings });
    const users: string[] = [];
    for (const [i, email] of emails.entries()) users.push(await newUser(email, `U${i}`));
    const group = (await call('POST', '/api/groups', { name: `Group ${sub}` })).id as string;
    await call('POST', `/api/groups/${group}/members/bulk`, { members: users.map((memberId) => ({ memberType: 'user', memberId })) });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'end-user' });
    await relayed();
    await t.database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, id));
    return { id, users };
  }
  const account = (sub: string) => control('POST', '/__sandbox/accounts', { subdomain: sub, pace: { queueDelayMs: 10, perItemMs: 1 } });

  it('≥ 50% of ≥ 10 actions failing quarantines (one email); escrow is listed and retried with a growing delay; a pause keeps the quarantine; the next good cycle lifts it (one email)', async () => {
    const sub = `hl-rate-${driver}`;
    const name = `Zendesk rate ${driver}`;
    await account(sub);
    // Ten Zendesk accounts hold the emails Roster will create, under other external ids: matching by external id only misses them, and Zendesk refuses each create (422).
    await control('POST', `/__sandbox/accounts/${sub}/seed`, { count: 10, prefix: 'squat' });
    const taken = (await zendeskUsers(sub)).map((u) => u.email as string);
    expect(taken).toHaveLength(10);
    const { id, users } = await quietApp(sub, name, [...taken, `fine1-${driver}@example.com`, `fine2-${driver}@example.com`], { matching: ['external_id'] });

    const first = await runNow(id, 'initial');
    expect(first.status).toBe('done');
    const quarantined = await configRow(id);
    expect(quarantined.state).toBe('quarantined');
    expect(quarantined.stateReason).toMatchObject({ code: 'quarantined', cause: 'failure_rate', attempted: 12, failed: 10 });
    expect(String(quarantined.stateReason?.['message'])).toContain('10 of 12 actions failed');
    expect(String(quarantined.stateReason?.['advice'])).toMatch(/provisioning log/);
    expect(minutesUntil(quarantined.nextCycleAt)).toBe(60);
    const status = await call('GET', `/api/apps/${id}/provisioning/status`);
    expect(status).toMatchObject({ state: 'quarantined', stateReason: { cause: 'failure_rate', advice: expect.any(String) }, escrowed: 10, quarantine: { cause: 'failure_rate', since: expect.any(String) } });

    // Escrow: the ten refused users, one attempt each, due in a minute, with the error and its advice.
    const escrow = await call('GET', `/api/apps/${id}/provisioning/escrow?limit=4`);
    expect(escrow.items).toHaveLength(4);
    expect(escrow.items[0]).toMatchObject({ objectType: 'user', attempts: 1, identity: expect.stringContaining('@'), lastError: { code: expect.stringContaining('zendesk.'), advice: expect.any(String), class: 'object' } });
    expect(minutesUntil(new Date(escrow.items[0].nextAttemptAt))).toBe(1);
    const rest = await call('GET', `/api/apps/${id}/provisioning/escrow?limit=50&cursor=${escrow.nextCursor}`);
    expect(rest.items).toHaveLength(6);
    expect(rest.nextCursor).toBeNull();
    const escrowed = [...escrow.items, ...rest.items].map((i: Json) => i.directoryId as string);
    expect(new Set(escrowed)).toEqual(new Set(users.slice(0, 10)));

    // Retry two now: their sync runs at once, fails again (the email is still taken), and the next attempt moves out to 2 minutes.
    const retried = await call('POST', `/api/apps/${id}/provisioning/escrow/retry`, { directoryIds: escrowed.slice(0, 2) });
    expect(retried).toMatchObject({ queued: 2 });
    const again = await until('the second attempts', async () => {
      const rows = await t.database.db.select().from(provisioningRetries).where(eq(provisioningRetries.applicationId, id));
      const two = rows.filter((r) => escrowed.slice(0, 2).includes(r.directoryId));
      return two.every((r) => r.attempts === 2) ? two : undefined;
    });
    for (const r of again) expect(minutesUntil(r.nextAttemptAt)).toBe(2);
    expect((await configRow(id)).state).toBe('quarantined');

    // A pause hides the quarantine, resuming brings it back with its reason.
    await call('POST', `/api/apps/${id}/provisioning/pause`);
    expect((await configRow(id)).state).toBe('paused');
    const resumed = await call('POST', `/api/apps/${id}/provisioning/resume`);
    expect(resumed).toMatchObject({ state: 'quarantined', stateReason: { cause: 'failure_rate' } });

    // The admin fixes the matching: the next full cycle links the ten, succeeds and lifts the quarantine.
    await patchSettings(id, { matching: ['external_id', 'email'] });
    await until('the lift', async () => {
      const r = await runNow(id, 'on_demand');
      return r.status === 'done' && (await configRow(id)).state === 'idle';
    });
    const lifted = await configRow(id);
    expect(lifted.stateReason).toBeNull();
    expect(minutesUntil(lifted.nextCycleAt)).toBe(40);
    expect(await t.database.db.select().from(provisioningRetries).where(eq(provisioningRetries.applicationId, id))).toEqual([]);
    expect((await zendeskUsers(sub)).length).toBe(12);
    // (escrowed is not asserted here: a relay batch that met the running cycle waits in escrow for the tick, by design.)
    // Such a batch may also hold the application for a moment (`running`): the status is read once no run does.
    const idle = await until('no run holding the application', async () => {
      const s = await call('GET', `/api/apps/${id}/provisioning/status`);
      return s.state !== 'running' && s;
    });
    expect(idle).toMatchObject({ state: 'idle', quarantine: null });

    // One email per state change; each is its own job, so they may reach the SMTP server in either order.
    const arrived = await until('both emails', async () => (mailsFor(name).length >= 2 ? mailsFor(name) : undefined));
    const sent = [...arrived].sort((a, b) => Number(a.subject.includes('lifted')) - Number(b.subject.includes('lifted')));
    expect(sent.map((m) => m.subject)).toEqual([`Roster: "${name}" provisioning quarantined`, `Roster: "${name}" provisioning quarantine lifted`]);
    expect(sent.every((m) => m.envelopeTo.join() === OPS)).toBe(true);
    expect(sent[0]!.text).toContain('10 failed');
    expect(sent[0]!.text).toContain(`https://roster.example.test/apps/${id}`);
    // The row says `sent` once the SMTP server accepted the message (just after it arrived).
    const rows = await until('both rows sent', async () => ((await notifications(id)).every((n) => n.status !== 'queued') ? notifications(id) : undefined));
    expect(rows.map((n) => [n.kind, n.status])).toEqual([
      ['quarantined', 'sent'],
      ['quarantine_lifted', 'sent'],
    ]);
    const listed = await call('GET', `/api/apps/${id}/provisioning/notifications`);
    expect(listed.items.map((n: Json) => n.kind)).toEqual(['quarantine_lifted', 'quarantined']);
  }, 120_000);

  it('every call failing (Zendesk answering 500): one cycle_failed email, quarantine after three failed runs with slowed cycles, lifted when Zendesk is back', async () => {
    const sub = `hl-down-${driver}`;
    const name = `Zendesk down ${driver}`;
    await account(sub);
    const { id } = await quietApp(sub, name, [`d1-${driver}@example.com`, `d2-${driver}@example.com`]);
    expect(await runNow(id, 'initial')).toMatchObject({ status: 'done', stopped: false });
    await control('PUT', `/__sandbox/accounts/${sub}/faults`, { errorRate: 1 });
    for (let i = 1; i <= 3; i++) {
      await runNow(id, 'on_demand');
      const row = await configRow(id);
      expect(row.state).toBe(i < 3 ? 'idle' : 'quarantined');
      expect(row.health['failedRuns']).toBe(i);
    }
    const q = await configRow(id);
    expect(q.stateReason).toMatchObject({ cause: 'failed_runs', failedRuns: 3, error: { code: expect.any(String) } });
    expect(minutesUntil(q.nextCycleAt)).toBe(60);
    await runNow(id, 'periodic');
    expect(minutesUntil((await configRow(id)).nextCycleAt)).toBe(120);
    expect((await notifications(id)).map((n) => n.kind)).toEqual(['cycle_failed', 'quarantined']);

    await control('PUT', `/__sandbox/accounts/${sub}/faults`, {});
    await runNow(id, 'periodic');
    expect((await configRow(id)).state).toBe('idle');
    expect((await notifications(id)).map((n) => n.kind)).toEqual(['cycle_failed', 'quarantined', 'quarantine_lifted']);
    const sent = await until('three emails', async () => (mailsFor(name).length >= 3 ? mailsFor(name) : undefined));
    expect(sent.map((m) => m.subject.replace(`"${name}" `, ''))).toEqual(['Roster: provisioning cycle failed', 'Roster: provisioning quarantined', 'Roster: provisioning quarantine lifted']);
  }, 120_000);

  it('refused credentials quarantine at once with a credentials_expired email and keep the change in escrow; a new token lifts it and applies the change', async () => {
    const sub = `hl-cred-${driver}`;
    const name = `Zendesk credentials ${driver}`;
    await account(sub);
    const { id, users } = await quietApp(sub, name, [`c1-${driver}@example.com`]);
    expect(await runNow(id, 'initial')).toMatchObject({ status: 'done', stopped: false });
    const acct = (await control('GET', `/__sandbox/accounts/${sub}`)).account as Json;
    // The token is revoked in Zendesk: Roster now holds one Zendesk refuses.
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: 'revoked-token' });
    const u = users[0]!;
    await call('PATCH', `/api/users/${u}`, { familyName: 'Pending', displayName: 'Cred Pending', version: (await call('GET', `/api/users/${u}`)).version });
    const row = await until('the quarantine', async () => {
      const r = await configRow(id);
      return r.state === 'quarantined' && r.health['quarantinedAt'] ? r : undefined;
    });
    expect(row.stateReason).toMatchObject({ cause: 'configuration', error: { code: 'zendesk.unauthorized' }, advice: expect.stringMatching(/credentials|token/i) });
    const escrow = await until('the escrowed change', async () => {
      const e = await call('GET', `/api/apps/${id}/provisioning/escrow`);
      return e.items.length ? e.items : undefined;
    });
    expect(escrow.map((i: Json) => i.directoryId)).toEqual([u]);
    const [mail] = await until('the email', async () => (mailsFor(name).length ? mailsFor(name) : undefined));
    expect(mail!.subject).toBe(`Roster: "${name}" provisioning credentials refused, quarantined`);
    expect(mail!.text).toMatch(/reconnect/i);

    // Saving a working token asks for a cycle at once; it succeeds, lifts the quarantine and applies the change.
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    await until('the lift', async () => (await configRow(id)).state === 'idle');
    await until('the pending rename in Zendesk', async () => (await zendeskUsers(sub)).find((z) => z.external_id === u)?.name === 'Cred Pending');
    expect((await notifications(id)).map((n) => n.kind)).toEqual(['credentials_expired', 'quarantine_lifted']);
  }, 120_000);

  it('escrow, notifications and restart check permissions and name the bad field', async () => {
    const sub = `hl-input-${driver}`;
    await account(sub);
    const { id } = await quietApp(sub, `Zendesk input ${driver}`, [`i1-${driver}@example.com`]);
    const reader = (await createTestAdmin(t.database.db, { permissions: ['view_logs', 'view_apps'] })).headers;
    const as = (h: { authorization: string }, method: 'GET' | 'POST', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
      app.inject({ method, url, headers: { ...h, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect((await as(reader, 'GET', `/api/apps/${id}/provisioning/escrow`)).statusCode).toBe(200);
    expect((await as(reader, 'GET', `/api/apps/${id}/provisioning/notifications`)).statusCode).toBe(200);
    expect((await as(reader, 'POST', `/api/apps/${id}/provisioning/escrow/retry`, {})).statusCode).toBe(403);
    expect((await as(reader, 'POST', `/api/apps/${id}/provisioning/restart`, { links: 'keep' }, { 'if-match': '"1"' })).statusCode).toBe(403);

    const version = (await call('GET', `/api/apps/${id}/provisioning`)).version as number;
    const bad = async (method: 'GET' | 'POST', url: string, payload: unknown, path: string, extra: Record<string, string> = {}) => {
      const r = await request(method, url, payload, extra);
      expect(r.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(JSON.stringify(r.json())).toContain(path);
    };
    await bad('POST', `/api/apps/${id}/provisioning/restart`, { links: 'maybe' }, 'body.links', { 'if-match': `"${version}"` });
    await bad('POST', `/api/apps/${id}/provisioning/restart`, { links: 'keep', extra: 1 }, 'body', { 'if-match': `"${version}"` });
    await bad('POST', `/api/apps/${id}/provisioning/escrow/retry`, { directoryIds: ['not-a-uuid'] }, 'body.directoryIds.0');
    await bad('GET', `/api/apps/${id}/provisioning/escrow?cursor=garbage`, undefined, 'query.cursor');
    await bad('GET', `/api/apps/${id}/provisioning/notifications?cursor=${Buffer.from('["x"]').toString('base64url')}`, undefined, 'query.cursor');
    expect((await request('GET', '/api/apps/00000000-0000-4000-8000-000000000000/provisioning/escrow')).statusCode).toBe(404);
    // Retrying when nothing waits is fine and says so.
    expect(await call('POST', `/api/apps/${id}/provisioning/escrow/retry`, {})).toEqual({ queued: 0, directoryIds: [] });
  }, 60_000);

  it('restart keeps or resets links without duplicates, clears escrow, quarantine and pending plans, needs If-Match, and is audited', async () => {
    const sub = `hl-restart-${driver}`;
    await account(sub);
    const { id, users } = await quietApp(sub, `Zendesk restart ${driver}`, [1, 2, 3, 4, 5].map((i) => `r${i}-${driver}@example.com`));
    expect(await runNow(id, 'initial')).toMatchObject({ status: 'done' });
    expect(await zendeskUsers(sub)).toHaveLength(5);
    const quarantine = async () => {
      await t.database.db.update(provisioningConfigs).set({ state: 'quarantined', stateReason: { code: 'quarantined' }, health: { failedRuns: 3, quarantinedAt: new Date().toISOString(), notified: 'quarantined' } }).where(eq(provisioningConfigs.applicationId, id));
      await t.database.db.insert(provisioningRetries).values({ applicationId: id, objectType: 'user', directoryId: users[0]!, attempts: 4, nextAttemptAt: new Date(Date.now() + 3_600_000) });
      await t.database.db.insert(provisioningPlans).values({ applicationId: id, kind: 'staged_deletions', status: 'pending' });
    };

    for (const mode of ['keep', 'reset'] as const) {
      await quarantine();
      const version = (await call('GET', `/api/apps/${id}/provisioning`)).version as number;
      expect((await request('POST', `/api/apps/${id}/provisioning/restart`, { links: mode })).statusCode).toBe(428);
      expect((await request('POST', `/api/apps/${id}/provisioning/restart`, { links: mode }, { 'if-match': `"${version + 5}"` })).statusCode).toBe(409);
      const seen = new Set((await t.database.db.select({ id: provisioningCycles.id }).from(provisioningCycles).where(eq(provisioningCycles.applicationId, id))).map((c) => c.id));
      const r = await call('POST', `/api/apps/${id}/provisioning/restart`, { links: mode }, { 'if-match': `"${version}"` });
      expect(r).toMatchObject({ state: 'idle', stateReason: null, restart: { clearedEscrow: 1, supersededPlans: 1, deletedLinks: mode === 'reset' ? 5 : 0, cycleRequested: true } });
      const row = await configRow(id);
      expect(row.health).toEqual({});
      expect(await t.database.db.select().from(provisioningRetries).where(eq(provisioningRetries.applicationId, id))).toEqual([]);
      // The worker runs the requested initial cycle: with links kept nothing changes; reset, the five are matched again, not created.
      const cycle = await until('the initial cycle after restart', async () => {
        const rows = await t.database.db.select().from(provisioningCycles).where(and(eq(provisioningCycles.applicationId, id), eq(provisioningCycles.kind, 'initial')));
        return rows.find((c) => !seen.has(c.id) && c.status === 'completed');
      });
      expect(cycle.counts).toMatchObject({ created: 0, failed: 0, ...(mode === 'reset' ? { linked: 5 } : {}) });
      expect(await zendeskUsers(sub)).toHaveLength(5);
      expect(await t.database.db.select().from(links).where(eq(links.applicationId, id))).toHaveLength(5);
    }
    // In the order written (without an order PostgreSQL may hand the two rows back either way).
    const audits = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'provisioning.restart'), eq(auditLog.targetId, id))).orderBy(auditLog.id);
    expect(audits.map((a) => (a.after as Json).links)).toEqual(['keep', 'reset']);
  }, 120_000);
});
