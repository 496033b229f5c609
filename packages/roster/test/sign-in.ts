/** Signing in over HTTP in integration tests: the session cookie and the headers an unsafe request needs. */
import type { ApiApp } from '../src/api/context.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/api/auth.ts';

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  /** For safe methods: the cookie only. */
  read: { cookie: string };
  /** For unsafe methods: the cookie and the CSRF header. */
  write: { cookie: string; [CSRF_HEADER]: string };
  body: Record<string, unknown>;
}

/** The password createTestAdmin gives every admin. */
export const TEST_PASSWORD = 'test-password-123';

export async function signInOverHttp(app: ApiApp, email: string, password = TEST_PASSWORD, remoteAddress = '127.0.0.1'): Promise<SignedIn> {
  const r = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress });
  if (r.statusCode !== 200) throw new Error(`sign-in failed: ${r.statusCode} ${r.body}`);
  const value = r.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  if (!value) throw new Error('no session cookie');
  const body = r.json() as { csrfToken: string };
  const cookie = `${SESSION_COOKIE}=${value}`;
  return { cookie, csrfToken: body.csrfToken, read: { cookie }, write: { cookie, [CSRF_HEADER]: body.csrfToken }, body };
}
