import { createClient } from 'node-zendesk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from './harness.ts';

/**
 * node-zendesk 6, unmodified, against the sandbox: the calls a provisioning connector makes, with
 * every outcome read back through the control API's snapshot rather than through the client.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

type Client = ReturnType<typeof createClient>;
const clientFor = (baseUrl: string, email: string, token: string): Client => createClient({ username: email, token, endpointUri: `${baseUrl}/api/v2` });

async function snapshot(sub = 'acme'): Promise<Json> {
  const r = await h.control('GET', `/__sandbox/accounts/${sub}/snapshot`);
  expect(r.status).toBe(200);
  return r.body;
}
const userIn = (snap: Json, id: number): Json => snap.users.find((u: Json) => u.id === id);

describe('node-zendesk against the sandbox', () => {
  let zd: Client;
  beforeAll(() => {
    zd = clientFor(h.url, 'admin@acme.test', 'tok-admin');
  });

  it('authenticates with email/token and reads /users/me', async () => {
    const { result } = (await zd.users.me()) as { result: Json };
    expect(result).toMatchObject({ email: 'admin@acme.test', role: 'admin' });
  });

  it('creates a user, updates and suspends it, then deletes it', async () => {
    const { result: created } = (await zd.users.create({ user: { name: 'Nora', email: 'nora@acme.test', external_id: 'nz-1' } })) as { result: Json };
    expect(userIn(await snapshot(), created.id)).toMatchObject({ name: 'Nora', email: 'nora@acme.test', external_id: 'nz-1', active: true, suspended: false });

    await zd.users.update(created.id, { user: { name: 'Nora B', notes: 'from node-zendesk' } });
    expect(userIn(await snapshot(), created.id)).toMatchObject({ name: 'Nora B', notes: 'from node-zendesk' });

    await zd.users.suspend(created.id);
    expect(userIn(await snapshot(), created.id)).toMatchObject({ suspended: true, active: true });

    await zd.users.delete(created.id);
    const gone = userIn(await snapshot(), created.id);
    expect(gone).toMatchObject({ active: false });
    expect(gone.deleted_at).toEqual(expect.any(String));
  });

  it('create_many returns a job that jobstatuses.watch follows to completion', async () => {
    const users = Array.from({ length: 5 }, (_, i) => ({ name: `Bulk ${i}`, email: `bulk${i}@acme.test` }));
    // node-zendesk posts its argument as the body as-is (its d.ts says an array); Zendesk wants {users: [...]}.
    const { result } = (await zd.users.createMany({ users } as never)) as unknown as { result: Json };
    const jobId: string = result.job_status.id;
    expect(result.job_status.status).toBe('queued');
    const done = (await zd.jobstatuses.watch(jobId, 20, 5)) as Json;
    expect(done).toMatchObject({ status: 'completed', total: 5, progress: 5 });
    const snap = await snapshot();
    for (const r of done.results as Json[]) {
      expect(r.status).toBe('Created');
      expect(userIn(snap, r.id)).toMatchObject({ active: true });
    }
    expect(snap.users.filter((u: Json) => /^bulk\d@acme\.test$/.test(u.email)).length).toBe(5);
  });

  it('adds an agent to a new group and makes it the default membership', async () => {
    const { result: agent } = (await zd.users.create({ user: { name: 'Agent Ada', email: 'ada@acme.test', role: 'agent' } })) as { result: Json };
    const { result: group } = (await zd.groups.create({ group: { name: 'Escalations' } })) as { result: Json };
    const { result: membership } = (await zd.groupmemberships.create({ group_membership: { user_id: agent.id, group_id: group.id } })) as { result: Json };
    await zd.groupmemberships.makeDefault(agent.id, membership.id);
    const snap = await snapshot();
    const mine = snap.group_memberships.filter((m: Json) => m.user_id === agent.id);
    expect(mine.find((m: Json) => m.group_id === group.id)).toMatchObject({ id: membership.id, default: true });
    expect(mine.filter((m: Json) => m.default)).toHaveLength(1);
    expect(userIn(snap, agent.id).default_group_id).toBe(group.id);
  });

  it('surfaces Zendesk errors the way node-zendesk reports them: 422 duplicate, 404, 429 with Retry-After', async () => {
    await zd.users.create({ user: { name: 'Dup', email: 'dup@acme.test' } });
    await expect(zd.users.create({ user: { name: 'Dup 2', email: 'DUP@acme.test' } })).rejects.toThrow(/422/);
    const raw = createClient({ username: 'admin@acme.test', token: 'tok-admin', endpointUri: `${h.url}/api/v2`, throwOriginalException: true });
    await expect(raw.users.show(1)).rejects.toMatchObject({ statusCode: 404, result: { error: 'RecordNotFound' } });
    // 5 updates per minute per user (API-NOTES §6.4); the sixth is a 429 with Retry-After. node-zendesk
    // does not reject on it: any answer with Retry-After resolves with an Error object as `result`.
    const { result: target } = (await zd.users.create({ user: { name: 'Busy', email: 'busy@acme.test' } })) as { result: Json };
    for (let i = 0; i < 5; i++) await zd.users.update(target.id, { user: { notes: `n${i}` } });
    const limited = (await zd.users.update(target.id, { user: { notes: 'sixth' } })) as { response: { status: number; headers: { get(k: string): string | null } }; result: Json };
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.result).toBeInstanceOf(Error);
    expect(limited.result).toMatchObject({ statusCode: 429 });
    expect(userIn(await snapshot(), target.id).notes).toBe('n4');
  });

  it('pages through 250 users with users.list() (cursor paging, 100 per page)', async () => {
    const created = await h.control('POST', '/__sandbox/accounts', { subdomain: 'paging', plan: 'unlimited', adminEmail: 'owner@paging.test', apiToken: 'tok-paging' });
    expect(created.status).toBe(201);
    expect((await h.control('POST', '/__sandbox/accounts/paging/seed', { count: 249 })).status).toBe(201);
    const before = (await snapshot('paging')).counters.requests as number;

    const users = await clientFor(`${h.url}/paging`, 'owner@paging.test', 'tok-paging').users.list();

    const snap = await snapshot('paging');
    expect(users).toHaveLength(250);
    expect(users.map((u) => u.id)).toEqual(snap.users.map((u: Json) => u.id));
    // Pages of 100, 100 and 50; links.next stays set on the last page (as Zendesk does), and
    // node-zendesk follows links.next without looking at has_more, so a fourth, empty page ends it.
    expect(snap.counters.requests - before).toBe(4);
  });

  it('a 429 in the middle of users.list() ends the list early with an Error element (a node-zendesk pitfall)', async () => {
    expect((await h.control('POST', '/__sandbox/accounts', { subdomain: 'limited', plan: 'team', requestsPerMinute: 2, adminEmail: 'owner@limited.test', apiToken: 'tok-limited' })).status).toBe(201);
    expect((await h.control('POST', '/__sandbox/accounts/limited/seed', { count: 249 })).status).toBe(201);
    const users = (await clientFor(`${h.url}/limited`, 'owner@limited.test', 'tok-limited').users.list()) as unknown[];
    // Two pages fit the budget of 2 requests per minute; the third answer is the account-wide 429.
    expect(users).toHaveLength(201);
    expect(users[200]).toBeInstanceOf(Error);
    expect(users[200]).toMatchObject({ statusCode: 429 });
    expect((await snapshot('limited')).counters.rateLimited).toBe(1);
  });
});
