/**
 * Users left out by a scoping filter get a provisioning log entry naming the clause in words
 * (issue 13: "Out of scope: clause department equals Sales was false"), on real cycles run by the
 * worker: an assigned user a filter leaves out is logged as an `out_of_scope` skip, and a user who
 * leaves scope through a change is deprovisioned with the clause as the step's detail.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';

describe.each(openTestDatabase.drivers())('out-of-scope log entries on %s', (driver) => {
  let t: TestDatabase;
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngineHarness(driver);
    ({ t } = h);
  }, 60_000);
  afterAll(async () => h?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => h.call(method, url, payload);
  const eventsOf = (appId: string, userId: string) => t.database.db.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, appId), eq(provisioningEvents.directoryId, userId)));
  const newUser = async (email: string, department: string) => (await call('POST', '/api/users', { email, givenName: email.split('@')[0], familyName: 'Scope', displayName: `${email.split('@')[0]} Scope`, department })).id as string;

  it('an assigned user a filter leaves out is logged with the clause; one who leaves scope is deprovisioned naming it', async () => {
    const sub = `oos-${driver}`;
    const { id } = await h.connectApp(sub);
    const sue = await newUser(`sue@${sub}.test`, 'Sales');
    const bob = await newUser(`bob@${sub}.test`, 'Support');
    const cat = await newUser(`cat@${sub}.test`, 'Support');
    // Dan stays in scope: removing the only provisioned user would be staged for an admin (deletion prevention).
    const dan = await newUser(`dan@${sub}.test`, 'Sales');
    const team = (await call('POST', '/api/groups', { name: `Escalations ${driver}` })).id as string;
    for (const u of [sue, bob, dan]) await call('POST', `/api/apps/${id}/assignments`, { principalType: 'user', principalId: u, role: 'end-user' });
    const current = await call('GET', `/api/apps/${id}/provisioning`);
    const scopingFilters = [
      { name: 'Sales', clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }] },
      { name: 'Escalations', clauses: [{ attribute: 'groups', operator: 'in_group', value: team }] },
    ];
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { scopingFilters }, version: current.version });
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const cycle = await h.until('the initial cycle', async () => (await t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, id))).find((c) => c.kind !== 'incremental' && c.status !== 'running'));
    expect(cycle.status).toBe('completed');

    const reason = `clause department equals Sales was false; clause groups is in group Escalations ${driver} was false`;
    const bobs = await eventsOf(id, bob);
    expect(bobs.filter((e) => e.cycleId === cycle.id)).toMatchObject([
      { action: 'skip', status: 'skipped', errorCode: 'out_of_scope', errorMessage: `Out of scope: ${reason}`, steps: [{ name: 'scope', outcome: 'out of scope', detail: reason }] },
    ]);
    // The assignment's own batch (change-driven) looked for an account to remove first; its entry names the clause too.
    expect(bobs.every((e) => e.status === 'skipped' && e.steps[0]?.detail?.startsWith(reason))).toBe(true);
    expect((await eventsOf(id, sue)).map((e) => e.action)).toEqual(['create']);
    // Not assigned (scope: assigned): no candidate, no entry.
    expect(await eventsOf(id, cat)).toEqual([]);

    // Sue moves to Marketing: the change's batch deletes her account, the step naming the clause that is now false.
    await call('PATCH', `/api/users/${sue}`, { department: 'Marketing', version: (await call('GET', `/api/users/${sue}`)).version });
    const deleted = await h.until('Sue deprovisioned', async () => (await eventsOf(id, sue)).find((e) => e.action === 'delete'));
    expect(deleted).toMatchObject({ status: 'success', steps: [{ name: 'scope', outcome: 'out of scope', detail: reason }, { name: 'action', outcome: 'delete' }] });
  }, 90_000);
});
