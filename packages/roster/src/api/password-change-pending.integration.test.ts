/**
 * First sign-in with a one-time password: the admin UI's own pages and assets still load (a reload
 * must not answer raw JSON), the session and the password change answer, every other API call is
 * refused with 403 password_change_required, before any validation.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cookie from '@fastify/cookie';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { admins } from '../db/schema.ts';
import { createTestAdmin } from '../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { TEST_PASSWORD, signInOverHttp } from '../../test/sign-in.ts';
import { registerAuth } from './auth.ts';
import type { ApiApp, AppContext } from './context.ts';
import { registerErrorHandling } from './error-handler.ts';
import { sessionRoutes } from './routes/session.ts';
import { startPageRoutesFor } from './routes/start-page.ts';
import { tokenRoutes } from './routes/tokens.ts';

describe.each(openTestDatabase.drivers())('a session whose password must change, on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let dist: string;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    dist = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-web-'));
    await fs.mkdir(path.join(dist, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root">ui</div>');
    await fs.writeFile(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir });
    if (!config.ok) throw new Error(config.error.join());
    // The parts of buildApp this needs, with a UI build of our own.
    app = Fastify() as unknown as ApiApp;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(cookie);
    registerErrorHandling(app as never);
    registerAuth(app as never, t.database.db);
    const ctx = { db: t.database.db, database: t.database, config: config.value } as AppContext;
    for (const register of [sessionRoutes, tokenRoutes, startPageRoutesFor(dist)]) register(app, ctx);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await fs.rm(dist, { recursive: true, force: true });
  });

  it('loads the UI pages and assets, answers the session, and refuses other API calls', async () => {
    const a = await createTestAdmin(t.database.db);
    await t.database.db.update(admins).set({ mustChangePassword: true }).where(eq(admins.id, a.adminId));
    const s = await signInOverHttp(app, a.email, TEST_PASSWORD);

    for (const url of ['/', '/users', '/admins?x=1']) {
      const page = await app.inject({ url, headers: s.read });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/text\/html/);
      expect(page.body, url).toContain('id="root"');
    }
    const asset = await app.inject({ url: '/assets/app.js', headers: s.read });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);

    const me = await app.inject({ url: '/api/session', headers: s.read });
    expect(me.statusCode).toBe(200);
    expect(me.json().admin.mustChangePassword).toBe(true);

    const list = await app.inject({ url: '/api/tokens', headers: s.read });
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe('password_change_required');
    // Refused before the (invalid) body is looked at.
    const create = await app.inject({ method: 'POST', url: '/api/tokens', headers: s.write, payload: { unknownField: true } });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.code).toBe('password_change_required');

    const changed = await app.inject({ method: 'POST', url: '/api/session/password', headers: s.write, payload: { currentPassword: TEST_PASSWORD, newPassword: 'a-chosen-password-2026' } });
    expect(changed.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/tokens', headers: s.read })).statusCode).toBe(200);
  });
});
