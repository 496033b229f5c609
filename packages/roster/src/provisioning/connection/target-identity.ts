/**
 * Trust the target, not memory (DESIGN §3.6), for the account itself: the connected account's
 * identity is recorded when it is first seen and checked at the start of every run that writes.
 * Another account behind the same address (a reset, a restore, another subdomain owner) stops the
 * application with a clear state instead of applying a plan whose links name someone else's users.
 */
import { eq, sql } from 'drizzle-orm';
import type { AccountIdentity, Connection, ConnectorError } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';

export const TARGET_IDENTITY_CHANGED = 'target_identity_changed';

export const identityChangedError = (recorded: AccountIdentity, now: AccountIdentity): ConnectorError => ({
  code: TARGET_IDENTITY_CHANGED,
  class: 'configuration',
  message: `This is not the account you connected: it was identified by ${recorded.label}, it is now identified by ${now.label}. Nothing was written.`,
  advice: 'Reconnect (save the connection again, or authorize again) to relink from scratch, or restart provisioning with reset links, which matches every user again by the matching attributes.',
});

/**
 * Checks the account against the recorded identity; records it when none is (the first run after
 * connecting). A changed identity is a configuration error with the code `target_identity_changed`.
 */
export async function verifyTargetIdentity(db: Db, applicationId: string, recorded: AccountIdentity | undefined, connection: Connection, sleep: (ms: number) => Promise<void>): Promise<Result<AccountIdentity, ConnectorError>> {
  const now = await callWithRetry(() => connection.accountIdentity(recorded ?? null), { sleep });
  if (!now.ok) return now;
  if (!recorded) {
    await recordTargetIdentity(db, applicationId, now.value);
    return now;
  }
  if (now.value.key !== recorded.key) return { ok: false, error: identityChangedError(recorded, now.value) };
  return now;
}

/** Merged into the stored connection in one statement (a concurrent connection change is not overwritten). */
export async function recordTargetIdentity(db: Db, applicationId: string, identity: AccountIdentity): Promise<void> {
  const value = { key: identity.key, label: identity.label, recordedAt: new Date().toISOString() };
  await db
    .update(provisioningConfigs)
    .set({ connection: sql`${provisioningConfigs.connection} || jsonb_build_object('targetIdentity', ${JSON.stringify(value)}::jsonb)` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}
