/**
 * Which OAS operation each sandbox route answers for, grouped by the contract file that checks it.
 * Keys are sandbox routes (`METHOD /path/:param`), values OAS operations (`METHOD /path/{param}`).
 * `coverage.integration.test.ts` proves the groups together name every route the sandbox serves.
 */
export const USER_OPERATIONS = {
  'GET /api/v2/users': 'GET /api/v2/users',
  'GET /api/v2/users/count': 'GET /api/v2/users/count',
  'GET /api/v2/users/me': 'GET /api/v2/users/me',
  'GET /api/v2/users/show_many': 'GET /api/v2/users/show_many',
  'GET /api/v2/users/search': 'GET /api/v2/users/search',
  'GET /api/v2/users/:id': 'GET /api/v2/users/{user_id}',
  'POST /api/v2/users': 'POST /api/v2/users',
  'POST /api/v2/users/create_or_update': 'POST /api/v2/users/create_or_update',
  'PUT /api/v2/users/:id': 'PUT /api/v2/users/{user_id}',
  'DELETE /api/v2/users/:id': 'DELETE /api/v2/users/{user_id}',
  'POST /api/v2/users/create_many': 'POST /api/v2/users/create_many',
  'POST /api/v2/users/create_or_update_many': 'POST /api/v2/users/create_or_update_many',
  'PUT /api/v2/users/update_many': 'PUT /api/v2/users/update_many',
  'DELETE /api/v2/users/destroy_many': 'DELETE /api/v2/users/destroy_many',
  'GET /api/v2/deleted_users': 'GET /api/v2/deleted_users',
  'GET /api/v2/deleted_users/count': 'GET /api/v2/deleted_users/count',
  'GET /api/v2/deleted_users/:id': 'GET /api/v2/deleted_users/{deleted_user_id}',
  'DELETE /api/v2/deleted_users/:id': 'DELETE /api/v2/deleted_users/{deleted_user_id}',
  'GET /api/v2/users/:id/identities': 'GET /api/v2/users/{user_id}/identities',
  'GET /api/v2/users/:id/identities/:iid': 'GET /api/v2/users/{user_id}/identities/{user_identity_id}',
  'PUT /api/v2/users/:id/identities/:iid/make_primary': 'PUT /api/v2/users/{user_id}/identities/{user_identity_id}/make_primary',
  'GET /api/v2/incremental/users/cursor': 'GET /api/v2/incremental/users/cursor',
  'GET /api/v2/incremental/users': 'GET /api/v2/incremental/users',
  'GET /api/v2/organizations': 'GET /api/v2/organizations',
  'GET /api/v2/user_fields': 'GET /api/v2/user_fields',
  'GET /api/v2/user_fields/:id': 'GET /api/v2/user_fields/{user_field_id}',
  'POST /api/v2/user_fields': 'POST /api/v2/user_fields',
  'PUT /api/v2/user_fields/:id': 'PUT /api/v2/user_fields/{user_field_id}',
  'DELETE /api/v2/user_fields/:id': 'DELETE /api/v2/user_fields/{user_field_id}',
  'GET /api/v2/search/export': 'GET /api/v2/search/export',
} as const;

export const GROUP_OPERATIONS = {
  'GET /api/v2/groups': 'GET /api/v2/groups',
  'GET /api/v2/groups/assignable': 'GET /api/v2/groups/assignable',
  'GET /api/v2/groups/count': 'GET /api/v2/groups/count',
  'GET /api/v2/groups/:id': 'GET /api/v2/groups/{group_id}',
  'GET /api/v2/users/:id/groups': 'GET /api/v2/users/{user_id}/groups',
  'POST /api/v2/groups': 'POST /api/v2/groups',
  'PUT /api/v2/groups/:id': 'PUT /api/v2/groups/{group_id}',
  'DELETE /api/v2/groups/:id': 'DELETE /api/v2/groups/{group_id}',
  'GET /api/v2/group_memberships': 'GET /api/v2/group_memberships',
  'GET /api/v2/group_memberships/assignable': 'GET /api/v2/group_memberships/assignable',
  'GET /api/v2/group_memberships/:id': 'GET /api/v2/group_memberships/{group_membership_id}',
  'GET /api/v2/users/:id/group_memberships': 'GET /api/v2/users/{user_id}/group_memberships',
  'GET /api/v2/groups/:id/memberships': 'GET /api/v2/groups/{group_id}/memberships',
  'POST /api/v2/group_memberships': 'POST /api/v2/group_memberships',
  'POST /api/v2/users/:id/group_memberships': 'POST /api/v2/users/{user_id}/group_memberships',
  'POST /api/v2/group_memberships/create_many': 'POST /api/v2/group_memberships/create_many',
  'DELETE /api/v2/group_memberships/destroy_many': 'DELETE /api/v2/group_memberships/destroy_many',
  'DELETE /api/v2/group_memberships/:id': 'DELETE /api/v2/group_memberships/{group_membership_id}',
  'DELETE /api/v2/users/:id/group_memberships/:mid': 'DELETE /api/v2/users/{user_id}/group_memberships/{group_membership_id}',
  'PUT /api/v2/users/:id/group_memberships/:mid/make_default': 'PUT /api/v2/users/{user_id}/group_memberships/{group_membership_id}/make_default',
  'GET /api/v2/custom_roles': 'GET /api/v2/custom_roles',
  'GET /api/v2/custom_roles/:id': 'GET /api/v2/custom_roles/{custom_role_id}',
  'GET /api/v2/job_statuses': 'GET /api/v2/job_statuses',
  'GET /api/v2/job_statuses/show_many': 'GET /api/v2/job_statuses/show_many',
  'GET /api/v2/job_statuses/:id': 'GET /api/v2/job_statuses/{job_status_id}',
} as const;

export const OAUTH_OPERATIONS = {
  'GET /api/v2/oauth/clients': 'GET /api/v2/oauth/clients',
  'GET /api/v2/oauth/clients/:id': 'GET /api/v2/oauth/clients/{oauth_client_id}',
  'POST /api/v2/oauth/clients': 'POST /api/v2/oauth/clients',
  'PUT /api/v2/oauth/clients/:id': 'PUT /api/v2/oauth/clients/{oauth_client_id}',
  'PUT /api/v2/oauth/clients/:id/generate_secret': 'PUT /api/v2/oauth/clients/{oauth_client_id}/generate_secret',
  'DELETE /api/v2/oauth/clients/:id': 'DELETE /api/v2/oauth/clients/{oauth_client_id}',
  'GET /api/v2/oauth/tokens': 'GET /api/v2/oauth/tokens',
  // `current` is the OAS's documented alias of the token id (ShowToken: "…/oauth/tokens/current.json").
  'GET /api/v2/oauth/tokens/current': 'GET /api/v2/oauth/tokens/{oauth_token_id}',
  'DELETE /api/v2/oauth/tokens/current': 'DELETE /api/v2/oauth/tokens/{oauth_token_id}',
  'DELETE /api/v2/oauth/tokens/:id': 'DELETE /api/v2/oauth/tokens/{oauth_token_id}',
  'POST /oauth/tokens': 'POST /oauth/tokens',
} as const;

/**
 * Routes with no OAS operation to check against: the browser pages (HTML) of the authorization
 * flow, driven by oauth.integration.test.ts instead, and of single sign-on (src/sso).
 */
export const NOT_IN_OAS: Record<string, string> = {
  'GET /oauth/authorizations/new': 'HTML sign-in / consent page',
  'POST /access/login': 'HTML sign-in form target',
  'POST /oauth/authorizations': 'HTML consent form target (redirects with code or error)',
  'GET /': 'HTML "Zendesk" home: signed-in user, or the redirect to the SSO identity provider (src/sso/sso.integration.test.ts)',
  'POST /access/saml': 'SAML assertion consumer (HTML error page or redirect; src/sso/sso.integration.test.ts)',
  'POST /access/jwt': 'JWT SSO endpoint (HTML error page or redirect; src/sso/sso.integration.test.ts)',
  'GET /access/jwt': 'JWT SSO endpoint, GET form (src/sso/sso.integration.test.ts)',
  'GET /access/logout': 'SSO sign-out: redirect to the remote logout URL (src/sso/sso.integration.test.ts)',
};

export const ALL_OPERATIONS: Record<string, string> = { ...USER_OPERATIONS, ...GROUP_OPERATIONS, ...OAUTH_OPERATIONS };
