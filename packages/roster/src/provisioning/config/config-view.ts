/** The provisioning configuration as the API answers it (no secrets: see connection-schema.ts). */
import { z } from 'zod';
import { connectionViewSchema } from './connection-schema.ts';
import type { ProvisioningConfig } from './load-config.ts';
import { provisioningSettingsSchema } from './settings-schema.ts';

export const configViewSchema = z.object({
  applicationId: z.string(),
  type: z.string(),
  /** The account the application's settings name (the connector's `accountKey`; the field keeps its first connector's name). */
  subdomain: z.string().nullable(),
  enabled: z.boolean(),
  state: z.string(),
  stateReason: z.record(z.string(), z.unknown()).nullable(),
  connection: connectionViewSchema,
  settings: provisioningSettingsSchema,
  settingsSaved: z.boolean(),
  /** Register this URL on the OAuth client in the target. */
  redirectUrl: z.string(),
  lastCycleAt: z.string().nullable(),
  nextCycleAt: z.string().nullable(),
  version: z.number().int(),
});
export type ConfigView = z.infer<typeof configViewSchema>;

export function toConfigView(config: ProvisioningConfig, redirectUrl: string): ConfigView {
  const { stored: _stored, targetSettings: _settings, account, ...rest } = config;
  return { ...rest, subdomain: account, redirectUrl };
}
