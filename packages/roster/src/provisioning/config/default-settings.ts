/** The settings an application has until an admin saves some: the connector type's defaults. */
import { type ProvisioningSettings, defaultSettings } from './settings-schema.ts';

// TODO(w3): switch to the mapping module's defaultSettingsFor(type) once it lands.
export function settingsDefaultsFor(_type: string): ProvisioningSettings {
  return defaultSettings();
}
