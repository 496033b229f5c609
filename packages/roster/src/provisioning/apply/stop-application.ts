/** A configuration error (expired token, lost admin rights) stops the application until an admin acts. */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import type { ConnectorError } from '../../connectors/contract.ts';

export async function stopApplication(executor: Executor, applicationId: string, error: ConnectorError): Promise<void> {
  await executor
    .update(provisioningConfigs)
    .set({
      state: 'stopped',
      stateReason: { code: error.code, message: error.message, advice: error.advice, at: new Date().toISOString() },
      version: sql`${provisioningConfigs.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}
