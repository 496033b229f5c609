/**
 * Places where Zendesk's OAS is stricter than real Zendesk, each relaxed for exactly one property
 * of one schema. Every entry is explained in OAS-DEVIATIONS.md; keep the two in step.
 *
 * - `nullable` (default): the property may be null;
 * - `optional`: the property is dropped from the schema's `required` list;
 * - `anyOf`: the schema's `oneOf` becomes `anyOf` (`property` names the keyword for the record).
 */
export interface Relaxation {
  readonly schema: string;
  readonly property: string;
  readonly kind?: 'nullable' | 'optional' | 'anyOf';
  /** Where real traffic or the docs show the difference. */
  readonly evidence: string;
}

export const OAS_RELAXATIONS: readonly Relaxation[] = [
  { schema: 'UserForAdmin', property: 'email', evidence: 'API-NOTES §2 user table: email string|null; recorded end user created with only a name has email:null (betamax create-single)' },
  { schema: 'UserForAdmin', property: 'alias', evidence: 'API-NOTES §2: alias string|null' },
  { schema: 'UserForAdmin', property: 'details', evidence: 'API-NOTES §2: details string|null' },
  { schema: 'UserForAdmin', property: 'notes', evidence: 'API-NOTES §2: notes string|null' },
  { schema: 'UserForAdmin', property: 'signature', evidence: 'API-NOTES §2: signature string|null (end users have none)' },
  { schema: 'UserForAdmin', property: 'last_login_at', evidence: 'API-NOTES §2: last_login_at string|null (never signed in)' },
  { schema: 'UserForAdmin', property: 'default_group_id', evidence: 'API-NOTES §2: default_group_id integer|null (end users have no group)' },
  { schema: 'DeletedUserObject', property: 'email', evidence: 'API-NOTES §1.12: permanently deleted users have email null; a deleted user who never had an email has null too (same as §2 user table)' },
  { schema: 'DeletedUserObject', property: 'organization_id', evidence: 'API-NOTES §2: organization_id integer|null; the OAS itself marks it nullable on UserForAdmin, a user with no organization keeps null after deletion' },
  { schema: 'CustomFieldObject', property: 'tag', evidence: "The OAS's own examples (TicketFieldObject example, TicketFieldResponseExample) show tag: null on a text field" },
  {
    schema: 'CreateResourceResult',
    property: 'index',
    kind: 'optional',
    evidence: 'API-NOTES §5: recorded create_many results (2023) are {"id":…,"status":"Created"} with no index',
  },
  {
    schema: 'JobStatusResultObject',
    property: 'oneOf',
    kind: 'anyOf',
    evidence: 'With index optional every result with an id matches CreateResourceResult, so oneOf cannot be exclusive; recorded results mix shapes (API-NOTES §5)',
  },
  {
    schema: 'OauthTokenObject',
    property: 'expires_at',
    evidence: 'API-NOTES §7.2: expires_in defaults to null = the token never expires, so there is no expiry time',
  },
  {
    schema: 'OauthTokenObject',
    property: 'refresh_token',
    evidence: 'API-NOTES §7.2: client_credentials tokens (and tokens minted before 2025-04-30) have no refresh token',
  },
  {
    schema: 'OauthTokenObject',
    property: 'refresh_token_expires_at',
    evidence: 'API-NOTES §7.2: no refresh token (client_credentials) means no refresh expiry',
  },
  {
    schema: 'OAuthClientObject',
    property: 'logo_url',
    evidence: 'UNVERIFIED: read-only, set only when a logo is uploaded; no recording of a client without a logo, null is the sandbox reading',
  },
];
