import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { TEST_PASSWORD, signInOverHttp } from '../../../test/sign-in.ts';
import { loadConfig } from '../../config/config.ts';
import { buildApp } from '../app.ts';
import type { ApiApp } from '../context.ts';
import { loggerOptions } from '../logger.ts';

describe.each(openTestDatabase.drivers())('secrets stay out of the logs on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const config = loadConfig({ ROSTER_DATA_DIR: t.location.dataDir });
    if (!config.ok) throw new Error(config.error.join('\n'));
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino(loggerOptions('trace'), sink);
    ({ app } = await buildApp({ database: t.database, config: config.value, logger }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('logs requests by session and token without passwords, cookies, CSRF tokens or API tokens', async () => {
    const a = await createTestAdmin(t.database.db, { role: 'owner' });
    const s = await signInOverHttp(app, a.email, TEST_PASSWORD);
    const sessionValue = s.cookie.split('=')[1] as string;
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: s.write, payload: { name: 'logged?' } });
    const tokenValue = created.json().value as string;
    await app.inject({ url: '/api/tokens', headers: { authorization: `Bearer ${tokenValue}` } });
    await app.inject({ method: 'POST', url: '/api/session/password', headers: s.write, payload: { currentPassword: TEST_PASSWORD, newPassword: 'new-secret-password-42' } });
    await app.inject({ method: 'POST', url: '/api/session', payload: { email: a.email, password: 'wrong-secret-password' } });
    const made = await app.inject({ method: 'POST', url: '/api/admins', headers: s.write, payload: { email: 'logged@example.test', name: 'L' } });
    const otp = made.json().oneTimePassword as string;
    // Something logging a body by mistake is still redacted.
    app.log.info({ body: { password: 'leaked-password-77', newPassword: 'leaked-new-password', token: tokenValue } }, 'careless');

    const text = lines.join('');
    // One line per request (sign-in, token create and use, password change, failed sign-in, admin create), plus the careless one.
    expect(lines.filter((l) => l.includes('"msg":"request completed"')).length).toBeGreaterThanOrEqual(6);
    expect(text).toContain('careless');
    for (const secret of [TEST_PASSWORD, sessionValue, s.csrfToken, tokenValue, 'new-secret-password-42', 'wrong-secret-password', otp, 'leaked-password-77', 'leaked-new-password']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs the OAuth callback and other URLs without one-time codes, state, tokens or passwords', async () => {
    lines.length = 0;
    await app.inject({ url: '/provision/oauth/callback?code=one-time-code-123&state=state-value-456&lang=en' });
    await app.inject({ url: '/api/users?access_token=query-token-789&Password=query-password-0&q=ada' });
    const text = lines.join('');
    expect(text).toContain('/provision/oauth/callback?code=[redacted]&state=[redacted]&lang=en');
    expect(text).toContain('q=ada');
    for (const secret of ['one-time-code-123', 'state-value-456', 'query-token-789', 'query-password-0']) expect(text).not.toContain(secret);
  });
});
