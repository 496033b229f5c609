import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function waitJob(id: string): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}.json`);
    if (r.body.job_status.status === 'completed' || r.body.job_status.status === 'failed') return r.body.job_status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('job did not finish');
}

describe('bulk user jobs', () => {
  it('create_many answers 200 with a queued V3- job whose results are null until done', async () => {
    const r = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'A', email: 'bulk-a@x.test' }, { name: 'B', email: 'bulk-a@x.test' }] });
    expect(r.status).toBe(200);
    expect(r.body.job_status).toMatchObject({ status: 'queued', total: 2, progress: null, results: null, message: null });
    expect(r.body.job_status.id).toMatch(/^V3-[0-9a-f]{32}$/);
    expect(r.headers.get('zendesk-ratelimit-inflight-jobs')).toMatch(/^total=30; remaining=\d+; resets=60$/);
    const done = await waitJob(r.body.job_status.id);
    expect(done.status).toBe('completed');
    expect(done.results[0]).toEqual({ id: expect.any(Number), status: 'Created' });
    expect(done.results[1]).toMatchObject({ id: 1, index: 1, status: 'Failed', error: 'UserCreateError' });
    expect(done.results[1].details).toContain('already being used');
  });

  it('create_or_update_many reports Created / Updated with email; update_many and destroy_many report action', async () => {
    const r = await h.call('POST', '/api/v2/users/create_or_update_many', { users: [{ name: 'A2', email: 'bulk-a@x.test' }, { name: 'C', email: 'bulk-c@x.test', external_id: 'C-1' }] });
    const done = await waitJob(r.body.job_status.id);
    expect(done.results.map((x: Json) => x.status)).toEqual(['Updated', 'Created']);
    expect(done.results[0].email).toBe('bulk-a@x.test');
    const ids = done.results.map((x: Json) => x.id);
    const upd = await waitJob((await h.call('PUT', `/api/v2/users/update_many?ids=${ids.join(',')}`, { user: { suspended: true } })).body.job_status.id);
    expect(upd.results).toEqual(ids.map((id: number) => ({ id, action: 'update', status: 'Updated', success: true })));
    const batch = await waitJob((await h.call('PUT', '/api/v2/users/update_many', { users: [{ external_id: 'c-1', notes: 'hi' }, { id: 12345, notes: 'x' }] })).body.job_status.id);
    expect(batch.results[0]).toMatchObject({ id: ids[1], status: 'Updated' });
    expect(batch.results[1]).toMatchObject({ status: 'Failed', success: false });
    const del = await waitJob((await h.call('DELETE', `/api/v2/users/destroy_many?ids=${ids.join(',')}`)).body.job_status.id);
    expect(del.results).toEqual(ids.map((id: number) => ({ id, action: 'delete', status: 'Deleted', success: true })));
    expect((await h.call('GET', `/api/v2/users/${ids[0]}`)).body.user.active).toBe(false);
  });

  it('refuses over 100 items with 400 TooManyValues and id:null with 400 Invalid attribute', async () => {
    const users = Array.from({ length: 101 }, (_, i) => ({ name: `u${i}` }));
    const r = await h.call('POST', '/api/v2/users/create_many', { users });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'TooManyValues', description: 'Maximum 100 users may be created per call' });
    const nullId = await h.call('POST', '/api/v2/users/create_many', { users: [{ id: null, name: 'x' }] });
    expect(nullId.status).toBe(400);
    expect(nullId.body.error.title).toBe('Invalid attribute');
  });

  it('answers 403 when the plan has bulk import off', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { bulkImport: false });
    const r = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'x' }] });
    expect(r.status).toBe(403);
    await h.control('PATCH', '/__sandbox/accounts/acme', { bulkImport: true });
  });

  it('caps queued-or-running jobs at 30 with TooManyJobs', async () => {
    await h.control('PATCH', '/__sandbox/accounts/acme', { pace: { queueDelayMs: 60_000 } });
    for (let i = 0; i < 30; i++) expect((await h.call('POST', '/api/v2/users/create_many', { users: [{ name: `q${i}` }] })).status).toBe(200);
    const r = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'over' }] });
    expect(r.status).toBe(429);
    expect(r.body.error).toBe('TooManyJobs');
    expect(r.body.current_job_ids).toHaveLength(30);
    expect(r.headers.get('zendesk-ratelimit-inflight-jobs')).toBe('total=30; remaining=0; resets=60');
    const list = await h.call('GET', '/api/v2/job_statuses?page[size]=20');
    expect(list.body.job_statuses[0].status).toBe('queued');
    expect(list.body.meta.has_more).toBe(true);
    const older = await h.call('GET', list.body.links.next.replace(h.url, ''));
    const seen = new Set([...list.body.job_statuses, ...older.body.job_statuses].map((j: Json) => j.id));
    expect(seen.size).toBe(list.body.job_statuses.length + older.body.job_statuses.length);
    const back = await h.call('GET', older.body.links.prev.replace(h.url, ''));
    expect(back.body.job_statuses.map((j: Json) => j.id)).toEqual(list.body.job_statuses.map((j: Json) => j.id));
    const many = await h.call('GET', `/api/v2/job_statuses/show_many?ids=${r.body.current_job_ids.slice(0, 2).join(',')}`);
    expect(many.body.job_statuses).toHaveLength(2);
  });
});

describe('job pace', () => {
  it('runs items at the configured per-item time after the queue delay', async () => {
    const p = await startHarness({ defaultAccount: { pace: { queueDelayMs: 100, perItemMs: 20, concurrency: 1 } } });
    try {
      const started = Date.now();
      const r = await p.call('POST', '/api/v2/users/create_many', { users: Array.from({ length: 20 }, (_, i) => ({ name: `p${i}` })) });
      let status: Json;
      do {
        await new Promise((res) => setTimeout(res, 10));
        status = (await p.call('GET', `/api/v2/job_statuses/${r.body.job_status.id}`)).body.job_status;
      } while (status.status !== 'completed');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(500);
      expect(elapsed).toBeLessThan(800);
      expect(status.message).toMatch(/^Completed at /);
    } finally {
      await p.close();
    }
  });
});
