import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, type Method, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { provisioningCycles, provisioningEvents, provisioningNotifications, provisioningPlans } from '../../db/provisioning-schema.ts';

describe.each(openTestDatabase.drivers())('dry run, approval and deletion threshold against the sandbox on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const request = async (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) => {
    const r = await h.request(method, url, payload, extra);
    return { status: r.statusCode, headers: r.headers, text: r.body, json: (r.body && r.headers['content-type']?.toString().startsWith('application/json') ? r.json() : {}) as Json };
  };
  const call = async (method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}): Promise<Json> => {
    const r = await request(method, url, payload, extra);
    if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${r.text}`);
    return r.json;
  };
  const zendeskUsers = (sub: string) => h.zendeskUsers(sub);
  const activeIds = async (sub: string): Promise<string[]> => (await zendeskUsers(sub)).filter((u) => u.active).map((u) => u.external_id as string).sort();
  const until = <T>(what: string, probe: () => Promise<T | undefined | false | null>, ms = 60_000) => h.until(what, probe, ms);
  const relayed = () => h.relayed();
  const newUser = async (email: string, givenName: string, familyName: string, extra: Record<string, unknown> = {}) =>
    (await call('POST', '/api/users', { email, givenName, familyName, displayName: `${givenName} ${familyName}`, ...extra })).id as string;
  const assign = async (appId: string, userId: string, role = 'end-user') => (await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: userId, role })).id as string;
  const config = (appId: string) => call('GET', `/api/apps/${appId}/provisioning`);
  const patchSettings = async (appId: string, settings: Record<string, unknown>) => call('PATCH', `/api/apps/${appId}/provisioning`, { settings, version: (await config(appId)).version });
  const plan = (appId: string, planId: string) => call('GET', `/api/apps/${appId}/provisioning/plans/${planId}`);
  const pendingPlan = async (appId: string, kind: string, not?: string) =>
    (await t.database.db.select().from(provisioningPlans).where(and(eq(provisioningPlans.applicationId, appId), eq(provisioningPlans.kind, kind), eq(provisioningPlans.status, 'pending'))).orderBy(desc(provisioningPlans.createdAt))).find(
      (p) => p.id !== not,
    );
  const fullCycles = async (appId: string) => (await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');
  const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

  /** A switched-on application with `n` users, each assigned alone (so each can be unassigned alone), all created in the sandbox. */
  async function provisionedApp(sub: string, n: number, settings: Record<string, unknown> = {}): Promise<{ id: string; users: string[]; assignments: string[] }> {
    const { id } = await h.connectApp(sub, { settings });
    const users: string[] = [];
    const assignments: string[] = [];
    for (let i = 0; i < n; i++) {
      users.push(await newUser(`${sub}-${i}@example.com`, 'User', `${sub} ${i}`, { department: 'Support' }));
      assignments.push(await assign(id, users[i]!));
    }
    await relayed();
    if (n > 0) {
      await call('POST', `/api/apps/${id}/provisioning/enable`);
      await until('the initial cycle', async () => (await fullCycles(id)).some((c) => c.status === 'completed') && (await activeIds(sub)).length === n);
    }
    return { id, users, assignments };
  }
  /** Unassigns while paused (the relay skips paused applications), then resumes: one full cycle sees every removal at once. */
  async function unassignInOneCycle(appId: string, assignmentIds: string[]): Promise<void> {
    await call('POST', `/api/apps/${appId}/provisioning/pause`);
    for (const a of assignmentIds) await call('DELETE', `/api/apps/${appId}/assignments/${a}`);
    await relayed();
    await call('POST', `/api/apps/${appId}/provisioning/resume`);
  }
  const stagedPause = (appId: string) => until('the staged removals to pause the application', async () => ((await config(appId)).state === 'paused' && (await config(appId)).stateReason?.code === 'deletion_threshold' ? (await config(appId)).stateReason : null));

  it('a dry run counts what the initial cycle then does, applies nothing, and pages, filters and exports its actions', async () => {
    const sub = 'gate-dry';
    const { id } = await h.connectApp(sub, { displayName: 'Zendesk dry' });
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await newUser(`dry-${i}@example.com`, 'Dry', `Run ${i}`));
    for (const u of users) await assign(id, u);
    await assign(id, await newUser('dry-default@example.com', 'Dry', 'Default'), 'default-access');
    await relayed();

    const requested = await request('POST', `/api/apps/${id}/provisioning/dry-runs`);
    expect(requested.status).toBe(202);
    expect(requested.json.plan).toMatchObject({ kind: 'dry_run', status: 'computing' });
    const planId = requested.json.plan.id as string;
    const ready = await until('the dry run', async () => {
      const p = await plan(id, planId);
      return p.status === 'ready' ? p : null;
    });
    expect(ready.counts).toEqual({ create: 3, skip: 1, unchanged: 0 });
    expect(await zendeskUsers(sub)).toHaveLength(0);
    expect((await call('GET', `/api/apps/${id}/provisioning/plans?kind=dry_run`)).items.map((p: Json) => p.id)).toEqual([planId]);

    const first = await call('GET', `/api/apps/${id}/provisioning/plans/${planId}/actions?limit=3`);
    expect(first.items).toHaveLength(3);
    const second = await call('GET', `/api/apps/${id}/provisioning/plans/${planId}/actions?limit=3&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const creates = await call('GET', `/api/apps/${id}/provisioning/plans/${planId}/actions?action=create`);
    expect(creates.items.map((a: Json) => a.identity).sort()).toEqual(['dry-0@example.com', 'dry-1@example.com', 'dry-2@example.com']);
    expect(creates.items[0].changes).toEqual(expect.arrayContaining([{ property: 'role', old: null, new: 'end-user' }]));
    const skip = (await call('GET', `/api/apps/${id}/provisioning/plans/${planId}/actions?action=skip`)).items[0];
    expect(skip).toMatchObject({ identity: 'dry-default@example.com', action: 'skip' });
    expect(skip.reason).toMatch(/default access/i);
    expect((await request('GET', `/api/apps/${id}/provisioning/plans/${planId}/actions?cursor=nope`)).json.error.issues[0].path).toBe('query.cursor');

    const csv = await request('GET', `/api/apps/${id}/provisioning/plans/${planId}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`roster-plan-${planId}.csv`);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('seq,identity,directoryId,targetId,action,changes,reason');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('dry-0@example.com'))).toContain('name: (empty) → Dry Run 0');
    const jsonl = await request('GET', `/api/apps/${id}/provisioning/plans/${planId}/export?format=jsonl&action=create`);
    expect(jsonl.text.trim().split('\n').map((l) => JSON.parse(l).action)).toEqual(['create', 'create', 'create']);

    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const cycle = await until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status === 'completed'));
    expect(cycle.counts).toMatchObject({ created: ready.counts.create, skipped: ready.counts.skip, failed: 0 });
    // A dry run is a preview: it cannot be approved.
    expect((await request('POST', `/api/apps/${id}/provisioning/plans/${planId}/approve`, undefined, ifMatch(ready.version))).status).toBe(409);
  }, 120_000);

  it('with approval required nothing is applied until approve; stale approve is 409; a user changed since is not applied; discard applies nothing', async () => {
    const sub = 'gate-approve';
    const { id } = await h.connectApp(sub, { displayName: 'Zendesk approve' });
    await patchSettings(id, { requireApproval: true });
    const ann = await newUser('ann@example.com', 'Ann', 'Approved');
    const ben = await newUser('ben@example.com', 'Ben', 'Withdrawn');
    await assign(id, ann);
    const benAssignment = await assign(id, ben);
    await relayed();
    await call('POST', `/api/apps/${id}/provisioning/enable`);

    const cycle = await until('the initial cycle', async () => (await fullCycles(id)).find((c) => c.status === 'completed'));
    expect(cycle.error).toMatchObject({ code: 'awaiting_approval' });
    expect(await zendeskUsers(sub)).toHaveLength(0);
    const status = await call('GET', `/api/apps/${id}/provisioning/status`);
    expect(status.awaitingApproval).toBe(true);
    expect(status.pendingPlan).toMatchObject({ kind: 'approval', counts: { create: 2 } });
    const planId = status.pendingPlan.id as string;
    const kept = await plan(id, planId);
    expect(kept).toMatchObject({ kind: 'approval', status: 'pending', cycleId: cycle.id, reason: { code: 'approval_required' } });
    const notes = await t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.applicationId, id));
    expect(notes.map((n) => n.kind)).toEqual(['approval_required']);

    // Ben is unassigned after the plan was made: his create must not go out with the approval.
    await call('DELETE', `/api/apps/${id}/assignments/${benAssignment}`);
    await relayed();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await zendeskUsers(sub)).toHaveLength(0);

    const stale = await request('POST', `/api/apps/${id}/provisioning/plans/${planId}/approve`, undefined, ifMatch(kept.version + 1));
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('version_conflict');
    expect((await request('POST', `/api/apps/${id}/provisioning/plans/${planId}/approve`)).status).toBe(428);
    const approved = await request('POST', `/api/apps/${id}/provisioning/plans/${planId}/approve`, undefined, ifMatch(kept.version));
    expect(approved.status).toBe(202);
    expect(approved.json).toMatchObject({ status: 'approved', decidedAt: expect.any(String) });
    const applied = await until('the approved plan to be applied', async () => {
      const p = await plan(id, planId);
      return p.status === 'applied' ? p : null;
    });
    expect(applied.reason.result).toMatchObject({ applied: 1, outdated: 1 });
    expect((await zendeskUsers(sub)).map((u) => u.email)).toEqual(['ann@example.com']);
    const [outdated] = await t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, id), eq(provisioningEvents.directoryId, ben)));
    expect(outdated).toMatchObject({ action: 'create', status: 'skipped', errorCode: 'plan_outdated' });
    expect((await request('POST', `/api/apps/${id}/provisioning/plans/${planId}/discard`, undefined, ifMatch(applied.version))).status).toBe(409);

    // A rename waits for the next plan instead of going out as an incremental change.
    await call('PATCH', `/api/users/${ann}`, { familyName: 'Renamed', displayName: 'Ann Renamed', version: (await call('GET', `/api/users/${ann}`)).version });
    await relayed();
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await zendeskUsers(sub))[0]?.name).toBe('Ann Approved');
    await call('POST', `/api/apps/${id}/provisioning/cycles`);
    const next = await until('the next plan', () => pendingPlan(id, 'approval'));
    expect(next.counts).toMatchObject({ update: 1 });
    // A newer cycle supersedes the pending plan (its actions are dropped); the same content is not mailed again.
    await call('POST', `/api/apps/${id}/provisioning/cycles`);
    const newer = await until('a newer plan', () => pendingPlan(id, 'approval', next.id));
    expect((await plan(id, next.id)).status).toBe('superseded');
    expect((await call('GET', `/api/apps/${id}/provisioning/plans/${next.id}/actions`)).items).toEqual([]);
    const mailed = await t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.applicationId, id));
    expect(mailed.filter((n) => n.kind === 'approval_required')).toHaveLength(2);
    const discarded = await request('POST', `/api/apps/${id}/provisioning/plans/${newer.id}/discard`, undefined, ifMatch(newer.version));
    expect(discarded.status).toBe(200);
    expect(discarded.json.status).toBe('discarded');
    await new Promise((r) => setTimeout(r, 500));
    expect((await zendeskUsers(sub))[0]?.name).toBe('Ann Approved');
    expect((await call('GET', `/api/apps/${id}/provisioning/status`)).awaitingApproval).toBe(false);
  }, 120_000);

  it('a full cycle above the count threshold stages its deletes and pauses; allow applies them and resumes', async () => {
    const sub = 'gate-count';
    const { id, users, assignments } = await provisionedApp(sub, 4, { deletionThreshold: { enabled: true, count: 2, percent: null } });
    await unassignInOneCycle(id, assignments.slice(0, 3));
    const reason = await stagedPause(id);
    expect(reason).toMatchObject({ limit: 'count', planned: 3, removing: 3, provisioned: 4, count: 2 });
    expect(await activeIds(sub)).toEqual([...users].sort());
    const staged = (await pendingPlan(id, 'staged_deletions'))!;
    expect(staged.counts).toEqual({ delete: 3 });
    expect(reason.planId).toBe(staged.id);
    const notes = await t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.applicationId, id));
    expect(notes.map((n) => n.kind)).toContain('staged_deletions');
    expect((await call('GET', `/api/apps/${id}/provisioning/status`)).pendingPlan).toMatchObject({ id: staged.id, kind: 'staged_deletions' });

    const allowed = await request('POST', `/api/apps/${id}/provisioning/plans/${staged.id}/approve`, undefined, ifMatch(staged.version));
    expect(allowed.status).toBe(202);
    await until('the allowed deletes', async () => (await activeIds(sub)).length === 1);
    expect(await activeIds(sub)).toEqual([users[3]]);
    const after = await until('the application to resume', async () => {
      const c = await config(id);
      return c.state !== 'paused' ? c : null;
    });
    expect(after.stateReason).toBeNull();
    expect((await plan(id, staged.id)).status).toBe('applied');
  }, 120_000);

  it('a full cycle above the percent threshold is staged; discard resumes, and the next cycle stages the removals again', async () => {
    const sub = 'gate-pct';
    const { id, users, assignments } = await provisionedApp(sub, 4, { deletionThreshold: { enabled: true, count: null, percent: 30 } });
    await unassignInOneCycle(id, assignments.slice(0, 2));
    const reason = await stagedPause(id);
    expect(reason).toMatchObject({ limit: 'percent', planned: 2, provisioned: 4, percent: 30 });
    const staged = (await pendingPlan(id, 'staged_deletions'))!;
    const discarded = await request('POST', `/api/apps/${id}/provisioning/plans/${staged.id}/discard`, undefined, ifMatch(staged.version));
    expect(discarded.json.status).toBe('discarded');
    // The cause (the unassignments) remains: the catch-up cycle stages the same removals again.
    const again = await until('the removals to be staged again', () => pendingPlan(id, 'staged_deletions', staged.id));
    expect(again.counts).toEqual({ delete: 2 });
    expect((await stagedPause(id)).planId).toBe(again.id);
    expect(await activeIds(sub)).toEqual([...users].sort());
  }, 120_000);

  it('incremental removals in a burst count together: the one that passes the count is staged', async () => {
    const sub = 'gate-burst';
    const { id, users, assignments } = await provisionedApp(sub, 4, { deletionThreshold: { enabled: true, count: 2, percent: null } });
    for (let i = 0; i < 2; i++) {
      await call('DELETE', `/api/apps/${id}/assignments/${assignments[i]}`);
      await until(`removal ${i + 1}`, async () => !(await activeIds(sub)).includes(users[i]!));
    }
    await call('DELETE', `/api/apps/${id}/assignments/${assignments[2]}`);
    const reason = await stagedPause(id);
    expect(reason).toMatchObject({ limit: 'count', planned: 1, removing: 3, recent: 2, burstMinutes: 10, counts: { delete: 1 } });
    expect(await activeIds(sub)).toEqual([users[2], users[3]].sort());
    const staged = (await pendingPlan(id, 'staged_deletions'))!;
    expect(staged.counts).toEqual({ delete: 1 });
    // The pause's reason and the plan count the same removal, say why the two applied before it counted, and the Why column is filled.
    expect(reason.message).toMatch(/^1 removal held back \(Delete user: 1\): with the 2 removals applied in the last 10 minutes they make 3, more than the threshold of 2\. Removals made by change-driven runs count together for 10 minutes/);
    expect(staged.reason).toMatchObject({ message: reason.message });
    expect((await call('GET', `/api/apps/${id}/provisioning/plans/${staged.id}/actions`)).items).toMatchObject([{ action: 'delete', reason: 'Out of scope: no longer assigned' }]);
  }, 120_000);

  it('a scoping filter that drops everyone is staged even with the threshold off; allow deprovisions them', async () => {
    const sub = 'gate-all';
    const { id, users } = await provisionedApp(sub, 2, { deletionThreshold: { enabled: false, count: 500, percent: null } });
    await patchSettings(id, { scopingFilters: [{ name: 'Nobody', clauses: [{ attribute: 'department', operator: 'equals', value: 'Nobody' }] }] });
    await call('POST', `/api/apps/${id}/provisioning/cycles`);
    const reason = await stagedPause(id);
    expect(reason).toMatchObject({ limit: 'everyone', planned: 2, provisioned: 2 });
    expect(await activeIds(sub)).toEqual([...users].sort());
    const staged = (await pendingPlan(id, 'staged_deletions'))!;
    await call('POST', `/api/apps/${id}/provisioning/plans/${staged.id}/approve`, undefined, ifMatch(staged.version));
    await until('the deprovisioning', async () => (await activeIds(sub)).length === 0);
    await until('the application to resume', async () => (await config(id)).state !== 'paused');
  }, 120_000);

  it('thresholds out of range are refused on save, naming the field and the reason', async () => {
    const { id } = await provisionedApp('gate-bad', 0);
    const version = (await config(id)).version;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ count: 0 }, 'body.settings.deletionThreshold.count', /at least 1/],
      [{ count: 2.5 }, 'body.settings.deletionThreshold.count', /whole number/],
      [{ percent: 0 }, 'body.settings.deletionThreshold.percent', /at least 1 percent/],
      [{ percent: 101 }, 'body.settings.deletionThreshold.percent', /at most 100/],
      [{ enabled: true, count: null, percent: null }, 'body.settings.deletionThreshold.count', /set count or percent/],
    ];
    for (const [deletionThreshold, path, reason] of cases) {
      const r = await request('PATCH', `/api/apps/${id}/provisioning`, { settings: { deletionThreshold }, version });
      expect(r.status, JSON.stringify(deletionThreshold)).toBe(400);
      const issue = (r.json.error.issues as Json[]).find((i) => i.path === path);
      expect(issue?.reason, JSON.stringify(r.json.error.issues)).toMatch(reason);
    }
    expect((await config(id)).settings.deletionThreshold).toEqual({ enabled: true, count: 500, percent: null });
    const ok = await request('PATCH', `/api/apps/${id}/provisioning`, { settings: { deletionThreshold: { enabled: true, count: null, percent: 10 } }, version });
    expect(ok.status).toBe(200);
  }, 60_000);
});
