/**
 * Storing how an application connects: one of its connector's connection methods with its fields
 * (OAuth authorization code tokens arrive later through the callback, see oauth-tokens.ts). Secrets are encrypted with the secret key; the
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
import { provisioningQueues } from '../triggers/job-names.ts';
import { requestCycle } from '../triggers/request-cycle.ts';
import { type ConnectionInput, type ConnectionSecrets, type StoredConnection, readStoredConnection } from './connection-schema.ts';
import { type ProvisioningConfig, toProvisioningConfig } from './load-config.ts';
import { decryptSecrets, encryptSecrets, secretNames } from './secrets.ts';
import { storedFieldValues } from './stored-fields.ts';
import { connectorOf } from './target-catalogue.ts';
import { invalidField } from '../../errors/app-error.ts';

/**
 * Replaces the connection with `input`, already checked against the connector's method form
 * (`parseConnectionInput`): its secret fields are encrypted, the others kept in the clear. New OAuth
 * (authorization code) client details drop the tokens of the old ones (authorize again; the same
 * details sent again keep them); any other method works at once, and lets an application
 * quarantined (or, before quarantine existed, stopped) for bad credentials go on: a catch-up cycle,
 * which lifts the quarantine when it succeeds. The cached account catalogue is dropped when the
 * credentials change, since they may reach another account.
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
  const authorizes = input.method === 'oauth';
  if (opts.queue && !authorizes) await ensureQueues(opts.queue, [provisioningQueues.cycle]);
  return inTransaction(executor, async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const form = connectorOf(app.type).connectionMethods.find((m) => m.method === input.method);
    if (!form) throw invalidField('body.method', `must be one of ${connectorOf(app.type).connectionMethods.map((m) => m.method).join(', ')}`);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const previous = readStoredConnection(row.connection);
    const old = row.secrets ? decryptSecrets(key, row.secrets) : {};
    const secrets: ConnectionSecrets = {};
    const fields: Record<string, string> = {};
    for (const f of form.fields) {
      const value = input[f.key];
      if (value === undefined) continue;
      if (f.type === 'secret') secrets[f.key] = value;
      else fields[f.key] = value;
    }
    const previousFields = storedFieldValues(previous);
    const sameOAuthClient =
      authorizes &&
      previous.method === input.method &&
      form.fields.every((f) => (f.type === 'secret' ? old[f.key] === secrets[f.key] : previousFields[f.key] === fields[f.key]));
    if (sameOAuthClient) return toProvisioningConfig(app, applicationId, row);
    const stored: StoredConnection = { method: input.method, fields, connectedAt: authorizes ? null : new Date().toISOString(), storedSecrets: secretNames(secrets) };
    // A quarantined application keeps its state: the cycle requested here lifts the quarantine if it succeeds.
    const resumed = !authorizes && row.enabled && (row.state === 'stopped' || row.state === 'quarantined');
    const after = await updateConfigRow(tx, applicationId, {
      connection: stored as Record<string, unknown>,
      secrets: encryptSecrets(key, secrets),
      tokenExpiresAt: null,
      ...(resumed && row.state === 'stopped' ? { state: 'idle', stateReason: null } : {}),
    });
    if (resumed && opts.queue) await requestCycle(tx, opts.queue, applicationId, 'on_demand');
    await recordAudit(tx, principal, { action: 'provisioning.connection.update', targetType: 'application', targetId: applicationId, after: { method: input.method, ...fields } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.connection'] } });
    return toProvisioningConfig(app, applicationId, after);
  });
}
