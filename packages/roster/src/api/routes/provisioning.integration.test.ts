import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../../test/engine-harness.ts';
import { TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { decryptSecret } from '../../db/crypto.ts';
import { oauthHandshakes, provisioningConfigs } from '../../db/provisioning-schema.ts';
import { auditLog, outbox, users } from '../../db/schema.ts';
import { provisioningQueues } from '../../provisioning/triggers/job-names.ts';

const PUBLIC_URL = 'http://127.0.0.1:18080';
const CALLBACK = 'http://127.0.0.1/provision/oauth/callback';
const key = Buffer.from(TEST_SECRET_KEY_HEX, 'hex');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

interface SandboxAccount {
  subdomain: string;
  adminEmail: string;
  adminPassword: string;
  apiToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[unescape(m[1] as string)] = unescape(m[2] as string);
  return out;
}

describe.each(openTestDatabase.drivers())('provisioning configuration and connection API on %s', (driver) => {
  let t: TestDatabase;
  let sandboxUrl: string;
  let h: EngineHarness;
  /** Every response body this suite received, to prove no secret ever leaves. */
  const bodies: string[] = [];
  const secretsSeen: string[] = [];

  // The API with its queue (the jobs it enqueues are read, not run: no worker).
  beforeAll(async () => {
    h = await openEngineHarness(driver, { worker: false, env: { ROSTER_PUBLIC_URL: PUBLIC_URL } });
    ({ t, sandboxUrl } = h);
  });
  afterAll(async () => h?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, extra: Record<string, string> = {}) => {
    const r = await h.request(method, url, payload, extra);
    bodies.push(r.body, JSON.stringify(r.headers));
    return r;
  };
  const control = (method: string, path: string, body?: unknown) => h.control(method, path, body);
  const newAccount = async (subdomain: string, extra: Record<string, unknown> = {}): Promise<SandboxAccount> => {
    const { account } = await control('POST', '/__sandbox/accounts', { subdomain, oauthRedirectUris: [CALLBACK], ...extra });
    secretsSeen.push(account.apiToken, account.oauthClientSecret);
    return account as SandboxAccount;
  };
  const newApp = async (subdomain: string): Promise<string> => {
    const r = await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${subdomain}`, settings: { subdomain } });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  /** An application connected by API token whose account catalogue was read by Test connection. */
  const connectedApp = async (subdomain: string): Promise<string> => {
    const acct = await newAccount(subdomain);
    const id = await newApp(subdomain);
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
    return id;
  };
  const cycleJobs = async (applicationId: string): Promise<number> => {
    const rows = await t.database.raw.query(`select count(*)::int as n from pgboss.job where name = $1 and data->>'applicationId' = $2`, [provisioningQueues.cycle, applicationId]);
    return Number(rows.rows[0]?.['n']);
  };

  it('shows defaults, the redirect URL and no connection before anything is saved', async () => {
    const id = await newApp('fresh');
    const r = await call('GET', `/api/apps/${id}/provisioning`);
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      applicationId: id,
      type: 'zendesk',
      subdomain: 'fresh',
      enabled: false,
      state: 'off',
      redirectUrl: `${PUBLIC_URL}/provision/oauth/callback`,
      connection: { method: null, connected: false, hasClientSecret: false },
      settings: { matching: ['external_id', 'email'], syncActions: { create: true }, cycleIntervalMinutes: 40 },
      settingsSaved: false,
      version: 1,
    });
    const roles = await call('GET', `/api/apps/${id}/provisioning/roles`);
    expect(roles.statusCode).toBe(409);
    expect(roles.json().error.code).toBe('not_connected');
    expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().error.code).toBe('not_connected');
    expect((await call('POST', `/api/apps/${id}/provisioning/enable`)).json().error.code).toBe('not_connected');
    expect((await call('GET', '/api/apps/00000000-0000-4000-8000-000000000000/provisioning')).statusCode).toBe(404);
  });

  it('refuses a connection write that names no version (428) or a stale one (409), as every other write', async () => {
    const acct = await newAccount('tok-versioned');
    const id = await newApp('tok-versioned');
    const body = { method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken };
    const bare = await call('PUT', `/api/apps/${id}/provisioning/connection`, body);
    expect(bare.statusCode).toBe(428);
    expect(bare.json().error).toMatchObject({ code: 'precondition_required', issues: [{ path: 'headers.if-match' }] });
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection.method).toBeNull();
    const saved = await call('PUT', `/api/apps/${id}/provisioning/connection`, body, { 'if-match': '"1"' });
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    const stale = await call('PUT', `/api/apps/${id}/provisioning/connection`, { ...body, adminEmail: 'other@tok-versioned.example.com' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const staleBody = await call('PUT', `/api/apps/${id}/provisioning/connection`, { ...body, version: 1 });
    expect(staleBody.json().error.code).toBe('version_conflict');
    expect((await call('GET', `/api/apps/${id}/provisioning`)).json().connection.adminEmail).toBe(acct.adminEmail);
  });

  it('connects with an API token: Test connection passes, roles and fields come from the account, secrets are encrypted', async () => {
    const acct = await newAccount('tok-good');
    const id = await newApp('tok-good');
    const saved = await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().connection).toMatchObject({ method: 'api_token', adminEmail: acct.adminEmail, connected: true, subdomain: 'tok-good' });
    expect(saved.json().version).toBe(2);

    const [row] = await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
    expect(JSON.stringify(row)).not.toContain(acct.apiToken);
    expect(JSON.parse(decryptSecret(key, row!.secrets as string))).toEqual({ apiToken: acct.apiToken });

    const test = await call('POST', `/api/apps/${id}/provisioning/test`);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ ok: true, actingAs: { email: acct.adminEmail, role: 'admin' }, capabilities: { bulk: true, customRoles: true } });
    expect(test.json().steps.every((s: Json) => s.ok)).toBe(true);

    const roles = (await call('GET', `/api/apps/${id}/provisioning/roles`)).json().items.map((r: Json) => r.label);
    expect(roles).toEqual(expect.arrayContaining(['End user', 'Agent', 'Admin', 'Light agent', 'Contributor']));
    const fields = (await call('GET', `/api/apps/${id}/provisioning/fields`)).json().items.map((f: Json) => f.key);
    expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'external_id', 'user_fields.department', 'user_fields.employee_type']));

    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audit.map((a) => a.action)).toContain('provisioning.connection.update');
    expect(JSON.stringify(audit)).not.toContain(acct.apiToken);
  });

  it('says so when bulk import is off: Test connection passes with a warning and capabilities.bulk false', async () => {
    const acct = await newAccount('no-bulk', { bulkImport: false });
    const id = await newApp('no-bulk');
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    const r = (await call('POST', `/api/apps/${id}/provisioning/test`)).json();
    expect(r).toMatchObject({ ok: true, capabilities: { bulk: false } });
    expect(r.warnings.join(' ')).toMatch(/bulk/i);
  });

  it('reports a bad token and a non-admin with distinct failed steps, and refuses to switch on', async () => {
    const acct = await newAccount('tok-bad');
    const id = await newApp('tok-bad');
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: 'wrong-token' });
    const bad = (await call('POST', `/api/apps/${id}/provisioning/test`)).json();
    expect(bad.ok).toBe(false);
    expect(bad.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    const refused = await call('POST', `/api/apps/${id}/provisioning/enable`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'connection_failed', details: { steps: expect.any(Array) } });
    expect(await cycleJobs(id)).toBe(0);

    const agent = await fetch(`${sandboxUrl}/tok-bad/api/v2/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${acct.adminEmail}/token:${acct.apiToken}`).toString('base64')}` },
      body: JSON.stringify({ user: { name: 'Agent Smith', email: 'agent@tok-bad.example.com', role: 'agent' } }),
    });
    expect(agent.status).toBe(201);
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: 'agent@tok-bad.example.com', apiToken: acct.apiToken });
    const notAdmin = (await call('POST', `/api/apps/${id}/provisioning/test`)).json();
    expect(notAdmin.ok).toBe(false);
    const failed = notAdmin.steps.find((s: Json) => !s.ok);
    expect(failed.name).not.toBe('authenticate');
    expect(failed.message).toMatch(/admin/i);
  });

  it('refuses bad connection input naming the field', async () => {
    const id = await newApp('bad-input');
    const cases: [unknown, string][] = [
      [{ method: 'api_token', adminEmail: 'not-an-email', apiToken: 'x' }, 'body.adminEmail'],
      [{ method: 'api_token', adminEmail: 'a@b.test' }, 'body.apiToken'],
      [{ method: 'oauth', clientId: 'x', clientSecret: 'y', extra: 1 }, 'body.extra'],
      [{ method: 'password' }, 'body.method'],
    ];
    for (const [payload, path] of cases) {
      const r = await call('PUT', `/api/apps/${id}/provisioning/connection`, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.issues.map((i: Json) => i.path)).toContain(path);
    }
  });

  it('switches on (initial cycle requested in the same transaction) and off', async () => {
    const id = await connectedApp('onoff');
    const on = await call('POST', `/api/apps/${id}/provisioning/enable`);
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true, state: 'idle' });
    expect(await cycleJobs(id)).toBe(1);
    expect((await call('POST', `/api/apps/${id}/provisioning/enable`)).json().enabled).toBe(true);
    expect(await cycleJobs(id)).toBe(1);
    const demand = await call('POST', `/api/apps/${id}/provisioning/cycles`);
    expect(demand.statusCode).toBe(202);
    expect(await cycleJobs(id)).toBe(2);
    const paused = await call('POST', `/api/apps/${id}/provisioning/pause`);
    expect(paused.json()).toMatchObject({ enabled: true, state: 'paused', stateReason: { code: 'paused' } });
    const resumed = await call('POST', `/api/apps/${id}/provisioning/resume`);
    expect(resumed.json()).toMatchObject({ enabled: true, state: 'idle', stateReason: null });
    expect(await cycleJobs(id)).toBe(3);
    const off = await call('POST', `/api/apps/${id}/provisioning/disable`);
    expect(off.json()).toMatchObject({ enabled: false, state: 'off' });
    expect((await call('POST', `/api/apps/${id}/provisioning/cycles`)).json().error.code).toBe('conflict');
    expect((await call('POST', `/api/apps/${id}/provisioning/pause`)).json().error.code).toBe('conflict');
    const actions = (await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['provisioning.enable', 'provisioning.cycle.request', 'provisioning.pause', 'provisioning.resume', 'provisioning.disable']));
  });

  it('lets an application stopped for bad credentials go on when a new API token is saved', async () => {
    const id = await connectedApp('stopped');
    expect((await call('POST', `/api/apps/${id}/provisioning/enable`)).json().state).toBe('idle');
    await t.database.db.update(provisioningConfigs).set({ state: 'stopped', stateReason: { code: 'zendesk.unauthorized', message: 'token revoked', at: new Date().toISOString() } }).where(eq(provisioningConfigs.applicationId, id));
    const acct = (await control('GET', '/__sandbox/accounts/stopped')).account as SandboxAccount;
    const saved = await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'api_token', adminEmail: acct.adminEmail, apiToken: acct.apiToken });
    expect(saved.json()).toMatchObject({ enabled: true, state: 'idle', stateReason: null });
    expect(await cycleJobs(id)).toBe(2);
  });

  it('validates settings with paths, needs If-Match, refuses a stale version, and audits a change', async () => {
    const id = await connectedApp('settings');
    const version = (await call('GET', `/api/apps/${id}/provisioning`)).json().version as number;
    const patch = (settings: unknown, ifMatch?: number) => call('PATCH', `/api/apps/${id}/provisioning`, { settings }, ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` });
    expect((await patch({ scope: 'all' })).statusCode).toBe(428);
    const bad = await patch(
      {
        mappings: [
          { target: 'name', source: { kind: 'attribute', attribute: 'displayName' } },
          { target: 'nickname', source: { kind: 'attribute', attribute: 'givenName' } },
          { target: 'alias', source: { kind: 'expression', expression: 'Jion(" ", [givenName])' } },
          { target: 'external_id', source: { kind: 'attribute', attribute: 'id' } },
          { target: 'email', source: { kind: 'attribute', attribute: 'email' } },
        ],
      },
      version,
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.issues.map((i: Json) => i.path);
    expect(paths).toContain('body.settings.mappings.1.target');
    expect(paths).toContain('body.settings.mappings.2.source.expression');
    const shape = await patch({ cycleIntervalMinutes: 1, notificationEmail: 'nope' }, version);
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.issues.map((i: Json) => i.path)).toEqual(expect.arrayContaining(['body.settings.cycleIntervalMinutes', 'body.settings.notificationEmail']));
    expect((await patch({ unknownKey: 1 }, version)).json().error.issues[0].path).toBe('body.settings.unknownKey');

    const good = await patch(
      {
        mappings: [
          { target: 'name', source: { kind: 'expression', expression: 'Join(" ", [givenName], [familyName])' } },
          { target: 'email', source: { kind: 'attribute', attribute: 'email' } },
          { target: 'external_id', source: { kind: 'attribute', attribute: 'id' } },
          { target: 'details', source: { kind: 'constant', value: 'Provisioned by Roster' }, apply: 'on_create' },
        ],
        syncActions: { delete: false },
      },
      version,
    );
    expect(good.statusCode).toBe(200);
    expect(good.headers.etag).toBe(`"${version + 1}"`);
    expect(good.json().settings.syncActions).toEqual({ create: true, update: true, delete: false, activateDeactivate: true, deprovision: 'delete' });
    expect(good.json().settingsSaved).toBe(true);
    const stale = await patch({ scope: 'all' }, version);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: version + 1 } });
    const ops = (await t.database.db.select().from(outbox).where(eq(outbox.entityId, id))).map((o) => `${o.entityType} ${o.op} ${JSON.stringify(o.data)}`);
    expect(ops.some((o) => o.startsWith('application updated') && o.includes('provisioning.settings.mappings'))).toBe(true);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'provisioning.settings.update'));
    expect(audit.some((a) => a.targetId === id)).toBe(true);
  });

  it('previews a mapping for a directory user, with the error place for a bad expression', async () => {
    const id = await connectedApp('preview');
    const [user] = await t.database.db.insert(users).values({ email: 'ada@example.test', displayName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' }).returning();
    const ok = await call('POST', `/api/apps/${id}/provisioning/mapping-preview`, { mapping: { target: 'name', source: { kind: 'expression', expression: 'ToUpper(Join(" ", [givenName], [familyName]))' } }, userId: user!.id });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ value: 'ADA LOVELACE', error: null, inputs: { givenName: 'Ada', familyName: 'Lovelace' } });
    const bad = await call('POST', `/api/apps/${id}/provisioning/mapping-preview`, { mapping: { target: 'name', source: { kind: 'expression', expression: 'Left([givenName]' } }, userId: user!.id });
    expect(bad.json().error).toMatchObject({ path: 'source.expression' });
    const nobody = await call('POST', `/api/apps/${id}/provisioning/mapping-preview`, { mapping: { target: 'name', source: { kind: 'constant', value: 'x' } }, userId: '00000000-0000-4000-8000-000000000000' });
    expect(nobody.statusCode).toBe(404);
  });

  describe('OAuth', () => {
    let acct: SandboxAccount;
    let id: string;

    /** Signs in on the sandbox's pages and presses Allow or Deny; returns the callback URL the browser would open. */
    async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
      const first = await fetch(authorizeUrl);
      const signIn = await first.text();
      expect(signIn).toContain('id="user_email"');
      const origin = new URL(authorizeUrl).origin;
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const action = unescape(/<form method="post" action="([^"]+)" id="login-form">/.exec(signIn)?.[1] as string);
      const login = await fetch(`${origin}${action}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ ...hiddenFields(signIn), email: acct.adminEmail, password: acct.adminPassword }) });
      expect(login.status).toBe(302);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const consentPage = await (await fetch(`${origin}${login.headers.get('location')}`, { headers: { cookie } })).text();
      const consentAction = unescape(/<form method="post" action="([^"]+)" id="consent-form">/.exec(consentPage)?.[1] as string);
      const decided = await fetch(`${origin}${consentAction}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form({ ...hiddenFields(consentPage), decision }) });
      expect(decided.status).toBe(302);
      return new URL(decided.headers.get('location') as string);
    }
    const callback = (url: URL) => call('GET', `${url.pathname}${url.search}`, undefined, { authorization: '' });

    beforeAll(async () => {
      acct = await newAccount('oauth-acme', { oauth: { accessTokenTtlSec: 3600 } });
      id = await newApp('oauth-acme');
    });

    it('authorizes with PKCE, stores the tokens encrypted and connects', async () => {
      const noClient = await call('POST', `/api/apps/${id}/provisioning/oauth/authorize`);
      expect(noClient.json().error.code).toBe('not_connected');
      const saved = await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'oauth', clientId: acct.oauthClientId, clientSecret: acct.oauthClientSecret });
      expect(saved.json().connection).toMatchObject({ method: 'oauth', clientId: acct.oauthClientId, hasClientSecret: true, connected: false });
      const started = await call('POST', `/api/apps/${id}/provisioning/oauth/authorize`);
      expect(started.statusCode).toBe(200);
      const authorizeUrl = new URL(started.json().authorizeUrl);
      expect(authorizeUrl.pathname).toBe('/oauth-acme/oauth/authorizations/new');
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/provision/oauth/callback`);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      const [handshake] = await t.database.db.select().from(oauthHandshakes).where(eq(oauthHandshakes.state, authorizeUrl.searchParams.get('state') as string));
      expect(handshake?.codeVerifier).toMatch(/^v1:/);

      const back = await consent(authorizeUrl.toString(), 'allow');
      expect(back.pathname).toBe('/provision/oauth/callback');
      const done = await callback(back);
      expect(done.statusCode).toBe(302);
      expect(done.headers.location).toBe(`${PUBLIC_URL}/apps/${id}/provisioning?connected=1`);

      const [row] = await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
      const secrets = JSON.parse(decryptSecret(key, row!.secrets as string));
      expect(secrets).toMatchObject({ clientSecret: acct.oauthClientSecret, accessToken: expect.any(String), refreshToken: expect.any(String) });
      secretsSeen.push(secrets.accessToken, secrets.refreshToken);
      for (const s of [secrets.accessToken, secrets.refreshToken, acct.oauthClientSecret]) expect(JSON.stringify(row)).not.toContain(s);
      expect(row!.tokenExpiresAt).not.toBeNull();

      const view = (await call('GET', `/api/apps/${id}/provisioning`)).json();
      expect(view.connection).toMatchObject({ method: 'oauth', connected: true, scopes: ['read', 'write'] });
      expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
      expect((await t.database.db.select().from(oauthHandshakes).where(eq(oauthHandshakes.applicationId, id))).length).toBe(0);

      const again = await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'oauth', clientId: acct.oauthClientId, clientSecret: acct.oauthClientSecret });
      expect(again.json().connection).toMatchObject({ connected: true, scopes: ['read', 'write'] });
      const other = await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'oauth', clientId: acct.oauthClientId, clientSecret: 'another-secret' });
      expect(other.json().connection).toMatchObject({ connected: false, hasClientSecret: true });
      await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).json().version, method: 'oauth', clientId: acct.oauthClientId, clientSecret: acct.oauthClientSecret });

      const replay = await callback(back);
      expect(replay.statusCode).toBe(400);
      expect(replay.headers['content-type']).toMatch(/text\/html/);
      expect(replay.body).toMatch(/unknown or was already completed/);
    });

    it('sends the admin back with a clear message when they deny, or when the state is forged', async () => {
      const started = (await call('POST', `/api/apps/${id}/provisioning/oauth/authorize`)).json();
      const back = await consent(started.authorizeUrl, 'deny');
      const denied = await callback(back);
      expect(denied.statusCode).toBe(302);
      const location = new URL(denied.headers.location as string);
      expect(location.pathname).toBe(`/apps/${id}/provisioning`);
      expect(location.searchParams.get('error')).toMatch(/Authorization was denied in Zendesk/);
      const forged = await call('GET', '/provision/oauth/callback?code=abc&state=forged', undefined, { authorization: '' });
      expect(forged.statusCode).toBe(400);
      expect(forged.body).toContain('unknown or was already completed');
    });

    it('persists rotated tokens after a refresh', async () => {
      await control('PATCH', '/__sandbox/accounts/oauth-acme', { oauth: { accessTokenTtlSec: 60 } });
      const started = (await call('POST', `/api/apps/${id}/provisioning/oauth/authorize`)).json();
      expect((await callback(await consent(started.authorizeUrl, 'allow'))).statusCode).toBe(302);
      const read = async () => {
        const [row] = await t.database.db.select().from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, id));
        return { secrets: JSON.parse(decryptSecret(key, row!.secrets as string)), expiresAt: row!.tokenExpiresAt, version: row!.version };
      };
      const before = await read();
      secretsSeen.push(before.secrets.accessToken, before.secrets.refreshToken);
      // A 60-second token is inside the connector's refresh margin, so the next call refreshes first.
      expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
      const after = await read();
      secretsSeen.push(after.secrets.accessToken, after.secrets.refreshToken);
      expect(after.secrets.refreshToken).not.toBe(before.secrets.refreshToken);
      expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
      expect(after.secrets.clientSecret).toBe(acct.oauthClientSecret);
      expect(after.version).toBe(before.version);
      // The stored pair is the live one: the next connection works without another authorization.
      expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
    });

    it('lets concurrent connections that race to refresh a rotating token adopt the winner\'s pair', async () => {
      // Each Test connection opens its own connection with the stored 60-second token, so all refresh at once;
      // Zendesk rotates refresh tokens, so only one refresh succeeds and the others must adopt its stored pair.
      const results = await Promise.all([1, 2, 3].map(() => call('POST', `/api/apps/${id}/provisioning/test`)));
      expect(results.map((r) => r.json().ok)).toEqual([true, true, true]);
      expect((await call('POST', `/api/apps/${id}/provisioning/test`)).json().ok).toBe(true);
    });
  });

  it('never returned a secret in any response of this suite', () => {
    expect(bodies.length).toBeGreaterThan(30);
    expect(secretsSeen.length).toBeGreaterThan(6);
    const all = bodies.join('\n');
    for (const secret of secretsSeen) expect(all.includes(secret), `a response contained the secret ${secret.slice(0, 4)}…`).toBe(false);
  });
});
