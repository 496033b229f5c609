/**
 * How an admin connects a Zendesk account, as the web app shows it. OAuth is the primary method:
 * Zendesk stops issuing API tokens in late 2026 and turns them off on 2027-04-30
 * (https://developer.zendesk.com/documentation/api-basics/authentication/oauth-migration/).
 */
import type { ConnectionMethodForm } from '../target-facts.ts';

export const zendeskConnectionMethods: readonly ConnectionMethodForm[] = [
  {
    method: 'oauth',
    label: 'OAuth',
    recommended: true,
    help: 'In Zendesk Admin Center → Apps and integrations → APIs → OAuth clients, add a client with this redirect URL, then paste its identifier and secret here.',
    authorizeHelp: "Opens Zendesk's consent page; after Allow you come back here.",
    fields: [
      { key: 'clientId', label: 'OAuth client identifier', type: 'text', required: true },
      { key: 'clientSecret', label: 'OAuth client secret', type: 'secret', required: true },
    ],
  },
  {
    method: 'api_token',
    label: 'API token',
    notice: 'Zendesk stops API tokens on 30 April 2027: prefer OAuth.',
    fields: [
      { key: 'adminEmail', configKey: 'email', label: 'Admin email', type: 'email', help: 'The Zendesk admin the token acts as.', required: true },
      { key: 'apiToken', label: 'API token', type: 'secret', help: 'Zendesk Admin Center → Apps and integrations → APIs → Zendesk API.', required: true },
    ],
  },
];
