import type { IncomingMessage } from 'node:http';
import type { Account } from '../store/account.ts';
import { randomToken } from '../store/ids.ts';
import type { UserRecord } from '../store/user-record.ts';

/** Cookie name is per account, so the default account at `/` and `/{sub}` never share a session. */
export const sessionCookieName = (account: Account) => `zd_sandbox_${account.subdomain.replace(/-/g, '_')}`;

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The signed-in admin of this browser session, if any. */
export function sessionOf(account: Account, req: IncomingMessage): { user: UserRecord; csrf: string } | undefined {
  const sid = readCookie(req, sessionCookieName(account));
  const session = sid ? account.sessions.get(sid) : undefined;
  const user = session ? account.users.get(session.userId) : undefined;
  return session && user && user.active && user.role === 'admin' ? { user, csrf: session.csrf } : undefined;
}

/** Starts a session and returns its Set-Cookie header value. */
export function startSession(account: Account, user: UserRecord): string {
  const sid = randomToken(24);
  account.sessions.set(sid, { userId: user.id, csrf: randomToken(16) });
  return `${sessionCookieName(account)}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The signed-in user of this browser session, whatever the role (the SSO home page); with the session id. */
export function signedInUser(account: Account, req: IncomingMessage): { sid: string; user: UserRecord } | undefined {
  const sid = readCookie(req, sessionCookieName(account));
  const session = sid ? account.sessions.get(sid) : undefined;
  const user = session ? account.users.get(session.userId) : undefined;
  return sid && user && user.active && !user.suspended ? { sid, user } : undefined;
}

/** Ends a session; returns the Set-Cookie header value that clears the cookie. */
export function endSession(account: Account, sid: string): string {
  account.sessions.delete(sid);
  return `${sessionCookieName(account)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
