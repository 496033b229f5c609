import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-options.ts';

describe('parseCli', () => {
  it('applies defaults and reads flags', () => {
    const r = parseCli(['--port', '0', '--subdomain', 'demo', '--api-token', 't', '--plan', 'team']);
    expect(r).toEqual({ ok: true, options: expect.objectContaining({ port: 0, host: '127.0.0.1', subdomain: 'demo', apiToken: 't', plan: 'team' }) });
  });

  it('reads --state-file; without it the sandbox stays in memory', () => {
    expect(parseCli(['--state-file', 'data/z.state'])).toEqual({ ok: true, options: expect.objectContaining({ stateFile: 'data/z.state' }) });
    const plain = parseCli([]);
    expect(plain.ok && plain.options.stateFile).toBeUndefined();
  });

  it('reports every bad value at once', () => {
    const r = parseCli(['--port', 'x', '--plan', 'gold']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('--port');
      expect(r.message).toContain('--plan');
    }
  });
});
