/** The admin's sign-in routes when Roster has no SMTP server, and for users that cannot receive a link. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/test-database.ts';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';

describe.each(openTestDatabase.drivers())('user sign-in admin routes without SMTP on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const admin = (method: 'GET' | 'POST', url: string, payload?: object) => h.app.inject({ method, url, headers: h.owner.headers, ...(payload ? { payload } : {}) });

  it('says what is missing instead of sending, and names unknown users', async () => {
    const u = (await admin('POST', '/api/users', { email: `nosmtp-${driver}@example.test`, displayName: 'No Mail' })).json() as { id: string };
    const invite = await admin('POST', `/api/users/${u.id}/sign-in/invite`);
    expect(invite.statusCode).toBe(409);
    expect(invite.json().error).toMatchObject({ code: 'conflict', details: { reason: 'smtp_not_configured' } });
    expect(invite.json().error.message).toContain('ROSTER_SMTP_URL');
    // Nothing was recorded as sent.
    expect((await admin('GET', `/api/users/${u.id}/sign-in`)).json()).toMatchObject({ status: 'never' });
    const reset = await admin('POST', `/api/users/${u.id}/sign-in/reset`);
    expect(reset.json().error).toMatchObject({ code: 'conflict', details: { reason: 'no_password' } });
    const unknown = crypto.randomUUID();
    expect((await admin('GET', `/api/users/${unknown}/sign-in`)).statusCode).toBe(404);
    expect((await admin('POST', `/api/users/${unknown}/sign-in/invite`)).statusCode).toBe(404);
    const bad = await admin('GET', '/api/users/not-a-uuid/sign-in');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('params.id');
  });
});
