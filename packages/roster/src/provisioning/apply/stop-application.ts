/**
 * A configuration error (credentials refused or expired, lost admin rights, mappings that no longer
 * compile) quarantines the application the moment it happens, so the rest of the run and other
 * workers see it. The end of the run (health/record-run-health.ts) completes the quarantine: its
 * memory, the slowed cycle and the one notification. Slowed cycles keep trying, so the application
 * recovers by itself once the cause is fixed; reconnecting requests a cycle at once.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import type { ConnectorError } from '../../connectors/contract.ts';
import { TARGET_IDENTITY_CHANGED } from '../connection/target-identity.ts';

export async function stopApplication(executor: Executor, applicationId: string, error: ConnectorError): Promise<void> {
  if (error.class !== 'configuration') return;
  if (error.code === TARGET_IDENTITY_CHANGED) return stopForAnotherAccount(executor, applicationId, error);
  await executor
    .update(provisioningConfigs)
    .set({
      state: 'quarantined',
      stateReason: { code: 'quarantined', cause: 'configuration', message: `Quarantined: ${error.message} (${error.code}).`, advice: error.advice, error: { code: error.code, message: error.message, advice: error.advice }, at: new Date().toISOString() },
      updatedAt: new Date(),
    })
    // Never over an admin's state (off, paused).
    .where(and(eq(provisioningConfigs.applicationId, applicationId), inArray(provisioningConfigs.state, ['idle', 'running', 'quarantined'])));
}

/**
 * Another account behind the connection is not a fault that heals by itself: the application is
 * stopped (no slowed retries writing nothing) until an admin reconnects or restarts with reset links.
 */
async function stopForAnotherAccount(executor: Executor, applicationId: string, error: ConnectorError): Promise<void> {
  await executor
    .update(provisioningConfigs)
    .set({
      state: 'stopped',
      stateReason: { code: error.code, cause: 'configuration', message: error.message, advice: error.advice, error: { code: error.code, message: error.message, advice: error.advice }, at: new Date().toISOString() },
      updatedAt: new Date(),
    })
    .where(and(eq(provisioningConfigs.applicationId, applicationId), inArray(provisioningConfigs.state, ['idle', 'running', 'quarantined'])));
}
