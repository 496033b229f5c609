import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../../zendesk-sandbox/src/index.ts';
import { createTestAdmin } from '../../../test/test-app.ts';
import { copyTemplateInto } from '../../../test/test-database.ts';
import { loadConfig } from '../../config/config.ts';
import { type RunningServer, startServer } from '../../runtime/server.ts';

const PUBLIC_URL = 'http://127.0.0.1:18081';

// PGlite only: this is about `roster serve --with-sandbox`, the embedded demo.
describe('serve with the embedded sandbox: the Zendesk URL template points at it', () => {
  let dataDir: string;
  let server: RunningServer;
  let auth: { authorization: string };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-serve-sandbox-'));
    await copyTemplateInto(dataDir);
    const config = loadConfig({ ROSTER_DATA_DIR: dataDir, ROSTER_PORT: '0', ROSTER_SANDBOX_PORT: '0', ROSTER_LOG_LEVEL: 'silent', ROSTER_PUBLIC_URL: PUBLIC_URL });
    if (!config.ok) throw new Error(config.error.join('; '));
    server = await startServer(config.value, { worker: false, sandbox: true, print: () => undefined });
    auth = (await createTestAdmin(server.database.db, { role: 'owner' })).headers;
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${server.listenUrl}${url}`, { method, redirect: 'manual', headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: r.status, location: r.headers.get('location'), json: (await r.text().then((t) => (t ? JSON.parse(t) : null))) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose reads in assertions
  };

  it('connects the default sandbox account by API token and by OAuth through its consent page', async () => {
    const created = await api('POST', '/api/apps', { type: 'zendesk', displayName: 'Demo', settings: { subdomain: DEFAULT_ACCOUNT.subdomain } });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await api('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await api('GET', `/api/apps/${id}/provisioning`)).json.version, method: 'api_token', adminEmail: DEFAULT_ACCOUNT.adminEmail, apiToken: DEFAULT_ACCOUNT.apiToken });
    const tested = await api('POST', `/api/apps/${id}/provisioning/test`);
    expect(tested.json).toMatchObject({ ok: true, actingAs: { email: DEFAULT_ACCOUNT.adminEmail } });
    expect(tested.json.steps[0].message).toContain(server.sandbox?.url);

    await api('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await api('GET', `/api/apps/${id}/provisioning`)).json.version, method: 'oauth', clientId: DEFAULT_ACCOUNT.oauthClientId, clientSecret: DEFAULT_ACCOUNT.oauthClientSecret });
    const { authorizeUrl } = (await api('POST', `/api/apps/${id}/provisioning/oauth/authorize`)).json as { authorizeUrl: string };
    expect(authorizeUrl.startsWith(`${server.sandbox?.url}/${DEFAULT_ACCOUNT.subdomain}/oauth/authorizations/new`)).toBe(true);
    // The sandbox shows its sign-in page (not "redirect URI not registered") for Roster's callback URL.
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="user_email"');
  });
});
