/** The `provisioning_configs` row of an application: read it, or create and lock it for a write. */
import { eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { versionConflict } from '../../errors/app-error.ts';

export type ConfigRow = typeof provisioningConfigs.$inferSelect;

/** The row, or undefined while nothing was ever saved for the application. */
export async function findConfigRow(executor: Executor, applicationId: string): Promise<ConfigRow | undefined> {
  const [row] = await executor.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, applicationId));
  return row;
}

/**
 * Creates the row if needed and locks it for the rest of `tx`; refuses a stale `expectedVersion`.
 * A never-saved configuration reads as version 1, the version its row is created with.
 */
export async function lockConfigRow(tx: Tx, applicationId: string, expectedVersion?: number): Promise<ConfigRow> {
  await tx.insert(provisioningConfigs).values({ applicationId }).onConflictDoNothing();
  const [row] = await tx.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, applicationId)).for('update');
  if (!row) throw new Error(`provisioning_configs row of ${applicationId} vanished inside its transaction`);
  if (expectedVersion !== undefined && expectedVersion !== row.version) throw versionConflict('provisioning configuration', applicationId, row.version);
  return row;
}

/**
 * Writes `set` and bumps the version; returns the new row. `bumpVersion: false` for what Roster does
 * on its own (a token refresh), which must not make an admin's pending edit a conflict.
 */
export async function updateConfigRow(
  tx: Executor,
  applicationId: string,
  set: Partial<Omit<ConfigRow, 'applicationId' | 'version' | 'createdAt'>>,
  opts: { bumpVersion?: boolean } = {},
): Promise<ConfigRow> {
  const [row] = await tx
    .update(provisioningConfigs)
    .set({ ...set, ...(opts.bumpVersion === false ? {} : { version: sql`${provisioningConfigs.version} + 1` }), updatedAt: new Date() })
    .where(eq(provisioningConfigs.applicationId, applicationId))
    .returning();
  if (!row) throw new Error(`provisioning_configs row of ${applicationId} vanished inside its transaction`);
  return row;
}
