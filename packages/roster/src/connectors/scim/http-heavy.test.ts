import { describe, expect, it } from 'vitest';
import { ok } from '../../errors/result.ts';
import type { ConnectorDeps } from '../contract.ts';
import type { ScimAuth } from './auth.ts';
import { createHttp } from './http.ts';

const auth: ScimAuth = { header: async () => ok('Bearer t'), recover: async () => ok(false), describe: () => 'test' };

/**
 * A fake app that answers each request after `ms` and records when each one arrived (a turn of the
 * event loop after fetch is called, as a real request is written) and was answered.
 */
function fakeApp(ms: (path: string) => number) {
  const log: { path: string; at: number; done: number }[] = [];
  let open = 0;
  let most = 0;
  const fetch = (async (url: string | URL | Request) => {
    await new Promise((resolve) => setImmediate(resolve));
    const path = new URL(String(url)).pathname;
    const entry = { path, at: performance.now(), done: 0 };
    log.push(entry);
    most = Math.max(most, (open += 1));
    await new Promise((resolve) => setTimeout(resolve, ms(path)));
    open -= 1;
    entry.done = performance.now();
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/scim+json' } });
  }) as typeof globalThis.fetch;
  return { fetch, log, most: () => most };
}

function connect(app: ReturnType<typeof fakeApp>) {
  const deps: ConnectorDeps = { fetch: app.fetch, now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), pacer: { acquire: async () => undefined, observe: () => undefined } };
  return createHttp('https://app.example.com/scim/v2', auth, deps, { timeoutMs: 5_000, maxConcurrency: 4 });
}

describe('scim http: heavy requests one at a time', () => {
  it('heavy requests never overlap at the app; light ones go beside them', async () => {
    const app = fakeApp((path) => (path.endsWith('/Bulk') ? 40 : 5));
    const http = connect(app);
    const bulk = () => http.send({ method: 'POST', path: '/Bulk', body: { Operations: [] }, heavy: true });
    const answers = await Promise.all([bulk(), bulk(), bulk(), http.send({ method: 'GET', path: '/Users' })]);
    expect(answers.every((r) => r.ok)).toBe(true);
    const bulks = app.log.filter((e) => e.path.endsWith('/Bulk')).sort((a, b) => a.at - b.at);
    expect(bulks).toHaveLength(3);
    for (let i = 1; i < bulks.length; i += 1) expect(bulks[i]!.at).toBeGreaterThanOrEqual(bulks[i - 1]!.done);
    // The read went while the first bulk was at the app.
    const read = app.log.find((e) => e.path.endsWith('/Users'))!;
    expect(read.at).toBeLessThan(bulks[0]!.done);
    expect(app.most()).toBe(2);
  });

  it('the next heavy request leaves before the answer of the one before it reaches its caller', async () => {
    const app = fakeApp(() => 30);
    const http = connect(app);
    let secondSentWhenFirstAnswered: boolean | null = null;
    const first = http.send({ method: 'POST', path: '/Bulk', body: {}, heavy: true }).then(() => {
      secondSentWhenFirstAnswered = app.log.length === 2;
    });
    const second = http.send({ method: 'POST', path: '/Bulk', body: {}, heavy: true });
    await Promise.all([first, second]);
    expect(secondSentWhenFirstAnswered).toBe(true);
  });
});
