import { describe, expect, it } from 'vitest';
import { CliError, type CliIo } from './io.ts';
import { readSecret, waitUntil } from './wait.ts';

const io = (extra: Partial<CliIo> = {}): CliIo => ({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, ...extra });

describe('readSecret', () => {
  it('refuses a value on the command line, saying why', async () => {
    await expect(readSecret(io({ env: { T: 'from-env' } }), 'plain-secret', 'T', '--api-token')).rejects.toThrow(/--api-token takes "-".*`ps`/);
    await expect(readSecret(io(), 'plain-secret', 'T', '--api-token')).rejects.toMatchObject({ exitCode: 2 });
  });
  it('reads "-" from standard input (trimmed) and otherwise the variable', async () => {
    expect(await readSecret(io({ stdin: [new TextEncoder().encode('abc'), 'def\n'] }), '-', 'T', '--api-token')).toBe('abcdef');
    expect(await readSecret(io({ env: { T: ' tok ' } }), undefined, 'T', '--api-token')).toBe('tok');
  });
  it('names the variable when there is none, and refuses empty input', async () => {
    await expect(readSecret(io(), undefined, 'ZENDESK_API_TOKEN', '--api-token')).rejects.toThrow(/set ZENDESK_API_TOKEN/);
    await expect(readSecret(io({ stdin: ['\n'] }), '-', 'T', '--api-token')).rejects.toThrow(/standard input was empty/);
  });
});

describe('waitUntil', () => {
  it('polls until finished, drawing progress on a terminal', async () => {
    const drawn: string[] = [];
    let n = 0;
    const value = await waitUntil(io({ stderr: { write: (s: string) => drawn.push(s), isTTY: true } }), async () => ++n, (v) => v >= 3, { label: 'cycle', unit: 'objects', timeoutSeconds: 5, intervalMs: 1, progress: (v) => ({ done: v, total: 3 }) });
    expect(value).toBe(3);
    expect(drawn.join('')).toContain('2/3 objects');
  });
  it('gives up after the timeout with exit 1', async () => {
    const e = await waitUntil(io(), async () => 0, () => false, { label: 'dry run', unit: 'actions', timeoutSeconds: 0, intervalMs: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e).toMatchObject({ exitCode: 1, message: expect.stringMatching(/gave up waiting after 0 s \(the dry run goes on/) });
  });
});
