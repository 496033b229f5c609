/**
 * Portal sessions of directory users (cookie `roster_portal`, separate from the admins' `roster_session`).
 * The cookie value is random and only its sha256 is stored. A session expires 8 hours after its last
 * use (sliding) and never later than 7 days after sign-in; a session still waiting for its second
 * factor (or for the enrolment the policy requires) lives 15 minutes and opens nothing but that step.
 * The user's status is checked on every request, and deactivating or deleting the user deletes the
 * rows in the same transaction (a trigger on `users`, migration 0010).
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { sha256 } from '../admins/secrets.ts';
import type { Executor } from '../db/database.ts';
import { portalSessions, portalSettings } from '../db/people-schema.ts';
import { users } from '../db/schema.ts';

export const PORTAL_COOKIE = 'roster_portal';
export const PORTAL_SESSION_IDLE_MS = 8 * 60 * 60_000;
export const PORTAL_SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
/** How long a half-done sign-in (second factor or enrolment due) may take. */
export const PORTAL_PENDING_MS = 15 * 60_000;
/** Sliding expiry is written at most this often. */
const TOUCH_MS = 60_000;

export type PortalStage = 'full' | 'second_factor' | 'enrol';

export interface PortalUser {
  userId: string;
  sessionId: string;
  email: string;
  displayName: string;
  authenticatedAt: Date;
  mfa: boolean;
}

/** A session in any stage, for the portal's own API (the sign-in steps). */
export interface PortalSessionState extends PortalUser {
  stage: PortalStage;
  csrfToken: string;
  /** The organisation requires a second factor. */
  mfaRequired: boolean;
}

export interface NewPortalSession {
  sessionId: string;
  /** The cookie value: give it to the browser once, never store or log it. */
  cookieValue: string;
  csrfToken: string;
}

export async function createPortalSession(
  executor: Executor,
  input: { userId: string; stage: PortalStage; mfa: boolean; method: string; address?: string | null; userAgent?: string | null },
  now: Date = new Date(),
): Promise<NewPortalSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + (input.stage === 'full' ? PORTAL_SESSION_IDLE_MS : PORTAL_PENDING_MS));
  // The user's expired sessions go as a new one comes, so the admin's list and the table stay short.
  await executor.delete(portalSessions).where(and(eq(portalSessions.userId, input.userId), lte(portalSessions.expiresAt, now)));
  const [row] = await executor
    .insert(portalSessions)
    .values({
      idHash: sha256(cookieValue),
      userId: input.userId,
      csrfToken,
      stage: input.stage,
      mfa: input.mfa,
      method: input.method,
      address: input.address ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
      authenticatedAt: now,
      lastSeenAt: now,
      expiresAt,
    })
    .returning({ id: portalSessions.id });
  return { sessionId: row!.id, cookieValue, csrfToken };
}

/** Moves a half-done session to `full` after its second factor or enrolment. */
export async function completePortalSession(executor: Executor, sessionId: string, method: string, now: Date = new Date()): Promise<void> {
  await executor
    .update(portalSessions)
    .set({ stage: 'full', mfa: true, method, authenticatedAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + PORTAL_SESSION_IDLE_MS) })
    .where(eq(portalSessions.id, sessionId));
}

export function portalCookieOf(request: FastifyRequest): string | undefined {
  const value = (request as { cookies?: Record<string, string | undefined> }).cookies?.[PORTAL_COOKIE];
  return value && value.length <= 200 ? value : undefined;
}

/** The session of this request in whatever stage, or null (none, expired, revoked, user not active). */
export async function portalSessionOf(executor: Executor, request: FastifyRequest, now: Date = new Date()): Promise<PortalSessionState | null> {
  const cookie = portalCookieOf(request);
  return cookie ? portalSessionByCookie(executor, cookie, now) : null;
}

export async function portalSessionByCookie(executor: Executor, cookie: string, now: Date = new Date()): Promise<PortalSessionState | null> {
  const [row] = await executor
    .select({
      sessionId: portalSessions.id,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      authenticatedAt: portalSessions.authenticatedAt,
      mfa: portalSessions.mfa,
      stage: portalSessions.stage,
      csrfToken: portalSessions.csrfToken,
      lastSeenAt: portalSessions.lastSeenAt,
      mfaRequired: sql<boolean | null>`(select ${portalSettings.mfaRequired} from ${portalSettings} where ${portalSettings.id} = 1)`,
    })
    .from(portalSessions)
    .innerJoin(users, eq(users.id, portalSessions.userId))
    .where(and(eq(portalSessions.idHash, sha256(cookie)), gt(portalSessions.expiresAt, now), eq(users.status, 'active'), isNull(users.deletedAt)))
    .limit(1);
  if (!row) return null;
  if (row.stage === 'full' && now.getTime() - row.lastSeenAt.getTime() > TOUCH_MS) await touchPortalSession(executor, row.sessionId, now);
  const { lastSeenAt: _seen, ...rest } = row;
  return { ...rest, stage: row.stage as PortalStage, mfaRequired: row.mfaRequired === true };
}

/** Extends a full session's sliding expiry, capped at PORTAL_SESSION_MAX_MS after it was created. */
async function touchPortalSession(executor: Executor, sessionId: string, now: Date): Promise<void> {
  const idle = new Date(now.getTime() + PORTAL_SESSION_IDLE_MS).toISOString();
  await executor
    .update(portalSessions)
    .set({ lastSeenAt: now, expiresAt: sql`least(${idle}::timestamptz, ${portalSessions.createdAt} + ${sql.raw(`interval '${PORTAL_SESSION_MAX_MS / 1000} seconds'`)})` })
    .where(and(eq(portalSessions.id, sessionId), eq(portalSessions.stage, 'full')));
}

/**
 * The signed-in directory user of this request, or null (no/expired/revoked session, a sign-in whose
 * second factor is still due, a session without a second factor while the organisation requires one,
 * or the user is not active).
 */
export async function currentPortalUser(executor: Executor, request: FastifyRequest): Promise<PortalUser | null> {
  const s = await portalSessionOf(executor, request);
  if (!s || s.stage !== 'full' || (s.mfaRequired && !s.mfa)) return null;
  return { userId: s.userId, sessionId: s.sessionId, email: s.email, displayName: s.displayName, authenticatedAt: s.authenticatedAt, mfa: s.mfa };
}

/** Ends one session (sign-out, single logout). */
export async function endPortalSession(executor: Executor, sessionId: string): Promise<void> {
  await executor.delete(portalSessions).where(eq(portalSessions.id, sessionId));
}

/** Ends the sessions with these ids (SAML single logout names them by SessionIndex); returns whose they were. */
export async function endPortalSessionsById(executor: Executor, sessionIds: readonly string[]): Promise<{ sessionId: string; userId: string }[]> {
  if (sessionIds.length === 0) return [];
  return executor.delete(portalSessions).where(inArray(portalSessions.id, [...sessionIds])).returning({ sessionId: portalSessions.id, userId: portalSessions.userId });
}

/** Ends every session of a user; returns how many. */
export async function endPortalSessionsOf(executor: Executor, userId: string): Promise<number> {
  const rows = await executor.delete(portalSessions).where(eq(portalSessions.userId, userId)).returning({ id: portalSessions.id });
  return rows.length;
}

/** Cookie attributes of `roster_portal` (SameSite=Lax so the SSO redirects carry it). */
export const portalCookieOptions = (publicUrl: string) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: publicUrl.startsWith('https:'),
});
