/**
 * Default provisioning settings per connector type: the connector definition's `defaults` (its
 * mappings and matching order), so shared code never branches on the connector it holds. A
 * connector type without them gets the generic defaults and no mappings.
 */
import { connectorFor } from '../../connectors/registry.ts';
import { type ProvisioningSettings, defaultSettings, fieldMappingSchema } from '../config/settings-schema.ts';

/** The settings a new provisioning configuration starts with for this connector type. */
export function defaultSettingsFor(connectorType: string): ProvisioningSettings {
  const settings = defaultSettings();
  const entry = connectorFor(connectorType)?.defaults;
  if (!entry) return settings;
  // Parsed like an admin's mappings: a connector's defaults are held to the same schema.
  return { ...settings, mappings: entry.mappings.map((m) => fieldMappingSchema.parse(structuredClone(m))), matching: [...entry.matching] };
}
