/**
 * The config a connector's `connect()` takes, from the application's settings, a stored
 * configuration and its decrypted secrets: each field of the stored method's form under its config
 * name (`configKey`, e.g. a form's `adminEmail` → the config's `email`), OAuth tokens for the authorization code
 * method, and the base URL template from Roster's configuration (`TargetUrls`).
 */
import type { ConnectionMethodForm } from '../../connectors/target-facts.ts';
import type { ConnectionSecrets } from '../config/connection-schema.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import { storedFieldValues } from '../config/stored-fields.ts';

export interface ConnectorConfigInput {
  config: Pick<ProvisioningConfig, 'targetSettings' | 'stored'> & { tokenExpiresAt: string | null };
  secrets: ConnectionSecrets;
  /** The connector's connection methods (its `connectionMethods`). */
  methods: readonly ConnectionMethodForm[];
  baseUrlTemplate: string;
  /** Extra connector options (timeouts, poll intervals), e.g. from tests. */
  options?: Record<string, unknown>;
}

/** The raw connector config, to be parsed by the connector's `configSchema`. */
export function connectorConfig({ config, secrets, methods, baseUrlTemplate, options }: ConnectorConfigInput): Record<string, unknown> {
  const method = config.stored.method;
  const form = methods.find((m) => m.method === method);
  const clear = storedFieldValues(config.stored);
  const fields: Record<string, unknown> = {};
  for (const f of form?.fields ?? []) {
    const value = f.type === 'secret' ? secrets[f.key] : clear[f.key];
    if (value !== undefined && value !== null) fields[f.configKey ?? f.key] = value;
  }
  // The authorization code flow's tokens arrive through the callback, not the form.
  const tokens =
    method === 'oauth'
      ? { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken ?? null, accessTokenExpiresAt: config.tokenExpiresAt === null ? null : Date.parse(config.tokenExpiresAt) }
      : {};
  return { ...config.targetSettings, baseUrlTemplate, ...options, method, ...fields, ...tokens };
}
