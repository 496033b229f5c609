/**
 * The mappings a new Zendesk configuration starts with.
 * Zendesk user fields: https://developer.zendesk.com/api-reference/ticketing/users/users/#json-format
 * - `external_id` ← directory id: immutable, so it is the first matching attribute and survives renames.
 * - `phone` falls back to the mobile number: Zendesk has one phone field and agents call whichever exists.
 * - `details` carries job title and department: agents see it on the user's profile next to tickets.
 * - `alias` ← given name, on create only: the name agents show to customers; an alias an agent later
 *   changes in Zendesk is theirs to keep.
 * - `tags`, `notes`, `signature` stay unmapped: Zendesk triggers and the agents themselves own them, and a
 *   mapping would overwrite their edits on every update.
 */
import type { DefaultMapping, DefaultMappings } from '../target-facts.ts';

const attribute = (target: string, name: string, apply: DefaultMapping['apply'] = 'always'): DefaultMapping => ({ target, source: { kind: 'attribute', attribute: name }, apply });
const expression = (target: string, text: string, apply: DefaultMapping['apply'] = 'always'): DefaultMapping => ({ target, source: { kind: 'expression', expression: text }, apply });

export const zendeskDefaults: DefaultMappings = {
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
