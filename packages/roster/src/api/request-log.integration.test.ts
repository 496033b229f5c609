import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { buildApp } from './app.ts';
import { loggerOptions } from './logger.ts';

// Request logging does not depend on the driver: PGlite only.
describe('request log', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'info', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX });
    if (!config.ok) throw new Error(config.error.join('\n'));
    const logger = pino(loggerOptions('info'), { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    ({ app } = await buildApp({ database: t.database, config: config.value, logger }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('writes one line per request with method, redacted URL, status and time; successful probes stay below info', async () => {
    lines.length = 0;
    const r = await app.inject({ url: '/api/users?api_token=secret-value', headers: { 'x-request-id': 'req-1' } });
    expect(r.statusCode).toBe(401);
    await app.inject('/healthz');
    const requestLines = lines.filter((l) => l['reqId'] === 'req-1');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/api/users?api_token=[redacted]' }, res: { statusCode: 401 } });
    expect(typeof requestLines[0]?.['responseTime']).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret-value');
    expect(lines.some((l) => l['msg'] === 'incoming request')).toBe(false);
    expect(lines.some((l) => (l['req'] as { url?: string } | undefined)?.url === '/healthz')).toBe(false);
  });
});
