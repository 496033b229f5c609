/** The lease's liveness as cycle requests read it: a killed worker's lease stops looking alive long before it is stale. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';
import { acquireCycle, leaseAlive } from './cycle-lease.ts';

describe.each(openTestDatabase.drivers())('cycle lease on %s', (driver) => {
  let t: TestApp;
  let appId: string;
  beforeAll(async () => {
    t = await openTestApp(driver);
    const r = await t.app.inject({ method: 'POST', url: '/api/apps', headers: t.owner.headers, payload: { type: 'zendesk', displayName: 'Lease', settings: { subdomain: 'lease' } } });
    appId = r.json().id;
  });
  afterAll(() => t?.close());

  it('is alive while renewed, not once the heartbeat stopped for two periods, not once finished; a stale one is taken over', async () => {
    const lease = await acquireCycle(t.t.database.db, appId, 'periodic');
    if (!lease.ok) throw new Error('lease not acquired');
    expect(await leaseAlive(t.t.database.db, lease.cycleId)).toBe(true);
    await t.t.database.db.update(provisioningCycles).set({ heartbeatAt: sql`now() - interval '25 seconds'` }).where(eq(provisioningCycles.id, lease.cycleId));
    expect(await leaseAlive(t.t.database.db, lease.cycleId)).toBe(false);
    // Not stale yet (45 s): a new run is still refused, which is why a cycle request must wait instead of being dropped.
    expect(await acquireCycle(t.t.database.db, appId, 'on_demand')).toMatchObject({ ok: false, heldBy: { cycleId: lease.cycleId } });
    await t.t.database.db.update(provisioningCycles).set({ heartbeatAt: sql`now() - interval '60 seconds'` }).where(eq(provisioningCycles.id, lease.cycleId));
    const next = await acquireCycle(t.t.database.db, appId, 'on_demand');
    expect(next.ok).toBe(true);
    const [old] = await t.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, lease.cycleId));
    expect(old).toMatchObject({ status: 'failed', error: { code: 'worker_lost' } });
    expect(await leaseAlive(t.t.database.db, lease.cycleId)).toBe(false);
  });
});
