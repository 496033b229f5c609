/**
 * The portal's own return_to, checked by the server: GET /portal/sign-in (and any portal page) with
 * an off-site return_to is the refusal page and an audit entry, before the page loads; on-site values,
 * the IdP's own "come back here" included, get the page. Both database drivers.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cookie from '@fastify/cookie';
import { and, eq, isNull } from 'drizzle-orm';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { loadConfig } from '../../config/config.ts';
import { auditLog } from '../../db/schema.ts';
import { createPortalSession, PORTAL_COOKIE } from '../../people/portal-session.ts';
import { registerAuth } from '../auth.ts';
import type { ApiApp, AppContext } from '../context.ts';
import { registerErrorHandling } from '../error-handler.ts';
import { startPageRoutesFor } from './start-page.ts';
import { userRoutes } from './users.ts';

describe.each(openTestDatabase.drivers())('the portal’s return_to on the server, on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let dist: string;
  const refusals = async () => t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'sso.refused'), eq(auditLog.targetType, 'portal'), isNull(auditLog.targetId)));

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    dist = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-web-'));
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root">ui</div>');
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
    for (const register of [userRoutes, startPageRoutesFor(dist)]) register(app, ctx);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await fs.rm(dist, { recursive: true, force: true });
  });

  it('serves the page for paths on this site, the IdP endpoints Roster sends back to included', async () => {
    const before = (await refusals()).length;
    for (const returnTo of ['/portal', '/sso/saml/4b1c0d3e-0000-4000-8000-000000000000?SAMLRequest=abc%2B%3D&RelayState=https%3A%2F%2Facme.zendesk.com%2Fagent', '/portal/sign-in']) {
      const r = await app.inject(`/portal/sign-in?return_to=${encodeURIComponent(returnTo)}`);
      expect(r.statusCode, returnTo).toBe(200);
      expect(r.body).toContain('id="root"');
    }
    expect((await app.inject('/portal/sign-in')).statusCode).toBe(200);
    expect((await refusals()).length).toBe(before);
  });

  it('refuses an off-site return_to on the sign-in and security pages: the refusal page, a 400 and an audit entry each', async () => {
    const before = (await refusals()).length;
    const cases = [
      ['/portal/sign-in', 'https://evil.example/'],
      ['/portal/sign-in', '//evil.example/x'],
      ['/portal/sign-in', '/\\evil.example'],
      ['/portal/security', 'javascript:alert(1)'],
    ] as const;
    for (const [page, returnTo] of cases) {
      const r = await app.inject(`${page}?return_to=${encodeURIComponent(returnTo)}`);
      expect(r.statusCode, returnTo).toBe(400);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).toContain('<h1 data-testid="sso-refusal">Sign-in to Roster refused</h1>');
      expect(r.body).toContain('(sso_portal_return_to)');
      expect(r.body).not.toContain('id="root"');
    }
    // The good value first, the bad one second: still refused.
    const twice = await app.inject(`/portal/sign-in?return_to=%2Fportal&return_to=${encodeURIComponent('https://evil.example/')}`);
    expect(twice.statusCode).toBe(400);
    const entries = await refusals();
    expect(entries.length).toBe(before + cases.length + 1);
    expect(entries.at(-1)).toMatchObject({ via: 'sso', actorEmail: null, after: { method: 'portal', userId: null, code: 'sso_portal_return_to' } });
  });

  it('names the signed-in directory user in the audit entry', async () => {
    const { headers } = await createTestAdmin(t.database.db, { role: 'owner' });
    const created = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { email: `sam-${driver}@example.test`, givenName: 'Sam', familyName: 'Lee', displayName: 'Sam Lee' } });
    expect(created.statusCode, created.body).toBe(201);
    const userId = (created.json() as { id: string }).id;
    const session = await createPortalSession(t.database.db, { userId, stage: 'full', mfa: false, method: 'password' });
    const r = await app.inject({ url: `/portal/security?return_to=${encodeURIComponent('https://evil.example/')}`, headers: { cookie: `${PORTAL_COOKIE}=${session.cookieValue}` } });
    expect(r.statusCode).toBe(400);
    expect((await refusals()).at(-1)).toMatchObject({ actorEmail: `sam-${driver}@example.test`, after: { userId } });
  });
});
