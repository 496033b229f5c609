import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bodyLimitBytes: 10_000 });
});
afterAll(() => h.close());

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('authentication', () => {
  it('/users/me answers the anonymous user for no credentials or a password, 401 for a bad token', async () => {
    const none = await fetch(`${h.url}/api/v2/users/me.json`);
    expect(none.status).toBe(200);
    expect(((await none.json()) as Json).user).toMatchObject({ id: null, name: 'Anonymous user' });
    const password = await h.call('GET', '/api/v2/users/me', undefined, { authorization: basic('admin@acme.test:pw-admin') });
    expect(password.status).toBe(200);
    expect(password.body.user.id).toBeNull();
    const badToken = await h.call('GET', '/api/v2/users/me', undefined, { authorization: h.tokenAuth('admin@acme.test', 'wrong') });
    expect(badToken.status).toBe(401);
    expect(badToken.body).toEqual({ error: "Couldn't authenticate you" });
    const bearer = await h.call('GET', '/api/v2/users/me', undefined, { authorization: 'Bearer nope' });
    expect(bearer.status).toBe(401);
    expect(bearer.body.error).toBe('invalid_token');
  });

  it('other endpoints answer 401 without credentials or with a password', async () => {
    expect((await fetch(`${h.url}/api/v2/users`)).status).toBe(401);
    const r = await h.call('GET', '/api/v2/users', undefined, { authorization: basic('admin@acme.test:pw-admin') });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
  });

  it('a non-admin agent gets 403 where an admin is required, and may only edit end users', async () => {
    const agent = (await h.call('POST', '/api/v2/users', { user: { name: 'Agent', email: 'agent@acme.test', role: 'agent' } })).body.user;
    const auth = { authorization: h.tokenAuth('agent@acme.test') };
    expect((await h.call('GET', '/api/v2/users', undefined, auth)).status).toBe(200);
    expect((await h.call('DELETE', '/api/v2/users/destroy_many?ids=1', undefined, auth)).status).toBe(403);
    expect((await h.call('GET', '/api/v2/incremental/users/cursor?start_time=0', undefined, auth)).status).toBe(403);
    expect((await h.call('POST', '/api/v2/groups', { group: { name: 'x' } }, auth)).status).toBe(403);
    expect((await h.call('POST', '/api/v2/users', { user: { name: 'A2', role: 'agent' } }, auth)).status).toBe(403);
    const end = await h.call('POST', '/api/v2/users', { user: { name: 'End' } }, auth);
    expect(end.status).toBe(201);
    expect((await h.call('PUT', `/api/v2/users/${end.body.user.id}`, { user: { notes: 'n' } }, auth)).status).toBe(200);
    expect((await h.call('PUT', `/api/v2/users/${end.body.user.id}`, { user: { role: 'admin' } }, auth)).status).toBe(403);
    const owner = (await h.call('GET', '/api/v2/users/me')).body.user;
    expect((await h.call('PUT', `/api/v2/users/${owner.id}`, { user: { notes: 'n' } }, auth)).status).toBe(403);
    expect(agent.role).toBe('agent');
  });

  it('an end user cannot list users', async () => {
    await h.call('POST', '/api/v2/users', { user: { name: 'Eu', email: 'eu@acme.test' } });
    expect((await h.call('GET', '/api/v2/users', undefined, { authorization: h.tokenAuth('eu@acme.test') })).status).toBe(403);
  });
});

describe('bad input', () => {
  it('malformed JSON → 400; unknown fields → accepted with x-zendesk-api-warn', async () => {
    const bad = await h.call('POST', '/api/v2/users', '{"user": {"name": ', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('BadRequest');
    const warn = await h.call('POST', '/api/v2/users', { user: { name: 'W', favourite_colour: 'red' } });
    expect(warn.status).toBe(201);
    expect(warn.headers.get('x-zendesk-api-warn')).toBe('{:allowed_parameters=>{:controller=>"users", :action=>"create", :unpermitted_keys=>["user.favourite_colour"], :invalid_values=>[]}}');
  });

  it('unknown paths → 404 InvalidEndpoint; missing wrapper → 400; oversize body → 413', async () => {
    const r = await h.call('GET', '/api/v2/nonsense');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    expect((await h.call('GET', '/nosuchaccount/api/v2/users')).status).toBe(404);
    expect((await h.call('POST', '/api/v2/users', { name: 'no wrapper' })).status).toBe(400);
    const big = await h.call('POST', '/api/v2/users', { user: { name: 'x'.repeat(20_000) } });
    expect(big.status).toBe(413);
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('survives odd inputs: wrong types, arrays, huge ids, bad cursors', async () => {
    expect((await h.call('POST', '/api/v2/users', { user: { name: 1 } })).status).toBe(400);
    expect((await h.call('POST', '/api/v2/users', [1, 2])).status).toBe(400);
    expect((await h.call('POST', '/api/v2/users', 'null', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await h.call('GET', '/api/v2/users/99999999999999999999')).status).toBe(404);
    expect((await h.call('GET', '/api/v2/users?page[after]=zzz')).status).toBe(400);
    expect((await h.call('GET', '/api/v2/users/%E0%A4%A')).status).toBe(404);
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('charges the per-minute budget with headers and answers 429 with Retry-After', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { requestsPerMinute: 3 });
    const first = await h.call('GET', '/api/v2/users/me');
    expect(first.headers.get('x-rate-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    await h.call('GET', '/api/v2/users/me');
    await h.call('GET', '/api/v2/users/me');
    const limited = await h.call('GET', '/api/v2/users/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.text).toBe('Number of allowed API requests per minute exceeded');
    const snap = await h.control('GET', '/__sandbox/accounts/acme/snapshot');
    expect(snap.body.counters.rateLimited).toBe(1);
    expect((await h.control('GET', '/__sandbox/accounts/acme')).status).toBe(200);
    await h.control('PATCH', '/__sandbox/accounts/acme', { plan: 'unlimited' });
    expect((await h.call('GET', '/api/v2/users/me')).status).toBe(200);
  });

  it('limits updates of one user to 5 per minute', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { plan: 'enterprise' });
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'Rl', email: 'rl@acme.test' } })).body.user;
    for (let i = 0; i < 5; i++) {
      const r = await h.call('PUT', `/api/v2/users/${u.id}`, { user: { notes: String(i) } });
      expect(r.status).toBe(200);
      expect(r.headers.get('zendesk-ratelimit-create-update-user')).toMatch(new RegExp(`^total=5; remaining=${4 - i}; resets=\\d+$`));
    }
    const sixth = await h.call('POST', '/api/v2/users/create_or_update', { user: { email: 'rl@acme.test', notes: 'x' } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toBe('APIRateLimitExceeded');
    expect(sixth.headers.get('retry-after')).not.toBeNull();
    await h.control('PATCH', '/__sandbox/accounts/acme', { limits: false });
    expect((await h.call('PUT', `/api/v2/users/${u.id}`, { user: { notes: 'y' } })).status).toBe(200);
  });

  it('limits the incremental users export to 20 per minute', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { limits: true, plan: 'enterprise', exportLagMs: 0 });
    const start = Math.floor(Date.now() / 1000) - 3600;
    const first = await h.call('GET', `/api/v2/incremental/users/cursor?start_time=${start}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ end_of_stream: true, before_cursor: null });
    expect(first.body.users.length).toBeGreaterThan(3);
    expect(first.headers.get('zendesk-ratelimit-incremental-exports-cursor')).toMatch(/^total=20; remaining=19;/);
    const next = await h.call('GET', first.body.after_url.replace(h.url, ''));
    expect(next.body.users).toEqual([]);
    for (let i = 0; i < 18; i++) await h.call('GET', `/api/v2/incremental/users/cursor?start_time=${start}`);
    const over = await h.call('GET', `/api/v2/incremental/users/cursor?start_time=${start}`);
    expect(over.status).toBe(429);
    expect(over.body.description).toBe('Number of allowed incremental export API requests per minute exceeded');
    const timeBased = await h.call('GET', `/api/v2/incremental/users?start_time=${start}`);
    expect(timeBased.status).toBe(200);
    expect(timeBased.body).toMatchObject({ end_of_stream: true, count: timeBased.body.users.length, end_time: expect.any(Number) });
    expect(timeBased.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(/^total=10; remaining=9;/);
    const tooRecent = await h.call('GET', `/api/v2/incremental/users?start_time=${Math.floor(Date.now() / 1000)}`);
    expect(tooRecent.status).toBe(400);
    await h.control('PATCH', '/__sandbox/accounts/acme', { plan: 'unlimited' });
  });

  it('charges permanent deletions to a 700 per 10 minutes bucket', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { limits: true });
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'Purge' } })).body.user;
    await h.call('DELETE', `/api/v2/users/${u.id}`);
    const r = await h.call('DELETE', `/api/v2/deleted_users/${u.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('zendesk-ratelimit-permanent-user-deletion')).toMatch(/^total=700; remaining=699; resets=\d+$/);
  });
});
