import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_TOKEN, type ScimPeer, startScimPeer } from './scim-peer.test-support.ts';

// The test peer's declared rate limit (used by bench/scim-initial-sync.ts): a sliding 60 s window.
describe('the SCIM test peer with a declared rate limit', () => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await startScimPeer({ requestsPerMinute: 5 });
  });
  afterAll(async () => peer?.close());
  const get = () => fetch(`${peer.baseUrl}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${PEER_TOKEN}` } });

  it('answers up to the limit, then 429 with Retry-After until the window frees a slot; lifting it lets requests through', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) {
      const r = await get();
      await r.text();
      answers.push({ status: r.status, remaining: r.headers.get('x-ratelimit-remaining'), limit: r.headers.get('x-ratelimit-limit'), retryAfter: r.headers.get('retry-after') });
    }
    expect(answers.slice(0, 5).map((a) => [a.status, a.remaining, a.limit])).toEqual([4, 3, 2, 1, 0].map((n) => [200, String(n), '5']));
    expect(peer.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    for (const [k, a] of answers.entries()) {
      if (k < 5) continue;
      expect(a.status).toBe(429);
      // The seconds until the first request leaves the window, from when this one arrived (not a
      // fixed 59–60: on a loaded machine the seven requests may take seconds).
      const left = (peer.requests[0]!.arrivedAt + 60_000 - peer.requests[k]!.arrivedAt) / 1000;
      expect(left).toBeLessThanOrEqual(60);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(Math.floor(left));
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(Math.ceil(left));
    }
    expect(peer.requests[0]!.answerBytes).toBeGreaterThan(100);
    peer.limit(null);
    const lifted = await get();
    await lifted.text();
    expect(lifted.status).toBe(200);
    expect(lifted.headers.get('x-ratelimit-limit')).toBeNull();
  });
});
