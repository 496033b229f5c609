/**
 * Test connection, and reading the connected account's catalogue (fields and roles). A successful
 * test or read refreshes the cached catalogue on the configuration, so saving settings and checking
 * roles need no network call. Runs outside any transaction (see open-connection.ts).
 */
import type { Capabilities, CheckReport, TargetField, TargetRole } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { type Result, err, ok } from '../../errors/result.ts';
import { type AppError, isAppError } from '../../errors/app-error.ts';
import { eq, sql } from 'drizzle-orm';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import type { Catalogue } from '../config/connection-schema.ts';
import { appErrorOf } from './connector-errors.ts';
import { identityChangedError, recordTargetIdentity } from './target-identity.ts';
import { type OpenConnectionInput, type OpenedConnection, openConnection } from './open-connection.ts';

export interface TestResult {
  report: CheckReport;
  capabilities: Capabilities | null;
}

/** Opens the connection or fails with the API's error (not connected, undecryptable, bad config). */
export async function openOrFail(input: OpenConnectionInput): Promise<Result<OpenedConnection, AppError>> {
  const opened = await openConnection(input);
  if (opened.ok) return opened;
  return err(isAppError(opened.error) ? opened.error : appErrorOf(opened.error));
}

/** Runs the connector's check; on success also reads and caches the catalogue. */
export async function testConnection(input: OpenConnectionInput): Promise<Result<TestResult, AppError>> {
  const opened = await openOrFail(input);
  if (!opened.ok) return opened;
  const { connection } = opened.value;
  const report = await connection.check();
  if (!report.ok) return ok({ report, capabilities: report.capabilities ?? null });
  const catalogue = await readCatalogue(input.db, opened.value);
  if (!catalogue.ok) report.warnings.push(`The account's roles and fields could not be read: ${catalogue.error.message}`);
  // Connect time: the account's identity is recorded; a test never re-accepts another account silently.
  const recorded = opened.value.config.stored.targetIdentity;
  const identity = await connection.accountIdentity(recorded ?? null);
  if (!identity.ok) report.warnings.push(`The account's identity could not be read: ${identity.error.message}`);
  else if (!recorded) await recordTargetIdentity(input.db, opened.value.config.applicationId, identity.value);
  else if (identity.value.key !== recorded.key) report.warnings.push(identityChangedError(recorded, identity.value).message);
  return ok({ report, capabilities: report.capabilities ?? null });
}

/** Reads the account's fields and roles and caches them on the configuration (no version bump). */
export async function readCatalogue(db: Db, opened: OpenedConnection): Promise<Result<Catalogue, AppError>> {
  const [fields, roles] = await Promise.all([opened.connection.fields(), opened.connection.roles()]);
  if (!fields.ok) return err(appErrorOf(fields.error));
  if (!roles.ok) return err(appErrorOf(roles.error));
  const catalogue: Catalogue = { fields: fields.value as TargetField[], roles: roles.value as TargetRole[], readAt: new Date().toISOString() };
  await cacheCatalogue(db, opened.config.applicationId, catalogue);
  return ok(catalogue);
}

/** Merged into the stored connection in one statement, so a concurrent connection change is not overwritten. */
async function cacheCatalogue(db: Db, applicationId: string, catalogue: Catalogue): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ connection: sql`${provisioningConfigs.connection} || jsonb_build_object('catalogue', ${JSON.stringify(catalogue)}::jsonb)` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}
