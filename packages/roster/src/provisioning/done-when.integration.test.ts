/**
 * Issue 4 "Done when", end to end: Roster started as `roster serve --with-sandbox` would start it,
 * driven only through its HTTP API and the sandbox's browser pages and control API.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../zendesk-sandbox/src/index.ts';
import { copyTemplateInto, openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config/config.ts';
import { type RunningServer, startServer } from '../runtime/server.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const OWNER = { email: 'owner@roster.example.com', password: 'done-when-password-1' };
const SUB = DEFAULT_ACCOUNT.subdomain;
/** "Within seconds", with room for a loaded CI machine. */
const DEADLINE_MS = 15_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** A tiny cookie jar: enough for Roster's session and the sandbox's sign-in session. */
class Browser {
  private cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const r = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    return r;
  }
}

/** The fields of the form with `id`, as a browser would post them (the clicked button's name/value added). */
function formOf(html: string, id: string, base: string, button?: { name: string; value: string }): { action: string; body: URLSearchParams } {
  const form = new RegExp(`<form[^>]*id="${id}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form #${id} in ${html.slice(0, 300)}`);
  const action = /action="([^"]*)"/.exec(form[0])![1]!.replace(/&amp;/g, '&');
  const body = new URLSearchParams();
  for (const input of form[1]!.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) body.set(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  if (button) body.set(button.name, button.value);
  return { action: new URL(action, base).toString(), body };
}

describe.each(openTestDatabase.drivers())('issue 4 done when: serve with the sandbox, by API, on %s', (driver) => {
  let dataDir: string;
  let pg: TestDatabase | undefined;
  let server: RunningServer;
  let sandboxUrl: string;
  const admin = new Browser();
  let csrf = '';

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-done-when-'));
    const env: Record<string, string> = { ROSTER_DATA_DIR: dataDir, ROSTER_SANDBOX_PORT: '0', ROSTER_LOG_LEVEL: 'silent', ROSTER_ADMIN_EMAIL: OWNER.email, ROSTER_ADMIN_PASSWORD: OWNER.password };
    if (driver === 'postgres') {
      pg = await openTestDatabase('postgres');
      env['DATABASE_URL'] = pg.location.databaseUrl!;
    } else {
      await copyTemplateInto(dataDir);
    }
    // A known port, so the public URL (and the OAuth redirect URI the sandbox accepts) is the real one.
    const port = await freePort();
    env['ROSTER_PORT'] = String(port);
    env['ROSTER_PUBLIC_URL'] = `http://127.0.0.1:${port}`;
    const config = loadConfig(env);
    if (!config.ok) throw new Error(config.error.join('; '));
    server = await startServer(config.value, { worker: true, sandbox: true, print: () => undefined });
    sandboxUrl = server.sandbox!.url;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await pg?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; json: Json }> => {
    const r = await admin.go(`${server.url}${url}`, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, etag: r.headers.get('etag'), json: (text ? JSON.parse(text) : {}) as Json };
  };
  const ok = async (method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Json> => {
    const r = await api(method, url, body, headers);
    if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const snapshotUsers = async (): Promise<Json[]> => {
    const r = await fetch(`${sandboxUrl}/__sandbox/accounts/${SUB}/snapshot`);
    return ((await r.json()) as Json).users.filter((u: Json) => !u.owner);
  };
  const zendeskUser = async (externalId: string) => (await snapshotUsers()).find((u) => u.external_id === externalId);
  async function within<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
    const end = Date.now() + DEADLINE_MS;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`not seen in Zendesk within ${DEADLINE_MS} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const patchUser = async (id: string, body: Json) => {
    const current = await api('GET', `/api/users/${id}`);
    return ok('PATCH', `/api/users/${id}`, body, { 'if-match': current.etag ?? `"${current.json.version}"` });
  };

  it('connects with OAuth, maps a hardcoded field, provisions a group and a custom role, and keeps Zendesk in step', async () => {
    // Sign in as the owner made from ROSTER_ADMIN_EMAIL / ROSTER_ADMIN_PASSWORD.
    const session = await admin.go(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
    expect(session.status).toBe(200);
    csrf = ((await session.json()) as Json).csrfToken;

    // Add the Zendesk application and save the OAuth client details.
    const appId = (await ok('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk – Support', settings: { subdomain: SUB } })).id as string;
    const saved = await ok('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await ok('GET', `/api/apps/${appId}/provisioning`)).version, method: 'oauth', clientId: DEFAULT_ACCOUNT.oauthClientId, clientSecret: DEFAULT_ACCOUNT.oauthClientSecret });
    expect(JSON.stringify(saved)).not.toContain(DEFAULT_ACCOUNT.oauthClientSecret);

    // Authorize: the sandbox's sign-in page, then its consent page, then back to Roster's callback.
    const { authorizeUrl } = await ok('POST', `/api/apps/${appId}/provisioning/oauth/authorize`);
    const signInPage = await admin.go(authorizeUrl);
    expect(signInPage.status).toBe(200);
    const login = formOf(await signInPage.text(), 'login-form', authorizeUrl);
    login.body.set('email', DEFAULT_ACCOUNT.adminEmail);
    login.body.set('password', DEFAULT_ACCOUNT.adminPassword);
    const signedIn = await admin.go(login.action, { method: 'POST', body: login.body });
    expect(signedIn.status).toBe(302);
    const consentUrl = new URL(signedIn.headers.get('location')!, login.action).toString();
    const consentPage = await admin.go(consentUrl);
    expect(consentPage.status).toBe(200);
    const consent = formOf(await consentPage.text(), 'consent-form', consentUrl, { name: 'decision', value: 'allow' });
    const allowed = await admin.go(consent.action, { method: 'POST', body: consent.body });
    expect(allowed.status).toBe(302);
    const callback = allowed.headers.get('location')!;
    expect(callback.startsWith(`${server.url}/provision/oauth/callback?`)).toBe(true);
    const back = await admin.go(callback);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${server.url}/apps/${appId}/provisioning?connected=1`);
    expect((await ok('GET', `/api/apps/${appId}/provisioning`)).connection).toMatchObject({ method: 'oauth' });

    // Test connection passes.
    const tested = await ok('POST', `/api/apps/${appId}/provisioning/test`);
    expect(tested.ok).toBe(true);
    expect(tested.actingAs).toMatchObject({ email: DEFAULT_ACCOUNT.adminEmail });

    // Map fields: the defaults plus one hardcoded value, saved with If-Match.
    const current = await api('GET', `/api/apps/${appId}/provisioning`);
    const mappings = (current.json.settings.mappings as Json[]).filter((m) => m.target !== 'details');
    mappings.push({ target: 'details', source: { kind: 'constant', value: 'Provisioned by Roster' }, apply: 'always' });
    const stale = await api('PATCH', `/api/apps/${appId}/provisioning`, { settings: { mappings } }, { 'if-match': `"${current.json.version - 1}"` });
    expect(stale.status).toBe(409);
    await ok('PATCH', `/api/apps/${appId}/provisioning`, { settings: { mappings } }, { 'if-match': current.etag! });

    // Assign a group with the Agent role and a user with a custom role read from the account.
    const roles = (await ok('GET', `/api/apps/${appId}/provisioning/roles`)).items as Json[];
    const light = roles.find((r) => r.label === 'Light agent');
    expect(light).toBeDefined();
    const newUser = async (email: string, givenName: string, familyName: string) => (await ok('POST', '/api/users', { email, givenName, familyName, displayName: `${givenName} ${familyName}` })).id as string;
    const ada = await newUser('ada@example.com', 'Ada', 'Lovelace');
    const bob = await newUser('bob@example.com', 'Bob', 'Babbage');
    const cyd = await newUser('cyd@example.com', 'Cyd', 'Light');
    const group = (await ok('POST', '/api/groups', { name: 'Support agents' })).id as string;
    await ok('POST', `/api/groups/${group}/members/bulk`, { members: [{ memberType: 'user', memberId: ada }, { memberType: 'user', memberId: bob }] });
    await ok('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: group, role: 'agent' });
    const cydAssignment = (await ok('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: cyd, role: light!.key, roleLabel: light!.label })).id as string;

    // Switch provisioning on: the users appear in Zendesk within seconds.
    await ok('POST', `/api/apps/${appId}/provisioning/enable`);
    const all = await within('the three assigned users', async () => {
      const users = await snapshotUsers();
      return [ada, bob, cyd].every((id) => users.some((u) => u.external_id === id)) && users;
    });
    const lightRoleId = Number(String(light!.key).slice('custom:'.length));
    expect(all.find((u) => u.external_id === ada)).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', role: 'agent', custom_role_id: null, details: 'Provisioned by Roster', suspended: false });
    expect(all.find((u) => u.external_id === bob)).toMatchObject({ name: 'Bob Babbage', role: 'agent', details: 'Provisioned by Roster' });
    expect(all.find((u) => u.external_id === cyd)).toMatchObject({ name: 'Cyd Light', role: 'agent', custom_role_id: lightRoleId, details: 'Provisioned by Roster' });

    // Rename, deactivate, reactivate: each reflected in Zendesk within seconds.
    await patchUser(ada, { familyName: 'King', displayName: 'Ada King' });
    await within('the rename', async () => (await zendeskUser(ada))?.name === 'Ada King');
    await ok('POST', `/api/users/${bob}/deactivate`);
    await within('the suspension', async () => (await zendeskUser(bob))?.suspended === true);
    await ok('POST', `/api/users/${bob}/activate`);
    await within('the reactivation', async () => (await zendeskUser(bob))?.suspended === false);

    // Unassign: deleted by default; suspended once the deprovision setting says so.
    await ok('DELETE', `/api/apps/${appId}/assignments/${cydAssignment}`);
    await within('the deletion', async () => (await zendeskUser(cyd))?.active === false);
    const before = await api('GET', `/api/apps/${appId}/provisioning`);
    await ok('PATCH', `/api/apps/${appId}/provisioning`, { settings: { syncActions: { deprovision: 'suspend' } } }, { 'if-match': before.etag! });
    await ok('DELETE', `/api/groups/${group}/members/user/${bob}`);
    await within('the suspension on unassign', async () => {
      const u = await zendeskUser(bob);
      return u?.suspended === true && u.active === true;
    });

    // Every action is in the provisioning log with its steps and old → new changes.
    // An event is written once Zendesk has answered, so it can trail the snapshot by a moment.
    const events = await within('the last actions in the provisioning log', async () => {
      const items = (await ok('GET', `/api/apps/${appId}/provisioning/events?limit=100`)).items as Json[];
      const suspends = items.filter((e) => e.directoryId === bob && e.action === 'suspend' && e.status === 'success').length;
      return suspends >= 2 && items.some((e) => e.directoryId === cyd && e.action === 'delete') && items;
    });
    const of = (directoryId: string, action: string) => events.filter((e) => e.directoryId === directoryId && e.action === action && e.status === 'success');
    for (const id of [ada, bob, cyd]) {
      const [created] = of(id, 'create');
      expect(created?.steps.map((s: Json) => s.name)).toContain('action');
      expect(created?.changes).toEqual(expect.arrayContaining([{ property: 'details', old: null, new: 'Provisioned by Roster' }]));
    }
    expect(of(cyd, 'create')[0]!.changes).toEqual(expect.arrayContaining([{ property: 'role', old: null, new: light!.key }]));
    expect(of(ada, 'update')[0]).toMatchObject({ changes: expect.arrayContaining([{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }]) });
    expect(of(bob, 'suspend').map((e) => e.changes)).toEqual(expect.arrayContaining([[{ property: 'suspended', old: false, new: true }]]));
    expect(of(bob, 'suspend')).toHaveLength(2);
    expect(of(bob, 'unsuspend')[0]).toMatchObject({ changes: [{ property: 'suspended', old: true, new: false }] });
    const [deleted] = of(cyd, 'delete');
    expect(deleted?.steps).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'scope', outcome: 'out of scope' }), expect.objectContaining({ name: 'action', outcome: 'delete' })]));
    expect(events.every((e) => e.status === 'success')).toBe(true);

    // Synchronization details: the last (initial) cycle's counts.
    // The initial cycle waits while incremental batches hold the application, so it may finish after them.
    const status = await within('the initial cycle to finish', async () => {
      const s = await ok('GET', `/api/apps/${appId}/provisioning/status`);
      return s.lastCompleted !== null && s;
    });
    expect(status.lastCompleted).toMatchObject({ kind: 'initial', status: 'completed', counts: expect.objectContaining({ failed: 0, skipped: 0 }) });
    // The relay may hand an assignment made just before the switch-on to an incremental batch: together they create each user once.
    const runs = (await ok('GET', `/api/apps/${appId}/provisioning/cycles?limit=100`)).items as Json[];
    const total = (key: string) => runs.reduce((n, c) => n + (c.counts[key] ?? 0), 0);
    expect({ created: total('created'), failed: total('failed') }, JSON.stringify(runs.map((c) => [c.kind, c.counts]))).toEqual({ created: 3, failed: 0 });
    expect((await snapshotUsers()).filter((u) => [ada, bob, cyd].includes(u.external_id))).toHaveLength(3);
    expect(status).toMatchObject({ enabled: true, state: expect.stringMatching(/^(idle|running)$/) });
  }, 90_000);
});
