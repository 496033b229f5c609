/**
 * Default provisioning settings per connector type: a data table, so shared code never branches on
 * the connector it holds. A connector type without an entry gets the generic defaults and no mappings.
 */
import { type FieldMapping, type ProvisioningSettings, defaultSettings } from '../config/settings-schema.ts';

interface ConnectorDefaults {
  mappings: readonly FieldMapping[];
  matching: readonly string[];
}

const attribute = (target: string, name: string, apply: FieldMapping['apply'] = 'always'): FieldMapping => ({ target, source: { kind: 'attribute', attribute: name }, apply });
const expression = (target: string, text: string, apply: FieldMapping['apply'] = 'always'): FieldMapping => ({ target, source: { kind: 'expression', expression: text }, apply });

/**
 * Zendesk user fields: https://developer.zendesk.com/api-reference/ticketing/users/users/#json-format
 * - `external_id` ← directory id: immutable, so it is the first matching attribute and survives renames.
 * - `phone` falls back to the mobile number: Zendesk has one phone field and agents call whichever exists.
 * - `details` carries job title and department: agents see it on the user's profile next to tickets.
 * - `alias` ← given name, on create only: the name agents show to customers; an alias an agent later
 *   changes in Zendesk is theirs to keep.
 * - `tags`, `notes`, `signature` stay unmapped: Zendesk triggers and the agents themselves own them, and a
 *   mapping would overwrite their edits on every update.
 */
const zendesk: ConnectorDefaults = {
  mappings: [
    attribute('name', 'displayName'),
    attribute('email', 'email'),
    attribute('external_id', 'id'),
    expression('phone', 'Coalesce([phone], [mobile])'),
    attribute('time_zone', 'timeZone'),
    attribute('locale', 'locale'),
    attribute('organization', 'organization'),
    expression('details', 'Join(", ", [jobTitle], [department])'),
    attribute('alias', 'givenName', 'on_create'),
  ],
  matching: ['external_id', 'email'],
};

/** Keyed by `ConnectorDefinition.type`. */
export const connectorDefaults: Readonly<Record<string, ConnectorDefaults>> = { zendesk };

/** The settings a new provisioning configuration starts with for this connector type. */
export function defaultSettingsFor(connectorType: string): ProvisioningSettings {
  const settings = defaultSettings();
  // hasOwn: a type named like an Object.prototype member (`constructor`) must not find one.
  const entry = Object.hasOwn(connectorDefaults, connectorType) ? connectorDefaults[connectorType] : undefined;
  if (!entry) return settings;
  return { ...settings, mappings: entry.mappings.map((m) => structuredClone(m)), matching: [...entry.matching] };
}
