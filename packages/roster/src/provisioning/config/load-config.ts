/**
 * Reading an application's provisioning configuration: the view the API shows and the engine runs
 * on. Secrets are not part of it (see secrets.ts).
 */
import { connectorFor } from '../../connectors/registry.ts';
import type { Executor } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { type ConfigRow, findConfigRow } from './config-row.ts';
import { type ConnectionView, type StoredConnection, readStoredConnection } from './connection-schema.ts';
import { settingsDefaultsFor } from './default-settings.ts';
import { storedFieldValues } from './stored-fields.ts';
import type { ConnectionMethodForm } from '../../connectors/target-facts.ts';
import { type ProvisioningSettings, provisioningSettingsSchema } from './settings-schema.ts';

/** `off` | `idle` | `running` | `stopped` (configuration error) | `quarantined` | `paused` */
export type ProvisioningState = 'off' | 'idle' | 'running' | 'stopped' | 'quarantined' | 'paused';

export interface StateReason {
  code: string;
  message: string;
  advice?: string;
  at: string;
  [k: string]: unknown;
}

export interface ProvisioningConfig {
  applicationId: string;
  /** The gallery type, which is also the connector type. */
  type: string;
  /** The target account the application's settings name (the connector's `accountKey`); null while they name none. */
  account: string | null;
  /** The application's settings (the gallery entry's, e.g. what names the account), for the connector's config. */
  targetSettings: Readonly<Record<string, unknown>>;
  enabled: boolean;
  state: ProvisioningState;
  stateReason: StateReason | null;
  connection: ConnectionView;
  settings: ProvisioningSettings;
  /** False while the settings are the type's defaults, never saved. */
  settingsSaved: boolean;
  lastCycleAt: string | null;
  nextCycleAt: string | null;
  /** Optimistic concurrency: If-Match on writes. */
  version: number;
  /** The clear-text stored connection, including the cached catalogue (for services, not the API). */
  stored: StoredConnection;
}

/** The configuration of a live application (404 `params.id` when it does not exist or was deleted). */
export async function loadProvisioningConfig(executor: Executor, applicationId: string): Promise<ProvisioningConfig> {
  const app = await findAppRow(executor, applicationId);
  const row = await findConfigRow(executor, applicationId);
  return toProvisioningConfig(app, applicationId, row);
}

export function toProvisioningConfig(app: { type: string; settings: Record<string, unknown> }, applicationId: string, row: ConfigRow | undefined): ProvisioningConfig {
  const type = app.type;
  const connector = connectorFor(type);
  const account = connector?.accountKey(app.settings) ?? null;
  const stored = readStoredConnection(row?.connection ?? {});
  const savedSettings = row && Object.keys(row.settings).length > 0 ? provisioningSettingsSchema.safeParse(row.settings) : undefined;
  // Stored settings were parsed on save; one that no longer parses is a bug in a migration, not input.
  if (savedSettings && !savedSettings.success) throw new Error(`stored provisioning settings of ${applicationId} do not parse: ${savedSettings.error.message}`);
  return {
    applicationId,
    type,
    account,
    targetSettings: app.settings,
    enabled: row?.enabled ?? false,
    state: (row?.state ?? 'off') as ProvisioningState,
    stateReason: (row?.stateReason as StateReason | null | undefined) ?? null,
    connection: connectionView(stored, account, row?.tokenExpiresAt ?? null, connector?.connectionMethods ?? []),
    settings: savedSettings?.data ?? settingsDefaultsFor(type),
    settingsSaved: savedSettings !== undefined,
    lastCycleAt: row?.lastCycleAt?.toISOString() ?? null,
    nextCycleAt: row?.nextCycleAt?.toISOString() ?? null,
    version: row?.version ?? 1,
    stored,
  };
}

/**
 * Connected: the authorization code method (`oauth`) once its tokens are stored; any other method
 * once every required secret of its form is.
 */
function connectionView(stored: StoredConnection, account: string | null, tokenExpiresAt: Date | null, methods: readonly ConnectionMethodForm[]): ConnectionView {
  const secrets = new Set(stored.storedSecrets ?? []);
  const form = methods.find((m) => m.method === stored.method);
  const fields = storedFieldValues(stored);
  const connected =
    stored.method === 'oauth' ? secrets.has('accessToken') : form !== undefined && form.fields.every((f) => f.type !== 'secret' || !f.required || secrets.has(f.key));
  return {
    method: stored.method ?? null,
    subdomain: account,
    clientId: fields['clientId'] ?? null,
    adminEmail: fields['adminEmail'] ?? null,
    fields,
    storedSecrets: [...secrets].filter((k) => k !== 'accessToken' && k !== 'refreshToken').sort(),
    scopes: stored.scopes ?? [],
    connected,
    hasClientSecret: secrets.has('clientSecret'),
    connectedAt: stored.connectedAt ?? null,
    tokenExpiresAt: tokenExpiresAt?.toISOString() ?? null,
    lastTest: stored.lastTest ?? null,
  };
}
