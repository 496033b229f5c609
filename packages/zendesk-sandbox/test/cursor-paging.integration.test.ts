import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from './harness.ts';

/**
 * Cursor paging as a connector uses it (API-NOTES §1.1): follow `meta.after_cursor` while
 * `meta.has_more`, and every record comes exactly once; `page[before]` walks back. Checked on every
 * cursor-paged list the sandbox serves.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const agents: number[] = [];
  for (let i = 0; i < 5; i++) {
    agents.push((await h.call('POST', '/api/v2/users', { user: { name: `Pager ${i}`, email: `pager${i}@acme.test`, role: i < 3 ? 'agent' : 'end-user' } })).body.user.id);
  }
  for (let i = 0; i < 4; i++) await h.call('POST', '/api/v2/groups', { group: { name: `Group ${i}` } });
  await h.call('DELETE', `/api/v2/users/${agents[3]}`);
  await h.call('DELETE', `/api/v2/users/${agents[4]}`);
  const jobs: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await h.call('POST', '/api/v2/users/create_many', { users: [{ name: `Job ${i}` }] });
    expect(r.status).toBe(200);
    jobs.push(r.body.job_status.id);
  }
  // The jobs create users; wait so the lists stay still while they are paged.
  for (let i = 0; i < 1000; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/show_many?ids=${jobs.join(',')}`);
    if ((r.body.job_statuses as Json[]).every((j) => j.status === 'completed')) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('jobs did not finish');
});
afterAll(async () => {
  await h.close();
});

async function walk(path: string, key: string, size: number): Promise<{ ids: unknown[]; pages: Json[] }> {
  const ids: unknown[] = [];
  const pages: Json[] = [];
  let url = `${path}${path.includes('?') ? '&' : '?'}page[size]=${size}`;
  for (let guard = 0; guard < 100; guard++) {
    const r = await h.call('GET', url);
    expect(r.status, `${url}: ${r.text.slice(0, 200)}`).toBe(200);
    pages.push(r.body);
    ids.push(...(r.body[key] as Json[]).map((x) => x.id));
    if (!r.body.meta.has_more) return { ids, pages };
    expect(r.body.meta.after_cursor, `${url} says has_more but gives no after_cursor`).toEqual(expect.any(String));
    url = `${path}${path.includes('?') ? '&' : '?'}page[size]=${size}&page[after]=${encodeURIComponent(r.body.meta.after_cursor as string)}`;
  }
  throw new Error(`${path}: more than 100 pages`);
}

const LISTS: Array<[string, string]> = [
  ['/api/v2/users', 'users'],
  ['/api/v2/deleted_users', 'deleted_users'],
  ['/api/v2/groups', 'groups'],
  ['/api/v2/group_memberships', 'group_memberships'],
  ['/api/v2/job_statuses', 'job_statuses'],
];

describe('cursor paging', () => {
  it.each(LISTS)('%s: pages of 2 return every record exactly once, as one big page does', async (path, key) => {
    const all = await h.call('GET', `${path}?page[size]=100`);
    expect(all.body.meta.has_more).toBe(false);
    const expected = (all.body[key] as Json[]).map((x) => x.id);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const { ids, pages } = await walk(path, key, 2);
    expect(ids).toEqual(expected);
    expect(pages.length).toBe(Math.ceil(expected.length / 2));
  });

  it.each(LISTS)('%s: page[before] from the last page walks back to the previous records', async (path, key) => {
    const { pages } = await walk(path, key, 2);
    const last = pages[pages.length - 1];
    const previous = pages[pages.length - 2];
    if (!previous) return expect(pages).toHaveLength(1);
    expect(last.meta.before_cursor).toEqual(expect.any(String));
    const back = await h.call('GET', `${path}?page[size]=2&page[before]=${encodeURIComponent(last.meta.before_cursor as string)}`);
    expect(back.status).toBe(200);
    expect((back.body[key] as Json[]).map((x) => x.id)).toEqual((previous[key] as Json[]).map((x: Json) => x.id));
  });

  it('links.next stays set on the last users page (recorded Zendesk behaviour)', async () => {
    const { pages } = await walk('/api/v2/users', 'users', 2);
    const last = pages[pages.length - 1];
    expect(last.meta.has_more).toBe(false);
    expect(last.links.next).toEqual(expect.any(String));
  });
});
