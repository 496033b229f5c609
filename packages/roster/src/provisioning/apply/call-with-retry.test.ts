import { describe, expect, it } from 'vitest';
import type { ConnectorError, ConnectorResult } from '../../connectors/contract.ts';
import { callWithRetry } from './call-with-retry.ts';
import { retryDelaySeconds } from '../escrow/retries.ts';

const error = (cls: ConnectorError['class'], retryAfterSeconds?: number): ConnectorError => ({ code: `x.${cls}`, class: cls, message: cls, advice: 'a', ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

function scripted(results: ConnectorResult<string>[]) {
  let calls = 0;
  const slept: number[] = [];
  return {
    call: async () => results[Math.min(calls++, results.length - 1)]!,
    policy: { sleep: async (ms: number) => void slept.push(ms), baseDelayMs: 100 },
    get calls() {
      return calls;
    },
    slept,
  };
}

describe('callWithRetry', () => {
  it('returns a success at once', async () => {
    const s = scripted([{ ok: true, value: 'a' }]);
    expect(await callWithRetry(s.call, s.policy)).toEqual({ ok: true, value: 'a' });
    expect(s.calls).toBe(1);
  });

  it('waits as long as Retry-After says on rate_limited, then succeeds', async () => {
    const s = scripted([{ ok: false, error: error('rate_limited', 7) }, { ok: true, value: 'a' }]);
    expect((await callWithRetry(s.call, s.policy)).ok).toBe(true);
    expect(s.slept).toEqual([7000]);
  });

  it('retries transient errors with growing backoff, then gives up with the error', async () => {
    const s = scripted([{ ok: false, error: error('transient') }]);
    const r = await callWithRetry(s.call, { ...s.policy, transientAttempts: 3 });
    expect(r.ok).toBe(false);
    expect(s.calls).toBe(4);
    expect(s.slept).toEqual([100, 200, 400]);
  });

  it.each(['object', 'configuration'] as const)('never retries a %s error', async (cls) => {
    const s = scripted([{ ok: false, error: error(cls) }, { ok: true, value: 'a' }]);
    expect(await callWithRetry(s.call, s.policy)).toMatchObject({ ok: false, error: { class: cls } });
    expect(s.calls).toBe(1);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from a minute and stops at six hours', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([60, 120, 240, 480]);
    expect(retryDelaySeconds(30)).toBe(6 * 3600);
  });
});
