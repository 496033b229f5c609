/**
 * The Zendesk connector: metadata, the connection form and `connect()`, which wires the HTTP
 * layer, the account catalog, the user, bulk and group clients, and Test connection.
 */
import { ok } from '../../errors/result.ts';
import type { Capabilities, Connection, ConnectorDeps, ConnectorResult } from '../contract.ts';
import type { ConnectorDefinition } from '../definition.ts';
import { readAccountIdentity } from './account-identity.ts';
import { createAuth } from './auth.ts';
import { BULK_MAX_ITEMS, createBulkCalls, type BulkState } from './bulk.ts';
import { BUILT_IN_FIELDS, BUILT_IN_ROLES, createCatalog } from './catalog.ts';
import { runCheck } from './check.ts';
import { zendeskBaseUrl, zendeskConfigSchema, zendeskSecretKeys, type ZendeskConfig } from './config.ts';
import { createGroupClient } from './groups.ts';
import { createHttp } from './http.ts';
import { createJobRunner } from './jobs.ts';
import { createSingleUserCalls } from './users.ts';
import { zendeskConnectionMethods } from './connection-form.ts';
import { zendeskDefaults } from './defaults.ts';
import { ZENDESK_URL_TEMPLATE, zendeskGalleryEntry } from './gallery.ts';
import { authorizeUrl, exchangeCode } from './oauth.ts';
import { zendeskRoleRules } from './role-rules.ts';
import { zendeskSso } from './sso.ts';

/** Zendesk allows 30 queued-or-running jobs per account (https://developer.zendesk.com/api-reference/introduction/rate-limits/). */
export const ZENDESK_MAX_JOBS_IN_FLIGHT = 30;

export function connectZendesk(config: ZendeskConfig, deps: ConnectorDeps): Connection {
  const baseUrl = zendeskBaseUrl(config);
  const http = createHttp(baseUrl, createAuth(config, baseUrl, deps), deps, config.requestTimeoutMs);
  const catalog = createCatalog(http);
  const single = createSingleUserCalls(http, catalog, deps);
  const jobs = createJobRunner(http, deps, { pollIntervalMs: config.jobPollIntervalMs, maxInFlight: ZENDESK_MAX_JOBS_IN_FLIGHT });
  const bulkState: BulkState = { enabled: null };
  const bulk = createBulkCalls(single, jobs, catalog, bulkState);

  const probeBulk = async () => {
    if (bulkState.enabled !== null) return;
    // An empty create_many changes nothing: 403 when bulk import is off, a job otherwise.
    const r = await http.send({ method: 'POST', path: '/api/v2/users/create_many', body: { users: [] } });
    if (!r.ok) return;
    if (r.value.status === 403) bulkState.enabled = false;
    else if (r.value.status >= 200 && r.value.status < 300) bulkState.enabled = true;
  };

  // No probe here: connections are opened often, and bulk import found off on first use (403)
  // switches this connection to single calls. Test connection probes.
  const capabilities = async (): Promise<ConnectorResult<Capabilities>> => {
    const roles = await catalog.customRoles();
    if (!roles.ok) return roles;
    return ok({
      bulk: bulkState.enabled !== false,
      bulkMaxItems: BULK_MAX_ITEMS,
      bulkMaxInFlight: ZENDESK_MAX_JOBS_IN_FLIGHT,
      groups: true,
      suspend: true,
      customRoles: roles.value !== null,
      groupMemberRoleKinds: ['agent', 'admin', 'custom'],
    });
  };

  return {
    capabilities,
    accountIdentity: (recorded) => readAccountIdentity(http, recorded),
    check: () => runCheck({ config, http, catalog, bulk: bulkState, probeBulk, capabilities }),
    roles: () => catalog.roles(),
    fields: () => catalog.fields(),
    users: {
      list: single.list,
      get: single.get,
      getMany: single.getMany,
      findBy: single.findBy,
      findByMany: single.findByMany,
      create: single.create,
      update: single.update,
      delete: single.delete,
      createMany: bulk.createMany,
      updateMany: bulk.updateMany,
    },
    groups: createGroupClient(http),
  };
}

export const zendeskConnector: ConnectorDefinition<ZendeskConfig> = {
  type: 'zendesk',
  name: 'Zendesk',
  gallery: zendeskGalleryEntry as unknown as ConnectorDefinition<ZendeskConfig>['gallery'],
  defaultUrlTemplate: ZENDESK_URL_TEMPLATE,
  accountKey: (settings) => (typeof settings['subdomain'] === 'string' ? settings['subdomain'] : null),
  connectionMethods: zendeskConnectionMethods,
  oauth: { authorizeUrl, exchangeCode },
  defaults: zendeskDefaults,
  roleRules: zendeskRoleRules,
  // Every agent belongs to at least one group; new agents land in the account's default group (API-NOTES, groups).
  groupRules: { lastMembershipFallsBackToDefaultGroup: true },
  configSchema: zendeskConfigSchema,
  secretKeys: zendeskSecretKeys,
  builtInFields: BUILT_IN_FIELDS,
  builtInRoles: BUILT_IN_ROLES,
  // API-NOTES §6.3: 200 requests/min on the smallest plan, 2,500 with Enterprise Plus or the High Volume add-on.
  rateBudget: { assumedPerMinute: 200, ceilingPerMinute: 2500 },
  sso: zendeskSso,
  connect: connectZendesk,
};
