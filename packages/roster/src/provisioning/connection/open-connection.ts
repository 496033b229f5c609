/**
 * Opens a live `Connection` to an application's target: reads the configuration and decrypts its
 * secrets, builds the connector's deps (fetch, clock, the shared DB-backed pacer of the target
 * account, and a store for rotated OAuth tokens) and calls the connector's `connect()`.
 *
 * Do not call the connection's methods inside a database transaction: the pacer and the token
 * store open their own short transactions (PGlite has one connection, so that would deadlock).
 */
import type { Connection, ConnectorDeps, ConnectorError } from '../../connectors/contract.ts';
import { urlTemplateFor } from '../../connectors/registry.ts';
import type { TargetUrls } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { type Result, err, ok } from '../../errors/result.ts';
import { createTargetPacer } from '../apply/pacer.ts';
import type { ConnectionSecrets } from '../config/connection-schema.ts';
import { type ProvisioningConfig, loadProvisioningConfig } from '../config/load-config.ts';
import { storedTokenLoader, tokenRefreshStore } from '../config/oauth-tokens.ts';
import { loadSecrets } from '../config/secrets.ts';
import { connectorOf } from '../config/target-catalogue.ts';
import { connectorConfig } from './connector-config.ts';

export interface OpenConnectionInput {
  db: Db;
  secretKey: Buffer;
  /** Where this process reaches targets (`config.targetUrls`; the embedded sandbox under --with-sandbox). */
  targetUrls: TargetUrls;
  applicationId: string;
  /** The configuration, when the caller loaded it already (a run loads it once). */
  config?: ProvisioningConfig;
  fetch?: typeof fetch;
  /** How the connector waits between retries (default: real timers; tests shorten the waits). */
  sleep?: ConnectorDeps['sleep'];
  /** Extra connector config (e.g. `{ jobPollIntervalMs: 50 }` in tests). */
  connectorOptions?: Record<string, unknown>;
  log?: ConnectorDeps['log'];
  /** A small run's connection (the quick lane): its requests go ahead of a burst's queued ones (apply/pacer.ts). */
  priority?: boolean;
}

export interface OpenedConnection {
  connection: Connection;
  /** The shared request budget's key, `<type>:<account>`; also a cache key for capabilities. */
  accountKey: string;
  config: ProvisioningConfig;
}

export async function openConnection(input: OpenConnectionInput): Promise<Result<OpenedConnection, AppError | ConnectorError>> {
  let config: ProvisioningConfig;
  try {
    config = input.config ?? (await loadProvisioningConfig(input.db, input.applicationId));
  } catch (e) {
    if (isAppError(e)) return err(e);
    throw e;
  }
  if (!config.connection.connected || config.account === null) return err(notConnected(config));
  let secrets: ConnectionSecrets;
  try {
    secrets = await loadSecrets(input.db, input.secretKey, input.applicationId);
  } catch (e) {
    return err(new AppError('config_invalid', `The stored credentials of application ${input.applicationId} cannot be decrypted: ${(e as Error).message}.`, { cause: e }));
  }
  const connector = connectorOf(config.type);
  const raw = connectorConfig({ config: { ...config, tokenExpiresAt: config.connection.tokenExpiresAt }, secrets, methods: connector.connectionMethods, baseUrlTemplate: urlTemplateFor(config.type, input.targetUrls) ?? '', ...(input.connectorOptions ? { options: input.connectorOptions } : {}) });
  const parsed = connector.configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return err(new AppError('config_invalid', `The stored connection of application ${input.applicationId} is not usable by the ${connector.name} connector (${problems}); save the connection again.`));
  }
  const accountKey = `${config.type}:${config.account}`;
  const deps: ConnectorDeps = {
    fetch: input.fetch ?? fetch,
    now: Date.now,
    sleep: input.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    pacer: createTargetPacer(input.db, accountKey, connector, { priority: input.priority === true }),
    onTokensRefreshed: tokenRefreshStore(input.db, input.secretKey, input.applicationId),
    loadTokens: storedTokenLoader(input.db, input.secretKey, input.applicationId),
    ...(input.log ? { log: input.log } : {}),
  };
  return ok({ connection: connector.connect(parsed.data, deps), accountKey, config });
}

export function notConnected(config: Pick<ProvisioningConfig, 'applicationId' | 'connection' | 'account'>): AppError {
  const how =
    config.connection.method === 'oauth'
      ? 'OAuth is set up but not authorized yet: choose Authorize (POST /api/apps/{id}/provisioning/oauth/authorize).'
      : 'Save the connection first (PUT /api/apps/{id}/provisioning/connection).';
  return new AppError('not_connected', `Application ${config.applicationId} is not connected to its target. ${config.account === null ? 'Its settings name no account. ' : ''}${how}`, {
    details: { method: config.connection.method },
  });
}
