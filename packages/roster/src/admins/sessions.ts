/**
 * Admin UI sessions. The cookie value is random and only its sha256 is stored. A session expires
 * 12 hours after its last use (sliding) and never later than 7 days after sign-in.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { adminSessions } from '../db/schema.ts';
import { sha256 } from './secrets.ts';

export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
/** Sliding expiry is written at most this often, so page loads do not each write. */
export const SESSION_TOUCH_MS = 60_000;

export interface NewSession {
  /** The cookie value: give it to the browser once, never store or log it. */
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(executor: Executor, adminId: string, now: Date = new Date()): Promise<NewSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await executor.insert(adminSessions).values({ idHash: sha256(cookieValue), adminId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt });
  return { cookieValue, csrfToken, expiresAt };
}

export async function deleteSession(executor: Executor, cookieValue: string): Promise<boolean> {
  const rows = await executor.delete(adminSessions).where(eq(adminSessions.idHash, sha256(cookieValue))).returning({ adminId: adminSessions.adminId });
  return rows.length > 0;
}

/** Extends a session's sliding expiry, capped at SESSION_MAX_MS after sign-in. */
export async function touchSession(executor: Executor, cookieValue: string, now: Date = new Date()): Promise<void> {
  const idle = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
  await executor
    .update(adminSessions)
    .set({ lastSeenAt: now, expiresAt: sql`least(${idle}::timestamptz, ${adminSessions.createdAt} + ${sql.raw(`interval '${SESSION_MAX_MS / 1000} seconds'`)})` })
    .where(eq(adminSessions.idHash, sha256(cookieValue)));
}

/** Ends an admin's sessions (all, or all but the one they are using). */
export async function endSessions(executor: Executor, adminId: string, keepCookieValue?: string): Promise<number> {
  const keep = keepCookieValue === undefined ? undefined : ne(adminSessions.idHash, sha256(keepCookieValue));
  const rows = await executor.delete(adminSessions).where(and(eq(adminSessions.adminId, adminId), keep)).returning({ adminId: adminSessions.adminId });
  return rows.length;
}
