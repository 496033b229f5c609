/** The settings an application has until an admin saves some: the connector type's defaults. */
import { defaultSettingsFor } from '../mapping/defaults.ts';
import type { ProvisioningSettings } from './settings-schema.ts';

export const settingsDefaultsFor = (type: string): ProvisioningSettings => defaultSettingsFor(type);
