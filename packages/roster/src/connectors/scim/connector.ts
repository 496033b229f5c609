/**
 * The generic SCIM 2.0 connector (RFC 7643, RFC 7644): any app with a SCIM service provider. What
 * the app supports is read from `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` and
 * drives the capabilities: PATCH or PUT, `/Bulk` or single calls, filters or a full read.
 */
import { ok } from '../../errors/result.ts';
import type { AccountIdentity, Capabilities, Connection, ConnectorDeps, ConnectorResult } from '../contract.ts';
import type { ConnectorDefinition } from '../definition.ts';
import { createAuth } from './auth.ts';
import { createBulkCalls } from './bulk.ts';
import { BUILT_IN_FIELDS, BUILT_IN_ROLES, fieldsOf, rolesOf } from './catalog.ts';
import { runCheck } from './check.ts';
import { scimConfigSchema, scimSecretKeys, type ScimConfig } from './config.ts';
import { createContext } from './context.ts';
import { createGroupBatch, MEMBERS_PER_PATCH } from './group-batch.ts';
import { createGroupClient, createGroupTools } from './groups.ts';
import { createHttp } from './http.ts';
import { createUserCalls } from './users.ts';
import { scimConnectionMethods } from './connection-form.ts';
import { scimDefaults } from './defaults.ts';
import { SCIM_URL_TEMPLATE, scimGalleryEntry } from './gallery.ts';

export function connectScim(config: ScimConfig, deps: ConnectorDeps): Connection {
  const auth = createAuth(config, deps, config.requestTimeoutMs);
  const http = createHttp(config.baseUrl, auth, deps, { timeoutMs: config.requestTimeoutMs, maxConcurrency: config.maxConcurrency });
  const ctx = createContext(http, config, deps);
  const users = createUserCalls(ctx);
  const bulk = createBulkCalls(ctx, users);
  const groupTools = createGroupTools(ctx);
  const singleGroups = createGroupClient(ctx, groupTools);

  const capabilities = async (): Promise<ConnectorResult<Capabilities>> => {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    const f = d.value.features;
    const bulkOn = f.bulk.supported && !ctx.bulkRefused;
    return ok({
      bulk: bulkOn,
      bulkMaxItems: bulkOn ? Math.min(f.bulk.maxOperations, 1000) : 1,
      // One /Bulk at the app and the next one ready behind it (http.ts `heavy`): the app is never idle between them.
      bulkMaxInFlight: Math.min(2, config.maxConcurrency),
      bulkInline: true,
      groups: d.value.groupsEndpoint !== null,
      suspend: true,
      customRoles: rolesOf(config.roleValues, d.value).length > BUILT_IN_ROLES.length,
      groupMemberRoleKinds: 'all',
      // createMany / addMembers / removeMembers: one PATCH per group for many members, /Bulk when advertised.
      ...(d.value.groupsEndpoint !== null ? { groupBatchMaxItems: MEMBERS_PER_PATCH } : {}),
    });
  };

  /**
   * SCIM names no account: the identity is the service's address. The recorded one holds while the
   * address is the same (token changes and reconnects keep it).
   */
  const accountIdentity = async (recorded?: AccountIdentity | null): Promise<ConnectorResult<AccountIdentity>> => {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    const key = `scim:${config.baseUrl.toLowerCase()}`;
    if (recorded?.key === key) return ok(recorded);
    return ok({ key, label: `SCIM service at ${config.baseUrl}` });
  };

  return {
    capabilities,
    accountIdentity,
    check: () => runCheck(ctx, auth, capabilities),
    async roles() {
      const d = await ctx.discovery();
      return d.ok ? ok(rolesOf(config.roleValues, d.value)) : d;
    },
    async fields() {
      const d = await ctx.discovery();
      return d.ok ? ok(fieldsOf(d.value)) : d;
    },
    users: { ...users.calls, createMany: bulk.createMany, updateMany: bulk.updateMany },
    groups: { ...singleGroups, ...createGroupBatch(ctx, groupTools, singleGroups) },
  };
}

export const scimConnector: ConnectorDefinition<ScimConfig> = {
  type: 'scim',
  name: 'SCIM 2.0 application',
  gallery: scimGalleryEntry as unknown as ConnectorDefinition<ScimConfig>['gallery'],
  defaultUrlTemplate: SCIM_URL_TEMPLATE,
  // The base URL names the service (normalised by the settings schema); two applications never share it.
  accountKey: (settings) => (typeof settings['baseUrl'] === 'string' ? settings['baseUrl'].toLowerCase() : null),
  connectionMethods: scimConnectionMethods,
  defaults: scimDefaults,
  // SCIM core grants no role conditionally and lets a user leave every group.
  roleRules: [],
  groupRules: {},
  configSchema: scimConfigSchema,
  secretKeys: scimSecretKeys,
  builtInFields: BUILT_IN_FIELDS,
  builtInRoles: BUILT_IN_ROLES,
  // SCIM documents no rate limit; apps that have one say so with 429 and Retry-After.
  rateBudget: { assumedPerMinute: 300, ceilingPerMinute: 3000 },
  connect: connectScim,
};
