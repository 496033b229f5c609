import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from './harness.ts';
import { shapeDifferences, type RecordedFixture } from './recorded/shape.ts';

/**
 * One test per recorded Zendesk answer in `test/recorded/` (named for the case): the sandbox is
 * driven into the same situation and its answer must have the recording's shape, key by key.
 */
const DIR = new URL('./recorded/', import.meta.url);
const fixture = (name: string): RecordedFixture => JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as RecordedFixture;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function finished(id: string): Promise<Json> {
  for (let i = 0; i < 500; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}`);
    if (r.body.job_status.status === 'completed') return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('job did not finish');
}

/** Each case: the sandbox's answer to the recorded situation. */
const CASES: Record<string, () => Promise<{ status: number; body: unknown }>> = {
  'users-me-admin': async () => {
    const me = (await h.call('GET', '/api/v2/users/me')).body.user;
    // The recorded admin belongs to an organization.
    await h.call('PUT', `/api/v2/users/${me.id}`, { user: { organization: { name: 'Recorded Org' } } });
    return h.call('GET', '/api/v2/users/me');
  },
  'search-export-users-first-page': async () => {
    for (const n of [1, 2]) await h.call('POST', '/api/v2/users', { user: { name: `export ${n}`, email: `export-${n}@acme.test`, alias: '', details: '', notes: '' } });
    return h.call('GET', '/api/v2/search/export?query=name:export&filter[type]=user&page[size]=1');
  },
  'users-show-many-after-create-many': async () => {
    const job = (await h.call('POST', '/api/v2/users/create_many', { users: [{ id: '', name: 'testUser' }] })).body.job_status;
    const done = (await finished(job.id as string)).body.job_status;
    return h.call('GET', `/api/v2/users/show_many?ids=${done.results[0].id}`);
  },
  'job-status-create-many-completed': async () => {
    const job = (await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'testUser' }] })).body.job_status;
    return finished(job.id as string);
  },
  'users-create-single-name-only': () => h.call('POST', '/api/v2/users', { user: { name: 'testUser' } }),
  'users-delete-single': async () => {
    const user = (await h.call('POST', '/api/v2/users', { user: { name: 'testUser' } })).body.user;
    return h.call('DELETE', `/api/v2/users/${user.id}`, { user: { id: user.id } });
  },
  'users-delete-unknown': () => h.call('DELETE', '/api/v2/users/999999'),
  'groups-create-single': () => h.call('POST', '/api/v2/groups', { group: { id: null, name: 'testGroup' } }),
  'job-status-create-many-queued': async () => {
    // A slow queue, so the answer is taken while the job still waits.
    await h.control('PATCH', '/__sandbox/accounts/acme', { pace: { queueDelayMs: 60_000 } });
    try {
      return await h.call('POST', '/api/v2/users/create_many', { users: Array.from({ length: 100 }, (_, i) => ({ name: `queued ${i}` })) });
    } finally {
      await h.control('PATCH', '/__sandbox/accounts/acme', { pace: { queueDelayMs: 5 } });
    }
  },
};

describe('recorded Zendesk answers, key by key', () => {
  it('every fixture in test/recorded has a case here, and every case a fixture', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    expect(files).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, run] of Object.entries(CASES)) {
    it(`${name}: ${fixture(name).case}`, async () => {
      const recorded = fixture(name);
      const answer = await run();
      expect(answer.status).toBe(recorded.status);
      expect(shapeDifferences(recorded.body, answer.body, recorded.drift)).toEqual([]);
    });
  }
});
