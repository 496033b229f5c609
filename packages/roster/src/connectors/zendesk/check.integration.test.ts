import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSubdomain, startSandboxHarness, type SandboxAccount, type SandboxHarness } from './sandbox-accounts.test-support.ts';

/** A port that was free a moment ago and has nothing listening now. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Test connection: one test per failure cause, each with its own actionable message. */
describe('zendesk Test connection', () => {
  let h: SandboxHarness;
  let a: SandboxAccount;
  beforeAll(async () => {
    h = await startSandboxHarness();
    a = await h.account({ subdomain: freshSubdomain('check'), plan: 'enterprise', limits: false });
  });
  afterAll(async () => {
    await h.close();
  });

  const failedStep = (report: { ok: boolean; steps: { name: string; ok: boolean; message: string }[] }) => {
    expect(report.ok).toBe(false);
    const last = report.steps.at(-1);
    expect(last?.ok).toBe(false);
    return last ?? { name: '', message: '' };
  };

  it('passes for an admin with an API token and reports capabilities', async () => {
    const report = await h.connect(h.apiTokenConfig(a)).check();
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.name)).toEqual(['reach', 'authenticate', 'admin', 'bulk', 'roles']);
    expect(report.actingAs).toMatchObject({ email: a.adminEmail, role: 'admin' });
    expect(report.capabilities).toMatchObject({ bulk: true, customRoles: true, bulkMaxItems: 100, bulkMaxInFlight: 30 });
    expect(report.warnings).toEqual([]);
  });

  it('host unreachable: names the host and the refused connection', async () => {
    const port = await closedPort();
    const step = failedStep(await h.connect({ ...h.apiTokenConfig(a), baseUrlTemplate: `http://127.0.0.1:${port}/{subdomain}` }).check());
    expect(step.name).toBe('reach');
    expect(step.message).toContain(`unreachable: 127.0.0.1:${port} refused the connection`);
  });

  it('no such subdomain: says the account does not exist', async () => {
    const step = failedStep(await h.connect({ ...h.apiTokenConfig(a), subdomain: 'no-such-account' }).check());
    expect(step.name).toBe('reach');
    expect(step.message).toContain('There is no Zendesk account "no-such-account"');
  });

  it('bad token: names the email and where to get a token', async () => {
    const step = failedStep(await h.connect({ ...h.apiTokenConfig(a), apiToken: 'not-the-token' }).check());
    expect(step.name).toBe('authenticate');
    expect(step.message).toContain(`refused the API token for ${a.adminEmail}`);
  });

  it('anonymous user: a request without working credentials answers 200 with no user id', async () => {
    const stripAuth: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('authorization');
      return fetch(input, { ...init, headers });
    };
    const step = failedStep(await h.connect(h.apiTokenConfig(a), { fetch: stripAuth }).check());
    expect(step.name).toBe('authenticate');
    expect(step.message).toContain('anonymous visitor');
  });

  it('not an admin: names the role the user has', async () => {
    const seeded = await h.control('POST', `/accounts/${a.subdomain}/seed`, { count: 1, role: 'agent', prefix: 'plainagent' });
    expect(seeded.status).toBe(201);
    const agent = (await h.snapshot(a.subdomain)).users.find((u) => u.email?.startsWith('plainagent-'));
    const report = await h.connect({ ...h.apiTokenConfig(a), email: agent?.email }).check();
    const step = failedStep(report);
    expect(step.name).toBe('admin');
    expect(step.message).toContain('is a Zendesk agent, not an admin');
    expect(report.actingAs?.role).toBe('agent');
  });

  it('missing OAuth scopes: names the scopes the token has and the ones needed', async () => {
    const res = await fetch(`${h.url}/${a.subdomain}/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: a.oauthClientId, client_secret: a.oauthClientSecret, scope: 'read' }),
    });
    const token = (await res.json()) as { access_token: string };
    const step = failedStep(await h.connect({ method: 'oauth', subdomain: a.subdomain, clientId: a.oauthClientId, clientSecret: a.oauthClientSecret, accessToken: token.access_token }).check());
    expect(step.name).toBe('scopes');
    expect(step.message).toContain('has the scopes "read" but Roster needs "read write"');
  });

  it('bulk import disabled: passes with a warning, and bulk calls fall back to single calls', async () => {
    const off = await h.account({ subdomain: freshSubdomain('nobulk'), bulkImport: false, limits: false });
    const c = h.connect(h.apiTokenConfig(off));
    const report = await c.check();
    expect(report.ok).toBe(true);
    expect(report.warnings.join(' ')).toContain('Bulk user import is off');
    expect(report.capabilities?.bulk).toBe(false);
    const r = await c.users.createMany?.([{ externalId: 'single-1', roleKey: 'end-user', attributes: { name: 'Single One' } }]);
    expect(r?.ok && r.value[0]?.ok).toBe(true);
    expect((await h.snapshot(off.subdomain)).jobs).toHaveLength(0);
  });

  it('bulk import found disabled on first use (after a successful probe) switches to single calls', async () => {
    const later = await h.account({ subdomain: freshSubdomain('bulklater'), limits: false });
    const c = h.connect(h.apiTokenConfig(later));
    expect((await c.check()).capabilities?.bulk).toBe(true);
    await h.control('PATCH', `/accounts/${later.subdomain}`, { bulkImport: false });
    const r = await c.users.createMany?.([{ externalId: 'late-1', roleKey: 'end-user', attributes: { name: 'Late One' } }]);
    expect(r?.ok && r.value[0]?.ok).toBe(true);
    const caps = await c.capabilities();
    expect(caps.ok && caps.value.bulk).toBe(false);
  });
});

describe('zendesk roles', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('reads the custom roles of the account and provisions a user into one', async () => {
    const a = await h.account({ subdomain: freshSubdomain('roles'), plan: 'enterprise', customRoles: true, limits: false });
    const c = h.connect(h.apiTokenConfig(a));
    const roles = await c.roles();
    if (!roles.ok) throw new Error(roles.error.message);
    const labels = roles.value.map((r) => r.label);
    expect(labels.slice(0, 3)).toEqual(['End user', 'Agent', 'Admin']);
    expect(labels).toEqual(expect.arrayContaining(['Light agent', 'Contributor', 'Team lead', 'Billing admin']));
    const light = roles.value.find((r) => r.label === 'Light agent');
    expect(light).toMatchObject({ kind: 'custom', key: expect.stringMatching(/^custom:\d+$/), typeCode: 1 });
    const u = await c.users.create({ externalId: 'light-1', roleKey: light?.key ?? '', attributes: { name: 'Light One', email: 'light1@example.com' } });
    expect(u.ok && u.value.roleKey).toBe(light?.key);
    const snap = await h.snapshot(a.subdomain);
    expect(snap.users.find((x) => x.external_id === 'light-1')).toMatchObject({ role: 'agent', custom_role_id: Number(light?.key.slice(7)) });
    const back = await c.users.update(u.ok ? u.value.id : '', { roleKey: 'agent' });
    expect(back.ok && back.value.roleKey).toBe('agent');
  });

  it('offers only the built-in roles when the plan has no custom roles', async () => {
    const a = await h.account({ subdomain: freshSubdomain('noroles'), plan: 'team', customRoles: false, limits: false });
    const c = h.connect(h.apiTokenConfig(a));
    const roles = await c.roles();
    expect(roles.ok && roles.value.map((r) => r.key)).toEqual(['end-user', 'agent', 'admin']);
    const caps = await c.capabilities();
    expect(caps.ok && caps.value.customRoles).toBe(false);
  });

  it('lists the built-in user fields and the account custom fields with their types', async () => {
    const a = await h.account({ subdomain: freshSubdomain('fields'), limits: false });
    const fields = await h.connect(h.apiTokenConfig(a)).fields();
    if (!fields.ok) throw new Error(fields.error.message);
    const byKey = new Map(fields.value.map((f) => [f.key, f]));
    for (const key of ['name', 'email', 'phone', 'external_id', 'time_zone', 'locale', 'organization', 'tags', 'alias', 'details', 'notes', 'signature']) expect(byKey.has(key)).toBe(true);
    expect(byKey.get('user_fields.department')).toMatchObject({ type: 'string', custom: true });
    expect(byKey.get('user_fields.employee_type')).toMatchObject({ type: 'enum', enumValues: expect.any(Array) });
    expect(byKey.get('user_fields.start_date')).toMatchObject({ type: 'date' });
    expect(byKey.get('tags')?.type).toBe('string[]');
  });
});
