import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { copyTemplateInto } from '../../test/test-database.ts';
import { webDistDir } from '../api/routes/start-page.ts';
import { startServer } from './server.ts';

// PGlite only: this is about the embedded first start (data folder, key file, one-time password).
describe('startServer on a fresh PGlite data folder', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-serve-'));
    // A migrated copy saves PGlite's first-creation seconds; without a template it creates one.
    await copyTemplateInto(dataDir);
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const config = () => {
    const c = loadConfig({ ROSTER_DATA_DIR: dataDir, ROSTER_PORT: '0', ROSTER_SANDBOX_PORT: '0', ROSTER_LOG_LEVEL: 'silent', ROSTER_ADMIN_EMAIL: 'boss@example.test' });
    if (!c.ok) throw new Error(c.error.join('; '));
    return c.value;
  };

  it('prints the URL and a one-time password on first start, serves / and the sandbox, and closes', async () => {
    const printed: string[] = [];
    const server = await startServer(config(), { worker: true, sandbox: true, print: (t) => printed.push(t) });
    try {
      const out = printed.join('\n');
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.url).not.toMatch(/:0$/);
      expect(server.config.publicUrl).toBe(server.url);
      // The OAuth callback's page links back through ctx.config.publicUrl: the bound address, not port 0.
      const callback = await fetch(`${server.url}/provision/oauth/callback?state=unknown&code=x`);
      expect(await callback.text()).toContain(`href="${server.url}/"`);
      // ROSTER_PORT=0: the sandbox's OAuth client accepts the callback on the port actually bound.
      const b = server.sandbox?.banner;
      const auth = `Basic ${Buffer.from(`${b?.adminEmail}/token:${b?.apiToken}`).toString('base64')}`;
      const clients = (await (await fetch(`${server.sandbox?.url}/api/v2/oauth/clients.json`, { headers: { authorization: auth } })).json()) as { clients: { redirect_uri: string[] }[] };
      const uris = clients.clients.flatMap((c) => c.redirect_uri);
      expect(uris).toContain(`${server.url}/provision/oauth/callback`);
      expect(uris.filter((u) => /:0\//.test(u))).toEqual([]);
      expect(out).toContain(`${server.url}/api/docs`);
      expect(out).toContain('boss@example.test');
      expect(out).toMatch(/one-time pw\s+\S{12,}/);
      expect(out).toContain(server.sandbox?.url);
      expect(out).toMatch(/Created the secret key file/);

      const home = await fetch(`${server.url}/`);
      expect(home.status).toBe(200);
      // The admin UI when packages/web/dist is built, else the start page pointing at the API docs.
      expect(await home.text()).toMatch(existsSync(path.join(webDistDir, 'index.html')) ? /<div id="root">/ : /Roster is running[\s\S]*\/api\/docs/);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const sandboxUsers = await fetch(`${server.sandbox?.url}/api/v2/users.json`);
      expect(sandboxUsers.status).toBe(401);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('keeps the embedded sandbox\'s accounts and users in the data folder across a restart, with new ids after it', async () => {
    const basic = (b: { adminEmail: string; apiToken: string } | undefined) => `Basic ${Buffer.from(`${b?.adminEmail}/token:${b?.apiToken}`).toString('base64')}`;
    const first = await startServer(config(), { worker: false, sandbox: true, print: () => undefined });
    let created: { id: number };
    try {
      const res = await fetch(`${first.sandbox?.url}/api/v2/users.json`, {
        method: 'POST',
        headers: { authorization: basic(first.sandbox?.banner), 'content-type': 'application/json' },
        body: JSON.stringify({ user: { name: 'Kept Person', email: 'kept@example.test', external_id: 'kept-1' } }),
      });
      expect(res.status).toBe(201);
      created = ((await res.json()) as { user: { id: number } }).user;
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dataDir, 'zendesk-sandbox.state'))).toBe(true);
    const second = await startServer(config(), { worker: false, sandbox: true, print: () => undefined });
    try {
      const auth = basic(second.sandbox?.banner);
      const kept = await fetch(`${second.sandbox?.url}/api/v2/users/${created.id}.json`, { headers: { authorization: auth } });
      expect(kept.status).toBe(200);
      expect(((await kept.json()) as { user: { external_id: string } }).user.external_id).toBe('kept-1');
      const next = await fetch(`${second.sandbox?.url}/api/v2/users.json`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ user: { name: 'After Restart', email: 'after@example.test' } }),
      });
      expect(((await next.json()) as { user: { id: number } }).user.id).toBeGreaterThan(created.id);
    } finally {
      await second.close();
    }
  });

  it('refuses a second server on the same embedded folder while the first runs', async () => {
    const first = await startServer(config(), { worker: false, sandbox: false, print: () => undefined });
    try {
      await expect(startServer(config(), { worker: false, sandbox: false, print: () => undefined })).rejects.toThrow(/another Roster process \(pid \d+\) uses the embedded database/);
    } finally {
      await first.close();
    }
  });

  it('names the port when it is taken, and leaves nothing open', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const c = loadConfig({ ROSTER_DATA_DIR: dataDir, ROSTER_PORT: String(port), ROSTER_LOG_LEVEL: 'silent' });
    if (!c.ok) throw new Error(c.error.join());
    try {
      await expect(startServer(c.value, { worker: true, sandbox: false, print: () => undefined })).rejects.toThrow(
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\); choose another --port`),
      );
    } finally {
      blocker.close();
    }
  });

  it('does not print a password on the second start of the same folder', async () => {
    const printed: string[] = [];
    const server = await startServer(config(), { worker: false, sandbox: false, print: (t) => printed.push(t) });
    await server.close();
    const out = printed.join('\n');
    expect(out).toContain('boss@example.test');
    expect(out).not.toMatch(/one-time/);
    expect(out).not.toMatch(/Created the secret key/);
    expect(out).toMatch(/worker\s+off/);
    expect(out).toMatch(/no job worker runs/);
  });
});
