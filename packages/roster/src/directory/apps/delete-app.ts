/**
 * Soft-deletes an application. Its assignments stay in the table (they are never read through a
 * deleted application); the outbox row tells the engine to stop provisioning it.
 */
import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { applications } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { versionConflict } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, inTransaction } from '../write-helpers.ts';
import { findAppRow } from './app-view.ts';

export async function deleteApp(executor: Executor, principal: Principal, id: string, expectedVersion: number | undefined, opts: WriteOptions = {}): Promise<void> {
  await inTransaction(executor, async (tx) => {
    await tx.execute(sql`select 1 from ${applications} where ${applications.id} = ${id} for update`);
    const app = await findAppRow(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== app.version) throw versionConflict('application', id, app.version);
    await tx.update(applications).set({ deletedAt: new Date(), version: sql`${applications.version} + 1`, updatedAt: new Date() }).where(eq(applications.id, id));
    await recordAudit(tx, principal, { action: 'app.delete', targetType: 'application', targetId: id, before: { type: app.type, displayName: app.displayName, settings: app.settings } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: id, op: 'deleted', data: { type: app.type } });
  });
}
