/**
 * Test connection: the app's SCIM root answers `/ServiceProviderConfig`, the credentials list
 * users, `/ResourceTypes` and `/Schemas` are read, and what the app supports (PATCH, bulk, filter,
 * ETags, sort, password changes) is reported step by step in admin words, with what Roster does
 * about each gap.
 */
import { z } from 'zod';
import type { Capabilities, CheckReport, ConnectorResult } from '../contract.ts';
import type { ScimAuth } from './auth.ts';
import type { ScimContext } from './context.ts';
import { errorFromResponse, parseScimError } from './errors.ts';
import { readFeatures } from './discovery.ts';
import { fieldsOf } from './catalog.ts';

type Step = CheckReport['steps'][number];

const meSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), userName: z.string().nullable().optional(), emails: z.array(z.looseObject({ value: z.string().optional() })).nullable().optional() });

export async function runCheck(ctx: ScimContext, auth: ScimAuth, capabilities: () => Promise<ConnectorResult<Capabilities>>): Promise<CheckReport> {
  const { http } = ctx;
  const steps: Step[] = [];
  const warnings: string[] = [];
  const fail = (name: string, message: string): CheckReport => ({ ok: false, steps: [...steps, { name, ok: false, message }], warnings });

  const spc = await http.send({ method: 'GET', path: '/ServiceProviderConfig' });
  if (!spc.ok) return fail(spc.error.class === 'configuration' ? 'authenticate' : 'reach', `${spc.error.message}. ${spc.error.advice}`);
  const { status, body } = spc.value;
  if (status === 401 || status === 403) return fail('authenticate', `${errorFromResponse(status, body).message}. ${errorFromResponse(status, body).advice}`);
  const features = status >= 200 && status < 300 && !parseScimError(body).html ? readFeatures(body) : null;
  if (!features) {
    const what = parseScimError(body).html ? 'an HTML page' : `HTTP ${status} without a SCIM service provider configuration`;
    return fail('reach', `${http.baseUrl}/ServiceProviderConfig answered ${what}. Check the base URL: it is the SCIM root the app documents (often ending in /scim/v2), the part before /Users.`);
  }
  steps.push({ name: 'reach', ok: true, message: `Reached the SCIM service at ${http.baseUrl}` });

  // Always read afresh (and shared from here on): the admin tests the app as it is now.
  const d = await ctx.discovery({ fresh: true });
  if (!d.ok) return fail('reach', `${d.error.message}. ${d.error.advice}`);
  const disc = d.value;

  const users = await http.send({ method: 'GET', path: disc.usersEndpoint, query: { startIndex: 1, count: 1 } });
  if (!users.ok) return fail('authenticate', `${users.error.message}. ${users.error.advice}`);
  if (users.value.status < 200 || users.value.status >= 300) {
    const e = errorFromResponse(users.value.status, users.value.body);
    return fail('authenticate', `Listing users with ${auth.describe()} failed: ${e.message}. ${e.advice}`);
  }
  const total = Number((users.value.body as { totalResults?: unknown } | null)?.totalResults);
  steps.push({ name: 'authenticate', ok: true, message: `${auth.describe()} may read users${Number.isFinite(total) ? ` (${total} in the app)` : ''}` });

  let actingAs: CheckReport['actingAs'] = { id: auth.describe(), email: null, role: 'SCIM client' };
  // RFC 7644 §3.11: /Me is optional; when it names a user, that is who Roster acts as.
  const me = await http.json({ method: 'GET', path: '/Me' }, meSchema);
  if (me.ok) actingAs = { id: me.value.id, email: me.value.emails?.[0]?.value ?? null, role: me.value.userName ?? 'SCIM client' };

  steps.push({
    name: 'resource types',
    ok: true,
    message: `Users at ${disc.usersEndpoint}; ${disc.groupsEndpoint ? `groups at ${disc.groupsEndpoint}` : 'no groups (group assignments cannot be provisioned)'}`,
  });
  const extensionCount = fieldsOf(disc).filter((f) => f.custom).length;
  steps.push({ name: 'schemas', ok: true, message: `${disc.userExtensions.length} user schema extension(s); ${extensionCount} attribute(s) of the app's own extensions can be mapped` });
  warnings.push(...disc.notes);
  if (!disc.groupsEndpoint) warnings.push('The app has no Group resource type: group assignments give access but no groups are written.');

  const f = disc.features;
  steps.push({ name: 'patch', ok: true, message: f.patch ? 'Changes are sent as PATCH (only the changed attributes)' : 'No PATCH: Roster reads each account and writes it back whole (PUT)' });
  if (!f.patch) warnings.push('The app does not support PATCH: every update reads the account and writes it back whole, which costs two requests and may overwrite a change made in the app at the same moment.');
  steps.push({ name: 'bulk', ok: true, message: f.bulk.supported ? `Bulk requests: up to ${f.bulk.maxOperations} operations and ${f.bulk.maxPayloadSize} bytes each` : 'No bulk requests: one request per account' });
  steps.push({ name: 'filter', ok: true, message: f.filter.supported ? `Searches by filter, up to ${f.filter.maxResults} results per page` : 'No filtering: finding an account reads all accounts' });
  if (!f.filter.supported) warnings.push('The app does not support filtering: finding existing accounts reads every account, which is slow for large apps.');
  steps.push({ name: 'etag', ok: true, message: f.etag ? 'ETags: updates carry If-Match, so a change made in the app meanwhile is read again first' : 'No ETags: updates do not check for changes made in the app meanwhile' });
  steps.push({ name: 'sort', ok: true, message: f.sort ? 'Sorting is supported (not needed by Roster)' : 'No sorting (not needed by Roster)' });
  steps.push({ name: 'change password', ok: true, message: f.changePassword ? 'Password changes are supported (Roster does not send passwords)' : 'No password changes (Roster does not send passwords)' });

  const caps = await capabilities();
  return { ok: true, steps, actingAs, warnings, ...(caps.ok ? { capabilities: caps.value } : {}) };
}
