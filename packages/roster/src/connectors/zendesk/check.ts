/**
 * Test connection, following the recipe of the notes §7.4: `GET /users/me` must answer a real
 * user (a bad password or a missing header yields the anonymous user with HTTP 200,
 * https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user),
 * who must be an admin; an OAuth token must carry `read write` (or `users:read users:write`,
 * https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/#show-token); bulk import
 * is probed with an empty `create_many`, which changes nothing.
 */
import { z } from 'zod';
import type { Capabilities, CheckReport, ConnectorResult } from '../contract.ts';
import type { BulkState } from './bulk.ts';
import type { Catalog } from './catalog.ts';
import type { ZendeskConfig } from './config.ts';
import type { HttpReply, ZendeskHttp } from './http.ts';

const meSchema = z.looseObject({ user: z.looseObject({ id: z.number().nullable(), email: z.string().nullable().optional(), role: z.string().nullable().optional(), name: z.string().nullable().optional() }) });
const tokenSchema = z.looseObject({ token: z.looseObject({ scopes: z.array(z.string()) }) });

type Step = CheckReport['steps'][number];

/** Scopes that allow provisioning: broad read+write, or the users resource (then no groups or email changes). */
export function scopeVerdict(scopes: readonly string[]): { ok: boolean; message: string; warning?: string } {
  const has = (s: string) => scopes.includes(s);
  if (has('read') && has('write')) return { ok: true, message: `Token scopes: ${scopes.join(' ')}` };
  if ((has('read') || has('users:read')) && (has('write') || has('users:write'))) {
    return { ok: true, message: `Token scopes: ${scopes.join(' ')}`, warning: 'The OAuth token has only users scopes: groups, role lists and primary-email changes need the read and write scopes. Authorize again with "read write".' };
  }
  return { ok: false, message: `The OAuth token has the scopes "${scopes.join(' ') || '(none)'}" but Roster needs "read write". Authorize Roster again and accept the requested scopes (or set the OAuth client's scopes to read and write).` };
}

export async function runCheck(input: {
  config: ZendeskConfig;
  http: ZendeskHttp;
  catalog: Catalog;
  bulk: BulkState;
  probeBulk(): Promise<void>;
  capabilities(): Promise<ConnectorResult<Capabilities>>;
}): Promise<CheckReport> {
  const { config, http, catalog } = input;
  const steps: Step[] = [];
  const warnings: string[] = [];
  const fail = (name: string, message: string): CheckReport => ({ ok: false, steps: [...steps, { name, ok: false, message }], warnings });

  const me = await http.send({ method: 'GET', path: '/api/v2/users/me' });
  if (!me.ok) {
    if (me.error.code === 'zendesk.unreachable' || me.error.code === 'zendesk.timeout') return fail('reach', `${me.error.message}. ${me.error.advice}`);
    return fail('authenticate', `${me.error.message}. ${me.error.advice}`);
  }
  const reply: HttpReply = me.value;
  const parsedMe = meSchema.safeParse(reply.body);
  if (reply.status === 404 || (reply.status === 200 && !parsedMe.success)) {
    return fail('reach', `There is no Zendesk account "${config.subdomain}" at ${http.baseUrl}: check the subdomain (the part before .zendesk.com).`);
  }
  if (reply.status >= 500 || reply.status === 429) return fail('reach', `Zendesk answered HTTP ${reply.status}; try again in a minute.`);
  steps.push({ name: 'reach', ok: true, message: `Reached ${http.baseUrl}` });
  if (reply.status === 401) {
    return fail(
      'authenticate',
      config.method === 'api_token'
        ? `Zendesk refused the API token for ${config.email}: check the email and the token (Admin Center › Apps and integrations › Zendesk API) and that token access is on.`
        : 'Zendesk refused the OAuth access token (expired, revoked or invalid): authorize Roster again.',
    );
  }
  if (reply.status === 403 && config.method === 'oauth') {
    const scopes = await readScopes(http);
    return fail('scopes', scopes === null ? 'Zendesk refused the OAuth token for /users/me: authorize Roster again with the read and write scopes.' : scopeVerdict(scopes).message);
  }
  if (!parsedMe.success || reply.status !== 200) return fail('authenticate', `Zendesk answered HTTP ${reply.status} for the current user.`);
  const user = parsedMe.data.user;
  if (user.id === null) {
    return fail(
      'authenticate',
      config.method === 'api_token'
        ? `Zendesk treated Roster as an anonymous visitor: the credentials were not accepted as an API token. Use "${config.email}" with an API token (not a password — Zendesk removed password access in 2026).`
        : 'Zendesk treated Roster as an anonymous visitor: the OAuth token was not sent or not accepted. Authorize Roster again.',
    );
  }
  steps.push({ name: 'authenticate', ok: true, message: `Signed in as ${user.email ?? user.name ?? user.id}` });
  const actingAs = { id: String(user.id), email: user.email ?? null, role: user.role ?? 'unknown' };
  if (user.role !== 'admin') {
    return { ...fail('admin', `${user.email ?? 'The connected user'} is a Zendesk ${user.role ?? 'user'}, not an admin. Provisioning needs an admin: connect with an admin's email and token, or authorize while signed in as an admin.`), actingAs };
  }
  steps.push({ name: 'admin', ok: true, message: 'The connected user is a Zendesk admin' });

  if (config.method === 'oauth') {
    const scopes = await readScopes(http);
    if (scopes === null) steps.push({ name: 'scopes', ok: true, message: 'Zendesk did not show the token scopes; assuming read write' });
    else {
      const verdict = scopeVerdict(scopes);
      if (!verdict.ok) return { ...fail('scopes', verdict.message), actingAs };
      steps.push({ name: 'scopes', ok: true, message: verdict.message });
      if (verdict.warning) warnings.push(verdict.warning);
    }
  }

  await input.probeBulk();
  if (input.bulk.enabled === false) {
    warnings.push('Bulk user import is off for this Zendesk account: Roster falls back to single calls (slower for large syncs). Zendesk Support can turn bulk import on.');
    steps.push({ name: 'bulk', ok: true, message: 'Bulk import is off: single calls will be used' });
  } else steps.push({ name: 'bulk', ok: true, message: input.bulk.enabled ? 'Bulk import is on' : 'Bulk import could not be probed; it is tried on first use' });

  const roles = await catalog.customRoles();
  steps.push({ name: 'roles', ok: true, message: roles.ok && roles.value ? `${roles.value.length} custom roles readable` : 'No custom roles on this plan: End user, Agent and Admin' });
  const caps = await input.capabilities();
  return { ok: true, steps, actingAs, warnings, ...(caps.ok ? { capabilities: caps.value } : {}) };
}

async function readScopes(http: ZendeskHttp): Promise<string[] | null> {
  const r = await http.json({ method: 'GET', path: '/api/v2/oauth/tokens/current' }, tokenSchema);
  return r.ok ? r.value.token.scopes : null;
}
