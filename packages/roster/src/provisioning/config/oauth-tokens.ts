/**
 * Storing OAuth tokens: after the authorization callback (an admin action, audited) and after every
 * refresh (targets may rotate refresh tokens: the old pair stops working, so the new one must be kept
 * before anything else happens). The client secret stays as it was.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { lockConfigRow, updateConfigRow } from './config-row.ts';
import { type StoredConnection, readStoredConnection } from './connection-schema.ts';
import { decryptSecrets, encryptSecrets, secretNames } from './secrets.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when the access token does not expire. */
  expiresAt: number | null;
}

/**
 * Replaces the tokens inside `tx`. `granted` (after an authorization) records the scopes and the
 * moment of connection and bumps the version; a refresh (no `granted`) does not, so it never turns an
 * admin's pending edit into a conflict.
 */
export async function storeOAuthTokens(tx: Tx, key: Buffer, applicationId: string, tokens: TokenPair, granted?: { scopes: string[]; at: Date }): Promise<void> {
  const row = await lockConfigRow(tx, applicationId);
  // A new authorization may reach another account: its identity is recorded again (connection/target-identity.ts).
  const { targetIdentity, ...kept } = readStoredConnection(row.connection);
  const stored = granted ? kept : { ...kept, ...(targetIdentity ? { targetIdentity } : {}) };
  const secrets = { ...(row.secrets ? decryptSecrets(key, row.secrets) : {}), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  const connection: StoredConnection = {
    ...stored,
    storedSecrets: secretNames(secrets),
    ...(granted ? { scopes: granted.scopes, connectedAt: granted.at.toISOString() } : {}),
  };
  await updateConfigRow(
    tx,
    applicationId,
    { connection: connection as Record<string, unknown>, secrets: encryptSecrets(key, secrets), tokenExpiresAt: tokens.expiresAt === null ? null : new Date(tokens.expiresAt) },
    { bumpVersion: granted !== undefined },
  );
}

/** For `ConnectorDeps.onTokensRefreshed`: its own short transaction on the database (never a caller's). */
export function tokenRefreshStore(db: Db, key: Buffer, applicationId: string): (tokens: TokenPair) => Promise<void> {
  return (tokens) => db.transaction((tx) => storeOAuthTokens(tx, key, applicationId, tokens));
}

/**
 * For `ConnectorDeps.loadTokens`: the pair as stored now, so a worker whose refresh token was just
 * rotated by another worker adopts the new pair instead of stopping the application.
 */
export function storedTokenLoader(db: Db, key: Buffer, applicationId: string): () => Promise<TokenPair | null> {
  return async () => {
    const [row] = await db
      .select({ secrets: provisioningConfigs.secrets, expiresAt: provisioningConfigs.tokenExpiresAt })
      .from(provisioningConfigs)
      .where(eq(provisioningConfigs.applicationId, applicationId));
    if (!row?.secrets) return null;
    const secrets = decryptSecrets(key, row.secrets);
    if (!secrets.accessToken) return null;
    return { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken ?? null, expiresAt: row.expiresAt ? row.expiresAt.getTime() : null };
  };
}
