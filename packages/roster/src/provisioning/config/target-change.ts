/**
 * What moving an application to another target account (another account named in its settings) means for
 * its provisioning. The stored credentials, the links and the plans all belong to the old account:
 * kept, they would act on it under the new name. So the move is refused while anything of the old
 * account is kept, unless the admin asks to disconnect — then, in the same transaction as the move,
 * provisioning is switched off, the credentials, links, plans, escrow and open imports are dropped,
 * and the counts go into the move's audit entry.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { importSessions, links, membershipLinks, oauthHandshakes, provisioningCycles, provisioningPlans, provisioningRetries } from '../../db/provisioning-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findConfigRow, lockConfigRow, updateConfigRow } from './config-row.ts';

export type TargetChangeMode = 'refuse' | 'disconnect';

export type TargetDisconnect = {
  /** Provisioning was on before the move (it is off after it). */
  wasEnabled: boolean;
  /** The connection method that was dropped, or null when none was stored. */
  droppedConnection: string | null;
  deletedLinks: number;
  deletedMembershipLinks: number;
  cancelledCycles: number;
  supersededPlans: number;
  clearedEscrow: number;
  cancelledImports: number;
};

/**
 * Called inside the transaction that changes the target. Returns null when the application keeps
 * nothing of a target (never connected, no links); throws `connected_target_change` in `refuse`
 * mode otherwise; disconnects in `disconnect` mode and says what was dropped.
 */
export async function handleTargetChange(tx: Tx, applicationId: string, mode: TargetChangeMode, field: string): Promise<TargetDisconnect | null> {
  const row = await findConfigRow(tx, applicationId);
  const method = typeof row?.connection['method'] === 'string' ? row.connection['method'] : null;
  const [linked] = await tx.select({ n: sql<number>`count(*)::int` }).from(links).where(eq(links.applicationId, applicationId));
  const linkCount = Number(linked?.n ?? 0);
  if (!method && !row?.secrets && linkCount === 0 && !row?.enabled) return null;
  if (mode === 'refuse') {
    const kept = [method ? `its ${method === 'oauth' ? 'OAuth' : 'API token'} connection` : null, linkCount ? `${linkCount} links to accounts there` : null, row?.enabled ? 'provisioning switched on' : null].filter(Boolean).join(', ');
    throw new AppError(
      'connected_target_change',
      `This application is connected to its current account (${kept}); moving it elsewhere would act on the old account under the new name. Disconnect first: send "disconnect": true with the change to switch provisioning off and drop the credentials and links in the same step, then connect the new account.`,
      { issues: [{ path: `body.settings.${field}`, reason: 'the application is connected; send "disconnect": true to disconnect and reset its links' }], details: { linkCount, connected: method !== null, enabled: row?.enabled ?? false } },
    );
  }
  const before = await lockConfigRow(tx, applicationId);
  const cancelled = await tx
    .update(provisioningCycles)
    .set({ status: 'cancelled', finishedAt: sql`now()`, error: { code: 'target_changed', message: 'Cancelled: the application was moved to another account.' } })
    .where(and(eq(provisioningCycles.applicationId, applicationId), eq(provisioningCycles.status, 'running')))
    .returning({ id: provisioningCycles.id });
  const superseded = await tx
    .update(provisioningPlans)
    .set({ status: 'superseded', version: sql`${provisioningPlans.version} + 1`, updatedAt: new Date() })
    .where(and(eq(provisioningPlans.applicationId, applicationId), inArray(provisioningPlans.status, ['computing', 'ready', 'pending'])))
    .returning({ id: provisioningPlans.id });
  const cleared = await tx.delete(provisioningRetries).where(eq(provisioningRetries.applicationId, applicationId)).returning({ id: provisioningRetries.directoryId });
  const imports = await tx
    .update(importSessions)
    .set({ status: 'cancelled', finishedAt: new Date(), updatedAt: new Date(), version: sql`${importSessions.version} + 1` })
    .where(and(eq(importSessions.applicationId, applicationId), inArray(importSessions.status, ['reading', 'classified'])))
    .returning({ id: importSessions.id });
  const memberships = await tx.delete(membershipLinks).where(eq(membershipLinks.applicationId, applicationId)).returning({ id: membershipLinks.applicationId });
  const deleted = await tx.delete(links).where(eq(links.applicationId, applicationId)).returning({ id: links.directoryId });
  await tx.delete(oauthHandshakes).where(eq(oauthHandshakes.applicationId, applicationId));
  await updateConfigRow(tx, applicationId, { enabled: false, state: 'off', stateReason: null, connection: {}, secrets: null, tokenExpiresAt: null, health: {}, lastCycleAt: null, nextCycleAt: null });
  return {
    wasEnabled: before.enabled,
    droppedConnection: method,
    deletedLinks: deleted.length,
    deletedMembershipLinks: memberships.length,
    cancelledCycles: cancelled.length,
    supersededPlans: superseded.length,
    clearedEscrow: cleared.length,
    cancelledImports: imports.length,
  };
}
