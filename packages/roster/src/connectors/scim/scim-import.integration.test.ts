/**
 * Issue 16 item 5: import from a SCIM app through the same session as Zendesk's (classify into
 * New / Update / Activate / Deactivate, confirm, apply), on both drivers, against the SCIMMY peer.
 * Nothing SCIM-specific runs in the import: the generic connector contract feeds it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, type Json, openEngineHarness } from '../../../test/engine-harness.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { links } from '../../db/provisioning-schema.ts';
import { assignments, users } from '../../db/schema.ts';
import { createImportJobs } from '../../provisioning/target-import/import-jobs.ts';
import { PEER_TOKEN, type ScimPeer, startScimPeer } from './scim-peer.test-support.ts';

let peer: ScimPeer;
beforeAll(async () => {
  peer = await startScimPeer({ bulk: false });
});
afterAll(async () => peer?.close());

describe.each(openTestDatabase.drivers())('import from a SCIM 2.0 application on %s', (driver) => {
  let h: EngineHarness;
  const domain = `imp-${driver}.scim.test`;

  beforeAll(async () => {
    h = await openEngineHarness(driver, { extraHandlers: (connectorOptions) => createImportJobs({ connectorOptions }) });
  }, 60_000);
  afterAll(async () => h?.close());

  const raw = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, extra: Record<string, string> = {}) => h.request(method, url, payload, extra);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, extra: Record<string, string> = {}) => h.call(method, url, payload, extra);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  /** A user made in the app by its own admin; returns its SCIM id. */
  const appUser = async (local: string, displayName: string, active = true): Promise<string> => {
    const [givenName, familyName] = displayName.split(' ');
    const r = await fetch(`${peer.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PEER_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${local}@${domain}`, displayName, name: { givenName, familyName }, emails: [{ value: `${local}@${domain}`, type: 'work', primary: true }], active }),
    });
    const body = (await r.json()) as Json;
    expect(r.status, JSON.stringify(body)).toBe(201);
    return String(body['id']);
  };
  const newUser = async (local: string, displayName: string) => (await call('POST', '/api/users', { email: `${local}@${domain}`, displayName })).id as string;

  it('classifies the app users into New, Update, Activate and Deactivate, and applies them', async () => {
    const appId = (await call('POST', '/api/apps', { type: 'scim', displayName: `SCIM import (${driver})`, settings: { baseUrl: peer.baseUrl } })).id as string;
    await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`)).version, method: 'bearer', token: PEER_TOKEN });
    expect((await call('POST', `/api/apps/${appId}/provisioning/test`)).ok).toBe(true);

    const dir = { upd: await newUser('upd', 'Old Name'), act: await newUser('act', 'Act Ive'), deact: await newUser('deact', 'De Act') };
    await call('POST', `/api/users/${dir.act}/deactivate`);
    const app = {
      new1: await appUser('grace', 'Grace Hopper'),
      upd: await appUser('upd', 'Fresh Name'),
      act: await appUser('act', 'Act Ive'),
      deact: await appUser('deact', 'De Act', false),
    };

    const base = `/api/apps/${appId}/provisioning/import-sessions`;
    const started = await raw('POST', base);
    expect(started.statusCode, started.body).toBe(202);
    const settled = (id: string, status: string) =>
      until(`session ${status}`, async () => {
        const s = await call('GET', `${base}/${id}`);
        return s.status === status ? s : undefined;
      });
    let session = await settled(started.json().id, 'classified');
    const items = new Map(((await call('GET', `${base}/${session.id}/items?limit=500`)).items as Json[]).map((i) => [i.targetId, i]));
    // The peer holds the other driver's users too: only this domain's are looked at.
    expect(items.get(app.new1)).toMatchObject({ category: 'new', identity: `grace@${domain}`, directoryUserId: null });
    expect(items.get(app.upd)).toMatchObject({ category: 'update', directoryUserId: dir.upd });
    expect(items.get(app.upd)!.differences).toEqual(expect.arrayContaining([{ field: 'displayName', directory: 'Old Name', target: 'Fresh Name' }]));
    expect(items.get(app.act)).toMatchObject({ category: 'activate', directoryUserId: dir.act });
    expect(items.get(app.deact)).toMatchObject({ category: 'deactivate', directoryUserId: dir.deact });

    const confirmed = await call('POST', `${base}/${session.id}/confirm`, { targetIds: Object.values(app) }, { 'if-match': `"${session.version}"` });
    expect(confirmed.selected).toBe(4);
    session = await settled(session.id, 'applied');
    expect(session.counts).toMatchObject({ applied: 4, failed: 0 });

    const db = h.t.database.db;
    const [grace] = await db.select().from(users).where(eq(users.email, `grace@${domain}`));
    expect(grace).toMatchObject({ displayName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper', status: 'active' });
    const [assigned] = await db.select().from(assignments).where(and(eq(assignments.applicationId, appId), eq(assignments.principalId, grace!.id)));
    expect(assigned).toMatchObject({ role: 'user', principalType: 'user' });
    const [link] = await db.select().from(links).where(and(eq(links.applicationId, appId), eq(links.directoryId, grace!.id)));
    expect(link).toMatchObject({ targetId: app.new1, state: 'provisioned' });
    // The import writes the directory id into the app account's externalId.
    expect(peer.users().find((u) => u.id === app.new1)).toMatchObject({ externalId: grace!.id });
    const rows = new Map((await db.select().from(users)).map((u) => [u.id, u]));
    expect(rows.get(dir.upd)).toMatchObject({ displayName: 'Fresh Name' });
    expect(rows.get(dir.act)).toMatchObject({ status: 'active' });
    expect(rows.get(dir.deact)).toMatchObject({ status: 'inactive' });
  }, 120_000);
});
