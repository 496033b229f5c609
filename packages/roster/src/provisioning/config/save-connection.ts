/**
 * Storing how an application connects: an API token, or OAuth client details (tokens arrive later
 * through the OAuth callback, see oauth-tokens.ts). Secrets are encrypted with the secret key; the
 * audit log and the outbox name the method and the non-secret fields only.
 */
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Executor } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { recordChange } from '../../directory/outbox.ts';
import { type WriteOptions, inTransaction } from '../../directory/write-helpers.ts';
import { lockConfigRow, updateConfigRow } from './config-row.ts';
import type { ConnectionInput, ConnectionSecrets, StoredConnection } from './connection-schema.ts';
import { type ProvisioningConfig, toProvisioningConfig } from './load-config.ts';
import { encryptSecrets, secretNames } from './secrets.ts';

/**
 * Replaces the connection. New OAuth client details drop the tokens of the old ones (authorize
 * again); a new API token works at once. The cached account catalogue is dropped either way, since
 * the credentials may now reach another account or see other roles.
 */
export async function saveConnection(
  executor: Executor,
  key: Buffer,
  principal: Principal,
  applicationId: string,
  input: ConnectionInput,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<ProvisioningConfig> {
  return inTransaction(executor, async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const subdomain = typeof app.settings['subdomain'] === 'string' ? app.settings['subdomain'] : null;
    await lockConfigRow(tx, applicationId, expectedVersion);
    const now = new Date().toISOString();
    const secrets: ConnectionSecrets = input.method === 'api_token' ? { apiToken: input.apiToken } : { clientSecret: input.clientSecret };
    const stored: StoredConnection =
      input.method === 'api_token'
        ? { method: 'api_token', adminEmail: input.adminEmail, connectedAt: now, storedSecrets: secretNames(secrets) }
        : { method: 'oauth', clientId: input.clientId, connectedAt: null, storedSecrets: secretNames(secrets) };
    const after = await updateConfigRow(tx, applicationId, {
      connection: stored as Record<string, unknown>,
      secrets: encryptSecrets(key, secrets),
      tokenExpiresAt: null,
    });
    const shown = input.method === 'api_token' ? { method: input.method, adminEmail: input.adminEmail } : { method: input.method, clientId: input.clientId };
    await recordAudit(tx, principal, { action: 'provisioning.connection.update', targetType: 'application', targetId: applicationId, after: shown }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.connection'] } });
    return toProvisioningConfig(app.type, subdomain, applicationId, after);
  });
}
