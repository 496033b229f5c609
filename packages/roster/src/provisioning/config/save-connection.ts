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
import { type Queue, ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../cycles/job-names.ts';
import { requestCycle } from '../cycles/request-cycle.ts';
import { type ConnectionInput, type ConnectionSecrets, type StoredConnection, readStoredConnection } from './connection-schema.ts';
import { type ProvisioningConfig, toProvisioningConfig } from './load-config.ts';
import { decryptSecrets, encryptSecrets, secretNames } from './secrets.ts';

/**
 * Replaces the connection. New OAuth client details drop the tokens of the old ones (authorize
 * again; the same details sent again keep them); a new API token works at once, and lets an
 * application quarantined (or, before quarantine existed, stopped) for bad credentials go on: a
 * catch-up cycle, which lifts the quarantine when it succeeds. The cached
 * account catalogue is dropped when the credentials change, since they may reach another account.
 */
export async function saveConnection(
  executor: Executor,
  key: Buffer,
  principal: Principal,
  applicationId: string,
  input: ConnectionInput,
  expectedVersion: number | undefined,
  opts: WriteOptions & { queue?: Queue | undefined } = {},
): Promise<ProvisioningConfig> {
  if (opts.queue && input.method === 'api_token') await ensureQueues(opts.queue, [provisioningQueues.cycle]);
  return inTransaction(executor, async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const previous = readStoredConnection(row.connection);
    const old = row.secrets ? decryptSecrets(key, row.secrets) : {};
    const sameOAuthClient = input.method === 'oauth' && previous.method === 'oauth' && previous.clientId === input.clientId && old.clientSecret === input.clientSecret;
    if (sameOAuthClient) return toProvisioningConfig(app, applicationId, row);
    const secrets: ConnectionSecrets = input.method === 'api_token' ? { apiToken: input.apiToken } : { clientSecret: input.clientSecret };
    const stored: StoredConnection =
      input.method === 'api_token'
        ? { method: 'api_token', adminEmail: input.adminEmail, connectedAt: new Date().toISOString(), storedSecrets: secretNames(secrets) }
        : { method: 'oauth', clientId: input.clientId, connectedAt: null, storedSecrets: secretNames(secrets) };
    // A quarantined application keeps its state: the cycle requested here lifts the quarantine if it succeeds.
    const resumed = input.method === 'api_token' && row.enabled && (row.state === 'stopped' || row.state === 'quarantined');
    const after = await updateConfigRow(tx, applicationId, {
      connection: stored as Record<string, unknown>,
      secrets: encryptSecrets(key, secrets),
      tokenExpiresAt: null,
      ...(resumed && row.state === 'stopped' ? { state: 'idle', stateReason: null } : {}),
    });
    if (resumed && opts.queue) await requestCycle(tx, opts.queue, applicationId, 'on_demand');
    const shown = input.method === 'api_token' ? { method: input.method, adminEmail: input.adminEmail } : { method: input.method, clientId: input.clientId };
    await recordAudit(tx, principal, { action: 'provisioning.connection.update', targetType: 'application', targetId: applicationId, after: shown }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.connection'] } });
    return toProvisioningConfig(app, applicationId, after);
  });
}
