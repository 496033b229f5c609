import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('control API', () => {
  it('creates an account with credentials that work under its path prefix', async () => {
    const r = await h.control('POST', '/__sandbox/accounts', { subdomain: 'beta', plan: 'growth', bulkImport: false, pace: { queueDelayMs: 10 } });
    expect(r.status).toBe(201);
    const a = r.body.account;
    expect(a).toMatchObject({ subdomain: 'beta', url: `${h.url}/beta`, plan: { name: 'growth', requestsPerMinute: 400, bulkImport: false, customRoles: false }, pace: { queueDelayMs: 10, perItemMs: 70, concurrency: 1 } });
    for (const k of ['adminEmail', 'adminPassword', 'apiToken', 'oauthClientId', 'oauthClientSecret']) expect(typeof a[k]).toBe('string');
    const me = await h.call('GET', '/beta/api/v2/users/me.json', undefined, { authorization: h.tokenAuth(a.adminEmail, a.apiToken) });
    expect(me.body.user).toMatchObject({ role: 'admin', email: a.adminEmail, role_type: 4, custom_role_id: null });
    expect(me.body.user.url).toBe(`${h.url}/beta/api/v2/users/${me.body.user.id}.json`);
    expect((await h.call('GET', '/beta/api/v2/users/me', undefined, { authorization: h.admin })).status).toBe(401);
    expect((await h.control('POST', '/__sandbox/accounts', { subdomain: 'beta' })).status).toBe(409);
    const bad = await h.control('POST', '/__sandbox/accounts', { subdomain: 'Bad Name', plan: 'gold', nope: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.length).toBeGreaterThanOrEqual(2);
  });

  it('patches plan, bulk import and pace', async () => {
    const r = await h.control('PATCH', '/__sandbox/accounts/beta', { plan: 'enterprise', bulkImport: true, pace: { perItemMs: 5 } });
    expect(r.body.account.plan).toMatchObject({ name: 'enterprise', requestsPerMinute: 700, bulkImport: true, customRoles: true });
    expect(r.body.account.pace).toMatchObject({ queueDelayMs: 10, perItemMs: 5 });
    expect((await h.control('PATCH', '/__sandbox/accounts/nobody', {})).status).toBe(404);
  });

  it('seeds users with roles and snapshots every user, group, membership, job and counter', async () => {
    const seeded = await h.control('POST', '/__sandbox/accounts/acme/seed', { count: 5, role: 'agent' });
    expect(seeded.status).toBe(201);
    expect(seeded.body.created).toBe(5);
    await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'snap' }] });
    await h.call('GET', '/api/v2/nothing');
    const snap = (await h.control('GET', '/__sandbox/accounts/acme/snapshot')).body;
    const agents = snap.users.filter((u: Json) => u.role === 'agent');
    expect(agents).toHaveLength(5);
    expect(agents[0]).toHaveProperty('identities');
    expect(agents[0]).toHaveProperty('suspended', false);
    expect(snap.groups[0]).toMatchObject({ name: 'Support', default: true });
    expect(snap.group_memberships.length).toBe(6);
    expect(snap.jobs.length).toBe(1);
    expect(snap.counters.requests).toBeGreaterThanOrEqual(2);
    expect(snap.counters.byStatus['404']).toBe(1);
    expect(snap.custom_roles.length).toBeGreaterThan(5);
    // Only the parts asked for (a bench's progress must not make the sandbox build 100,000 users).
    const light = (await h.control('GET', '/__sandbox/accounts/acme/snapshot?parts=counters,jobs')).body;
    expect(Object.keys(light).sort()).toEqual(['account', 'counters', 'jobs']);
    expect(light.jobs.map((j: Json) => j.id)).toEqual(snap.jobs.map((j: Json) => j.id));
    expect(light.counters.byStatus['404']).toBe(1);
    expect((await h.control('GET', '/__sandbox/accounts/acme/snapshot?parts=constructor')).status).toBe(400);
    const refused = await h.control('GET', '/__sandbox/accounts/acme/snapshot?parts=users,tickets');
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'parts', message: expect.stringContaining('unknown part tickets') }]);
  });

  it('adds custom roles that users can then hold', async () => {
    const r = await h.control('POST', '/__sandbox/accounts/acme/custom_roles', { name: 'Provisioner', roleType: 0 });
    expect(r.status).toBe(201);
    const u = await h.call('POST', '/api/v2/users', { user: { name: 'P', email: 'p@acme.test', role: 'agent', custom_role_id: r.body.custom_role.id } });
    expect(u.body.user).toMatchObject({ role: 'agent', role_type: 0, custom_role_id: r.body.custom_role.id, ticket_restriction: 'groups' });
  });

  it('serves a read-only HTML page per account', async () => {
    const res = await fetch(`${h.url}/__sandbox/accounts/acme/page`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('p@acme.test');
    expect(html).toContain('Provisioner');
    expect(html).toContain('Support (default)');
    const index = await fetch(`${h.url}/`);
    expect(await index.text()).toContain('/__sandbox/accounts/beta/page');
    const root = await fetch(`${h.url}/acme`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/acme/');
    // The account's "Zendesk" home: without SSO, the plain sign-in page.
    const home = await fetch(`${h.url}/acme/`, { redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Sign in to acme');
  });

  it('reset drops extra accounts and keeps the default credentials', async () => {
    const r = await h.control('POST', '/__sandbox/reset');
    expect(r.body.accounts.map((a: Json) => a.subdomain)).toEqual(['acme']);
    expect(r.body.accounts[0]).toMatchObject({ apiToken: 'tok-admin', adminEmail: 'admin@acme.test' });
    expect((await h.control('GET', '/__sandbox/accounts/beta')).status).toBe(404);
    const snap = (await h.control('GET', '/__sandbox/accounts/acme/snapshot')).body;
    expect(snap.users).toHaveLength(1);
    expect((await h.call('GET', '/api/v2/users/me')).body.user.email).toBe('admin@acme.test');
  });
});

describe('faults', () => {
  it('injects 5xx, 503 with Retry-After and 429 storms, repeatably for a seed, never on /__sandbox', async () => {
    const run = async () => {
      await h.control('PUT', '/__sandbox/accounts/acme/faults', { seed: 7, errorRate: 0.3, serviceUnavailableRate: 0.3, retryAfterSec: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await h.call('GET', '/api/v2/users/me');
        statuses.push(r.status);
        if (r.status === 503) expect(r.headers.get('retry-after')).toBe('2');
      }
      return statuses;
    };
    const a = await run();
    expect(a).toContain(500);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await run()).toEqual(a);
    expect((await h.control('GET', '/__sandbox/accounts/acme/snapshot')).status).toBe(200);
    await h.control('PUT', '/__sandbox/accounts/acme/faults', { rateLimitStorm: { count: 2 } });
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(429);
    const second = await h.call('GET', '/api/v2/users/me');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).not.toBeNull();
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(200);
    const snap = (await h.control('GET', '/__sandbox/accounts/acme/snapshot')).body;
    expect(snap.counters.rateLimited).toBe(2);
    expect(snap.counters.faultsInjected).toBeGreaterThan(2);
  });

  it('adds latency and drops connections', async () => {
    await h.control('PUT', '/__sandbox/accounts/acme/faults', { latencyMs: { fixed: 120 } });
    const t0 = Date.now();
    await h.call('GET', '/api/v2/users/me');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    await h.control('PUT', '/__sandbox/accounts/acme/faults', { dropRate: 1 });
    await expect(fetch(`${h.url}/api/v2/users/me`)).rejects.toThrow();
    await h.control('PUT', '/__sandbox/accounts/acme/faults', {});
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(200);
    expect((await h.control('GET', '/__sandbox/accounts/acme/snapshot')).body.counters.dropped).toBe(1);
  });

  it('fails jobs at the configured rate', async () => {
    await h.control('PUT', '/__sandbox/accounts/acme/faults', { jobFailureRate: 1 });
    const job = (await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'f' }] })).body.job_status;
    let status: Json;
    do status = (await h.call('GET', `/api/v2/job_statuses/${job.id}`)).body.job_status;
    while (status.status === 'queued' || status.status === 'working');
    expect(status).toMatchObject({ status: 'failed', results: null });
    await h.control('PUT', '/__sandbox/accounts/acme/faults', {});
  });
});
