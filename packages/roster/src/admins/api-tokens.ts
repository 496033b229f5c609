/** Personal API tokens: shown once at creation, stored as sha256, listed without the hash. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { plainText } from '../directory/text.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { apiTokens } from '../db/schema.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import type { Principal } from './permissions.ts';
import { newToken, sha256 } from './secrets.ts';

export const TOKEN_PREFIX = 'rst';
/** Characters of the token kept in clear, so an admin can recognise it in a list. */
const SHOWN_PREFIX_LENGTH = 12;

export const createTokenSchema = z.strictObject({
  name: plainText().trim().min(1, 'must not be empty').max(100),
  /** Absent: the token never expires (it can still be revoked). */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const tokenViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;

type TokenRow = typeof apiTokens.$inferSelect;

const toTokenView = (r: TokenRow): TokenView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

/** An admin's tokens, newest first, revoked and expired ones included. */
export async function listTokens(executor: Executor, adminId: string): Promise<TokenView[]> {
  const rows = await executor.select().from(apiTokens).where(eq(apiTokens.adminId, adminId)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toTokenView);
}

export async function createToken(
  db: Db,
  actor: Principal,
  input: z.infer<typeof createTokenSchema>,
  requestId?: string,
): Promise<{ token: TokenView; value: string }> {
  if (!actor.adminId) throw new AppError('forbidden', 'Only an admin account can own API tokens.');
  const adminId = actor.adminId;
  const value = newToken(TOKEN_PREFIX);
  const expiresAt = input.expiresInDays === undefined ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ adminId, name: input.name, tokenHash: sha256(value), prefix: value.slice(0, SHOWN_PREFIX_LENGTH), expiresAt })
      .returning();
    if (!row) throw new Error('insert returned no row');
    const token = toTokenView(row);
    await recordAudit(tx, actor, { action: 'admin.token.create', targetType: 'api_token', targetId: row.id, after: { ...token, adminId } }, requestId);
    return { token, value };
  });
}

/** Revokes one of `ownerId`'s tokens; revoking twice is harmless and keeps the first time. */
export async function revokeToken(db: Db, actor: Principal, ownerId: string, tokenId: string, requestId?: string): Promise<TokenView> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.adminId, ownerId))).limit(1);
    if (!current) throw notFound('API token', tokenId);
    if (current.revokedAt) return toTokenView(current);
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning();
    const token = toTokenView(row ?? current);
    await recordAudit(tx, actor, { action: 'admin.token.revoke', targetType: 'api_token', targetId: tokenId, before: toTokenView(current), after: { ...token, adminId: ownerId } }, requestId);
    return token;
  });
}

/** Why an admin's tokens were revoked all at once. */
export type BulkRevokeReason = 'password_reset' | 'admin_disabled';

/**
 * Revokes every live API token of an admin (their password was reset, or they were disabled), one
 * `admin.token.revoke` audit entry each, inside the caller's transaction. Returns how many.
 */
export async function revokeAdminTokens(tx: Executor, actor: Principal, adminId: string, reason: BulkRevokeReason, requestId?: string, now: Date = new Date()): Promise<number> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.adminId, adminId), isNull(apiTokens.revokedAt)))
    .returning();
  await recordAudit(
    tx,
    actor,
    rows.map((r) => ({ action: 'admin.token.revoke', targetType: 'api_token', targetId: r.id, after: { ...toTokenView(r), adminId, reason } })),
    requestId,
  );
  return rows.length;
}
