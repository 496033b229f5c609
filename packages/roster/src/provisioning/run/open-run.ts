/**
 * Opening a run (issue 15, item 2): the connection opened once from the configuration the run
 * already loaded, the account's identity checked before anything is read or written, then the
 * capabilities and the target's catalogue. Cycles, incremental batches, kept plans and group syncs
 * open the same way; provisioning on demand opens with a Test connection, to show each step.
 */
import type { Capabilities, Connection, ConnectorError, TargetField, TargetRole } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import { verifyTargetIdentity } from '../connection/target-identity.ts';
import type { EngineEnv } from './engine-env.ts';

export interface OpenedRun {
  connection: Connection;
  capabilities: Capabilities;
  /** The target's fields and roles: the catalogue saved with the connection, or read when there is none (or `fresh`). */
  catalogue: { fields: TargetField[]; roles: TargetRole[] };
}

/** Where opening failed: the connection, the account's identity, or reading capabilities and catalogue. */
export type OpenFailure = { ok: false; error: ConnectorError; stage: 'connect' | 'identity' | 'read' };

export async function openRun(env: Pick<EngineEnv, 'db' | 'connect' | 'sleep'>, config: ProvisioningConfig, opts: { fresh: boolean }): Promise<{ ok: true; value: OpenedRun } | OpenFailure> {
  const failed = (stage: OpenFailure['stage'], error: ConnectorError): OpenFailure => ({ ok: false, error, stage });
  const opened = await env.connect(config.applicationId, config);
  if (!opened.ok) return failed('connect', asConfigurationError(opened.error));
  const connection = opened.value.connection;
  // Every wait (retry backoff, Retry-After) goes through the engine's clock, which tests shorten.
  const sleep = env.sleep;
  // The account itself first: a plan against another account (reset, restored, another owner of the address) would write to strangers.
  const identity = await verifyTargetIdentity(env.db as Db, config.applicationId, config.stored.targetIdentity, connection, sleep);
  if (!identity.ok) return failed('identity', identity.error);
  // Reads are retried by their error's class: one 429 storm or 5xx must not fail the whole run.
  const retried = <T>(call: () => Promise<Result<T, ConnectorError>>) => callWithRetry(call, { sleep });
  const caps = await retried(() => connection.capabilities());
  if (!caps.ok) return failed('read', caps.error);
  const saved = opts.fresh ? undefined : config.stored.catalogue;
  const fields = saved ? { ok: true as const, value: saved.fields } : await retried(() => connection.fields());
  if (!fields.ok) return failed('read', fields.error);
  const roles = saved ? { ok: true as const, value: saved.roles } : await retried(() => connection.roles());
  if (!roles.ok) return failed('read', roles.error);
  return { ok: true, value: { connection, capabilities: caps.value, catalogue: { fields: fields.value, roles: roles.value } } };
}

/** A connection that cannot be opened is a configuration error: the application stops until it is fixed. */
export const asConfigurationError = (e: { code: string; message: string; advice?: string }): ConnectorError => ({
  code: e.code,
  class: 'configuration',
  message: e.message,
  advice: e.advice ?? 'Check the connection on the Provisioning tab, test it, then switch provisioning on again.',
});
