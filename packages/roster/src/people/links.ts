/**
 * One-time links of directory users: an invitation (set a first password, valid 7 days) and a
 * password reset (valid 1 hour). The token travels only in the email and the URL fragment (never
 * sent to a server, so it stays out of access logs and Referer); only its sha256 is stored. A link
 * is used at most once, and a newer link of the same kind replaces an older one.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { newToken, sha256 } from '../admins/secrets.ts';
import type { Executor } from '../db/database.ts';
import { portalTokens } from '../db/people-schema.ts';

export type LinkKind = 'invite' | 'reset';

export const LINK_TTL_MS: Record<LinkKind, number> = { invite: 7 * 24 * 60 * 60_000, reset: 60 * 60_000 };
const PREFIX: Record<LinkKind, string> = { invite: 'rpi', reset: 'rpr' };
/** The portal page each kind of link opens. */
export const LINK_PAGE: Record<LinkKind, string> = { invite: '/portal/accept-invitation', reset: '/portal/reset-password' };

export const linkExpiry = (kind: LinkKind, now: Date): Date => new Date(now.getTime() + LINK_TTL_MS[kind]);

/** The URL to mail: the token in the fragment. */
export const linkUrl = (publicUrl: string, kind: LinkKind, token: string): string => `${publicUrl}${LINK_PAGE[kind]}#token=${encodeURIComponent(token)}`;

/** Makes a new link for the user (unused older ones of the kind stop working); returns the token once. */
export async function issueLink(executor: Executor, userId: string, kind: LinkKind, now: Date = new Date()): Promise<{ token: string; expiresAt: Date }> {
  await executor.delete(portalTokens).where(and(eq(portalTokens.userId, userId), eq(portalTokens.kind, kind), isNull(portalTokens.usedAt)));
  const token = newToken(PREFIX[kind]);
  const expiresAt = linkExpiry(kind, now);
  await executor.insert(portalTokens).values({ userId, kind, tokenHash: sha256(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/**
 * Marks the link used and returns its user, or null when it is unknown, of another kind, expired or
 * already used. One conditional update: two concurrent uses cannot both succeed.
 */
export async function consumeLink(executor: Executor, token: string, kind: LinkKind, now: Date = new Date()): Promise<string | null> {
  if (!token.startsWith(`${PREFIX[kind]}_`) || token.length > 100) return null;
  const [row] = await executor
    .update(portalTokens)
    .set({ usedAt: now })
    .where(and(eq(portalTokens.tokenHash, sha256(token)), eq(portalTokens.kind, kind), isNull(portalTokens.usedAt), gt(portalTokens.expiresAt, now)))
    .returning({ userId: portalTokens.userId });
  return row?.userId ?? null;
}

/** Whether a link would be accepted now, without using it (the page asks before showing its form). */
export async function linkUsable(executor: Executor, token: string, kind: LinkKind, now: Date = new Date()): Promise<boolean> {
  if (!token.startsWith(`${PREFIX[kind]}_`) || token.length > 100) return false;
  const rows = await executor
    .select({ id: portalTokens.id })
    .from(portalTokens)
    .where(and(eq(portalTokens.tokenHash, sha256(token)), eq(portalTokens.kind, kind), isNull(portalTokens.usedAt), gt(portalTokens.expiresAt, now)))
    .limit(1);
  return rows.length > 0;
}
