/**
 * The outcome of the last Test connection on the saved credentials, kept on the stored connection
 * so the page says *Not working* with the cause instead of a green badge for credentials that fail.
 * Saving new credentials replaces the stored connection, and with it this outcome.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import type { CheckReport } from '../../connectors/contract.ts';
import type { LastTest } from '../config/connection-schema.ts';

/** The first failed step's message is the cause an admin reads. */
export function lastTestOf(report: CheckReport, at: Date = new Date()): LastTest {
  const failed = report.steps.find((s) => !s.ok);
  return { ok: report.ok, at: at.toISOString(), cause: report.ok ? null : (failed ? `${failed.name}: ${failed.message}` : 'the check failed') };
}

/** Merged in one statement (no version bump), like the cached catalogue. */
export async function recordLastTest(db: Db, applicationId: string, last: LastTest): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ connection: sql`${provisioningConfigs.connection} || jsonb_build_object('lastTest', ${JSON.stringify(last)}::jsonb)` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}
