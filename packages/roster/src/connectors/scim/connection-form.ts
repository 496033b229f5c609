/**
 * How an admin connects a SCIM app, as the web app shows it. The app's SCIM base URL is the
 * application's setting; the form holds only how Roster authenticates. Most apps hand out a bearer
 * token (RFC 6750) in their provisioning settings; some use HTTP Basic or OAuth 2.0 client
 * credentials (RFC 6749 §4.4).
 */
import type { ConnectionMethodForm } from '../target-facts.ts';

export const scimConnectionMethods: readonly ConnectionMethodForm[] = [
  {
    method: 'bearer',
    label: 'Bearer token',
    recommended: true,
    help: "The long-lived token the app's provisioning (SCIM) settings hand out; sent as Authorization: Bearer.",
    fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }],
  },
  {
    method: 'basic',
    label: 'HTTP Basic',
    help: 'A user name and password the app accepts on its SCIM endpoint.',
    fields: [
      { key: 'username', label: 'User name', type: 'text', required: true },
      { key: 'password', label: 'Password', type: 'secret', required: true },
    ],
  },
  {
    method: 'oauth_client_credentials',
    label: 'OAuth 2.0 client credentials',
    help: "Roster asks the app's token URL for an access token with the client id and secret, and asks again before it expires.",
    fields: [
      { key: 'tokenUrl', label: 'Token URL', type: 'url', placeholder: 'https://app.example.com/oauth/token', required: true },
      { key: 'clientId', label: 'Client id', type: 'text', required: true },
      { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
      { key: 'scope', label: 'Scope', type: 'text', help: 'Space-separated scopes, when the app asks for some.', required: false },
    ],
  },
];
