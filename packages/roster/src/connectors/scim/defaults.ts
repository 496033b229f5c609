/**
 * The mappings a new SCIM configuration starts with (RFC 7643 §4.1 User, §4.3 enterprise extension).
 * - `external_id` ← directory id: immutable, so it is the first matching attribute and survives renames;
 *   every create carries it (a timed-out create is looked up by it).
 * - `userName` ← email: what most apps sign in with; unmapped it would default to the email anyway.
 * - `phone` falls back to the mobile number, as the other connectors do: one primary work phone is written.
 * - the enterprise manager is the manager's directory id, resolved to the manager's SCIM id.
 * Matching: externalId, then userName, then the primary email.
 */
import type { DefaultMapping, DefaultMappings } from '../target-facts.ts';
import { ENTERPRISE_USER } from './discovery.ts';

const attribute = (target: string, name: string): DefaultMapping => ({ target, source: { kind: 'attribute', attribute: name }, apply: 'always' });
const expression = (target: string, text: string): DefaultMapping => ({ target, source: { kind: 'expression', expression: text }, apply: 'always' });

export const scimDefaults: DefaultMappings = {
  mappings: [
    attribute('userName', 'email'),
    attribute('name', 'displayName'),
    attribute('email', 'email'),
    attribute('external_id', 'id'),
    attribute('name.givenName', 'givenName'),
    attribute('name.familyName', 'familyName'),
    expression('phone', 'Coalesce([phone], [mobile])'),
    attribute('title', 'jobTitle'),
    attribute('locale', 'locale'),
    attribute('timezone', 'timeZone'),
    attribute(`${ENTERPRISE_USER}:department`, 'department'),
    attribute(`${ENTERPRISE_USER}:organization`, 'organization'),
    attribute(`${ENTERPRISE_USER}:employeeNumber`, 'employeeId'),
    attribute(`${ENTERPRISE_USER}:manager`, 'managerId'),
  ],
  matching: ['external_id', 'userName', 'email'],
};
