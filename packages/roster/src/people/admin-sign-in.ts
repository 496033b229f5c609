/** What an admin sees and does about a directory user's sign-in: status, sessions, revocation. */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../admins/permissions.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { portalSessions } from '../db/people-schema.ts';
import { notFound } from '../errors/app-error.ts';
import { accountById } from './credentials.ts';

export const portalSessionViewSchema = z.object({
  id: z.uuid(),
  stage: z.string(),
  method: z.string(),
  mfa: z.boolean(),
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

export const signInStatusSchema = z.object({
  /** `never`: no invitation, no password; `invited`: invitation sent, no password yet; `active`: has a password. */
  status: z.enum(['never', 'invited', 'active']),
  invitedAt: z.iso.datetime().nullable(),
  passwordSetAt: z.iso.datetime().nullable(),
  lastSignInAt: z.iso.datetime().nullable(),
  totp: z.boolean(),
  passkeys: z.number().int(),
  sessions: z.array(portalSessionViewSchema),
});
export type SignInStatus = z.infer<typeof signInStatusSchema>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export async function signInStatus(db: Db, userId: string): Promise<SignInStatus> {
  const a = await accountById(db, userId);
  if (!a) throw notFound('user', userId);
  const sessions = await db
    .select({
      id: portalSessions.id,
      stage: portalSessions.stage,
      method: portalSessions.method,
      mfa: portalSessions.mfa,
      address: portalSessions.address,
      userAgent: portalSessions.userAgent,
      createdAt: portalSessions.createdAt,
      lastSeenAt: portalSessions.lastSeenAt,
      expiresAt: portalSessions.expiresAt,
    })
    .from(portalSessions)
    .where(eq(portalSessions.userId, userId))
    .orderBy(desc(portalSessions.lastSeenAt));
  const now = Date.now();
  return {
    status: a.passwordHash ? 'active' : a.invitedAt ? 'invited' : 'never',
    invitedAt: iso(a.invitedAt),
    passwordSetAt: iso(a.passwordSetAt),
    lastSignInAt: iso(a.lastSignInAt),
    totp: a.totpConfirmed,
    passkeys: a.passkeys,
    sessions: sessions
      .filter((s) => s.expiresAt.getTime() > now)
      .map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString() })),
  };
}

/** Ends one session of the user (`sessionId`) or all of them; returns how many ended. */
export async function revokeSessions(db: Db, actor: Principal, userId: string, sessionId: string | null, requestId?: string): Promise<number> {
  if (!(await accountById(db, userId))) throw notFound('user', userId);
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(portalSessions)
      .where(and(eq(portalSessions.userId, userId), sessionId === null ? undefined : eq(portalSessions.id, sessionId)))
      .returning({ id: portalSessions.id });
    if (sessionId !== null && rows.length === 0) throw notFound('session', sessionId);
    await recordAudit(tx, actor, { action: sessionId === null ? 'user.sign_in.sessions.revoke_all' : 'user.sign_in.session.revoke', targetType: 'user', targetId: userId, after: { sessionsEnded: rows.length, ...(sessionId ? { portalSessionId: sessionId } : {}) } }, requestId);
    return rows.length;
  });
}
