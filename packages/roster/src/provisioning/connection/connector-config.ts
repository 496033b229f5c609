/**
 * The config a connector's `connect()` takes, from the application's settings, a stored
 * configuration and its decrypted secrets: the stored names (`adminEmail`) become the connector's
 * (`email`), and the base URL template comes from Roster's configuration (`TargetUrls`).
 */
import type { ConnectionSecrets } from '../config/connection-schema.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';

export interface ConnectorConfigInput {
  config: Pick<ProvisioningConfig, 'targetSettings' | 'stored'> & { tokenExpiresAt: string | null };
  secrets: ConnectionSecrets;
  baseUrlTemplate: string;
  /** Extra connector options (timeouts, poll intervals), e.g. from tests. */
  options?: Record<string, unknown>;
}

/** The raw connector config, to be parsed by the connector's `configSchema`. */
export function connectorConfig({ config, secrets, baseUrlTemplate, options }: ConnectorConfigInput): Record<string, unknown> {
  const common = { ...config.targetSettings, baseUrlTemplate, ...options };
  if (config.stored.method === 'api_token') {
    return { ...common, method: 'api_token', email: config.stored.adminEmail, apiToken: secrets.apiToken };
  }
  return {
    ...common,
    method: 'oauth',
    clientId: config.stored.clientId,
    clientSecret: secrets.clientSecret,
    accessToken: secrets.accessToken,
    refreshToken: secrets.refreshToken ?? null,
    accessTokenExpiresAt: config.tokenExpiresAt === null ? null : Date.parse(config.tokenExpiresAt),
  };
}
