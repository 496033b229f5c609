import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import type { ApiApp, AppContext } from '../context.ts';
import { registerErrorHandling } from '../error-handler.ts';
import { startPageRoutesFor } from './start-page.ts';

async function appWith(distDir: string, env: Record<string, string> = {}): Promise<ApiApp> {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(config.error.join());
  const app = Fastify() as unknown as ApiApp;
  registerErrorHandling(app as never);
  startPageRoutesFor(distDir)(app, { config: config.value } as AppContext);
  await app.ready();
  return app;
}

describe('GET /', () => {
  let dist: string;
  beforeAll(async () => {
    dist = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-web-'));
  });
  afterAll(async () => fs.rm(dist, { recursive: true, force: true }));

  it('says Roster is running, with the docs and (when on) the sandbox, while the UI is not built', async () => {
    const app = await appWith(path.join(dist, 'missing'), { ROSTER_SANDBOX: 'true', ROSTER_SANDBOX_PORT: '4999' });
    const r = await app.inject('/');
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toMatch(/Roster is running/);
    expect(r.body).toContain('href="/api/docs"');
    expect(r.body).toContain('http://127.0.0.1:4999/');
    const off = await appWith(path.join(dist, 'missing'));
    expect((await off.inject('/')).body).not.toMatch(/sandbox/i);
    await app.close();
    await off.close();
  });

  it('serves the built UI with a fallback to index.html for client routes, but not for /api', async () => {
    await fs.mkdir(path.join(dist, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root">ui</div>');
    await fs.writeFile(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = await appWith(dist);
    expect((await app.inject('/')).body).toContain('id="root"');
    const asset = await app.inject('/assets/app.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.body).toBe('console.log(1)');
    expect((await app.inject('/users/123?tab=apps')).body).toContain('id="root"');
    // A bundle file the build no longer has is a 404, not index.html served as JavaScript.
    const stale = await app.inject('/assets/index-old.js');
    expect(stale.statusCode).toBe(404);
    expect(stale.headers['content-type']).toMatch(/json/);
    expect((await app.inject('/favicon.ico')).statusCode).toBe(404);
    const api = await app.inject('/api/nope');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('route_not_found');
    await app.close();
  });
});
