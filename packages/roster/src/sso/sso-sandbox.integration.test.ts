/**
 * Roster's SSO against the sandbox's Zendesk (Zendesk's side, not Roster's code): the user that
 * provisioning wrote and the user a SAML sign-in lands as are one Zendesk user; a mapping change
 * changes the provisioned field and the SSO attribute alike (one mapping engine); and Roster's own
 * responses, tampered, for another audience, expired, huge, replayed or signed by a certificate the account
 * does not trust, are refused by the sandbox's assertion consumer. Both database drivers.
 */
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, openEngineHarness } from '../../test/engine-harness.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { TEST_SECRET_KEY_HEX } from '../../test/test-app.ts';
import { outboxCursors, provisioningCycles } from '../db/provisioning-schema.ts';
import { outbox } from '../db/schema.ts';
import { createPortalSession, PORTAL_COOKIE } from '../people/portal-session.ts';
import { loadAppSso } from './app-sso.ts';
import { signIn } from './sign-in.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

/** The post page's SAMLResponse. */
function samlResponseOf(html: string): string {
  const m = /<input type="hidden" name="SAMLResponse" value="([^"]*)">/.exec(html);
  if (!m) throw new Error(`no SAMLResponse in ${html.slice(0, 300)}`);
  return m[1]!;
}

describe.each(openTestDatabase.drivers())('Roster SSO against the sandbox’s Zendesk on %s', (driver) => {
  let h: EngineHarness;
  let appId: string;
  let sub: string;
  let acs: string;
  let ada: { id: string; email: string; cookie: string };
  const PHONE = '+44 20 7946 0000';
  const MOBILE = '+44 7700 900123';

  const call = (...a: Parameters<EngineHarness['call']>) => h.call(...a);
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => h.until(what, probe, ms);
  const fullCycles = async () => (await h.t.database.db.select().from(provisioningCycles).where(eq(provisioningCycles.applicationId, appId))).filter((c) => c.kind !== 'incremental');
  async function runCycle(): Promise<void> {
    const before = new Set((await fullCycles()).map((c) => c.id));
    await call('POST', `/api/apps/${appId}/provisioning/cycles`);
    const cycle = await until('the cycle', async () => (await fullCycles()).find((c) => !before.has(c.id) && c.status !== 'running'));
    expect(cycle.status).toBe('completed');
  }
  /** The account's users with Ada's external id: provisioning and SSO must never make two. */
  const zendeskAdas = async (): Promise<Json[]> => ((await h.control('GET', `/__sandbox/accounts/${sub}/snapshot`))['users'] as Json[]).filter((u) => u['external_id'] === ada.id);
  /** IdP-initiated, as from My Apps: the response Roster posts to the account. */
  const started = async (): Promise<string> => {
    const r = await h.app.inject({ method: 'GET', url: `/sso/apps/${appId}/start`, headers: { cookie: `${PORTAL_COOKIE}=${ada.cookie}` } });
    expect(r.statusCode, r.body).toBe(200);
    return samlResponseOf(r.body);
  };
  const postToZendesk = async (samlResponse: string) => {
    const res = await fetch(acs, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: samlResponse }) });
    return { status: res.status, html: await res.text() };
  };
  const pasteIntoZendesk = async (fingerprint: string) => {
    const sso = await call('GET', `/api/apps/${appId}/sso`);
    const r = await fetch(`${h.sandboxUrl}/__sandbox/accounts/${sub}/sso`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ saml: { enabled: true, signInUrl: sso['paste']['samlSignInUrl'], certFingerprint: fingerprint, remoteLogoutUrl: sso['paste']['remoteLogoutUrl'] }, jwt: { enabled: false }, agents: true, endUsers: true }),
    });
    expect(r.status).toBe(200);
  };
  const activeCertificate = async (): Promise<Json> => ((await call('GET', `/api/apps/${appId}/sso/certificates`))['items'] as Json[]).find((c) => c['state'] === 'active')!;

  beforeAll(async () => {
    h = await openEngineHarness(driver);
    sub = `sso-sandbox-${driver}`;
    const { account } = await h.control('POST', '/__sandbox/accounts', { subdomain: sub });
    appId = (await call('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk SSO', settings: { subdomain: sub } }))['id'] as string;
    await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`))['version'], method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    const email = `ada@${sub}.test`;
    const id = (await call('POST', '/api/users', { email, givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', phone: PHONE, mobile: MOBILE }))['id'] as string;
    await call('POST', `/api/apps/${appId}/assignments`, { principalType: 'user', principalId: id, role: 'agent' });
    const [last] = await h.t.database.db.select({ id: outbox.id }).from(outbox).orderBy(sql`id desc`).limit(1);
    await until('the relay to catch up', async () => {
      const [c] = await h.t.database.db.select().from(outboxCursors);
      return c !== undefined && c.lastId >= (last?.id ?? 0);
    });
    await call('POST', `/api/apps/${appId}/provisioning/enable`);
    await until('the initial cycle', async () => (await fullCycles()).find((c) => c.status === 'completed'));
    const view = await call('GET', `/api/apps/${appId}/sso`);
    const saml = await call('PATCH', `/api/apps/${appId}/sso`, { method: 'saml', version: view['version'] });
    acs = saml['target']['acsUrl'] as string;
    expect(acs).toBe(`${h.sandboxUrl}/${sub}/access/saml`);
    await pasteIntoZendesk(saml['paste']['certificateFingerprintSha256'] as string);
    ada = { id, email, cookie: (await createPortalSession(h.t.database.db, { userId: id, stage: 'full', mfa: false, method: 'password' })).cookieValue };
  }, 120_000);
  afterAll(async () => h?.close());

  it('the provisioned user and the signed-in user are one Zendesk user; a mapping change changes the provisioned field and the SSO attribute alike', async () => {
    const [provisioned] = await zendeskAdas();
    expect(provisioned).toMatchObject({ email: ada.email, name: 'Ada Lovelace', role: 'agent', phone: PHONE });

    const signedIn = await postToZendesk(await started());
    expect(signedIn.status, signedIn.html).toBe(302);
    expect(await zendeskAdas()).toEqual([expect.objectContaining({ id: provisioned!['id'], email: ada.email, name: 'Ada Lovelace', role: 'agent', phone: PHONE })]);

    // The admin maps Zendesk's phone from the mobile number instead.
    const config = await call('GET', `/api/apps/${appId}/provisioning`);
    const mappings = (config['settings']['mappings'] as Json[]).map((m) => (m['target'] === 'phone' ? { ...m, source: { kind: 'attribute', attribute: 'mobile' } } : m));
    expect(mappings.filter((m) => m['target'] === 'phone')).toHaveLength(1);
    await call('PATCH', `/api/apps/${appId}/provisioning`, { settings: { mappings }, version: config['version'] });

    // SSO uses the new mapping at once (it renders at sign-in) …
    const sp = new SAML({ callbackUrl: acs, audience: `${sub}.zendesk.com`, issuer: `${sub}.zendesk.com`, idpCert: (await activeCertificate())['certificatePem'], wantAssertionsSigned: true, wantAuthnResponseSigned: false, validateInResponseTo: ValidateInResponseTo.ifPresent });
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: await started() });
    expect(profile?.['phone']).toBe(MOBILE);
    expect((await call('POST', `/api/apps/${appId}/sso/test`, { userId: ada.id }))['attributes']).toContainEqual({ name: 'phone', values: [MOBILE] });
    // … and the next cycle writes the same value.
    await runCycle();
    expect(await zendeskAdas()).toEqual([expect.objectContaining({ id: provisioned!['id'], phone: MOBILE })]);
    // Signing in again agrees with what was provisioned: still one user, the same phone.
    expect((await postToZendesk(await started())).status).toBe(302);
    expect(await zendeskAdas()).toEqual([expect.objectContaining({ id: provisioned!['id'], phone: MOBILE, role: 'agent' })]);
  });

  it('the sandbox’s assertion consumer refuses Roster’s responses tampered, for another audience, expired, huge or replayed', async () => {
    const tampered = Buffer.from(Buffer.from(await started(), 'base64').toString('utf8').replace('>agent<', '>admin<')).toString('base64');
    expect(await postToZendesk(tampered)).toMatchObject({ status: 401, html: expect.stringContaining('signature is invalid') });

    const sso = await loadAppSso(h.t.database.db, appId, 'http://roster.test', { zendesk: `${h.sandboxUrl}/{subdomain}` });
    const deps = { db: h.t.database.db, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex') };
    const who = { userId: ada.id, sessionId: 'session-sandbox', authenticatedAt: new Date() };
    const other = await signIn(deps, { ...sso, endpoints: { ...sso.endpoints!, audience: 'other.zendesk.com' } }, who, {});
    if (other.kind !== 'saml') throw new Error(`expected SAML, got ${other.kind}`);
    expect(await postToZendesk(other.samlResponse)).toMatchObject({ status: 401, html: expect.stringContaining(`not for ${sub}.zendesk.com`) });

    // Valid for 5 minutes, and Zendesk's side tolerates 2 minutes of clock skew: issued 8 minutes ago is past both.
    const past = new Date(Date.now() - 8 * 60_000);
    const expired = await signIn({ ...deps, now: () => past }, sso, { ...who, authenticatedAt: past }, {});
    if (expired.kind !== 'saml') throw new Error(`expected SAML, got ${expired.kind}`);
    expect(await postToZendesk(expired.samlResponse)).toMatchObject({ status: 401, html: expect.stringContaining('expired') });

    // A huge document (3 MB of padding beside the signed assertion) is refused before it is parsed.
    const padded = Buffer.from(Buffer.from(await started(), 'base64').toString('utf8').replace('<samlp:Status>', `<samlp:Extensions>${'<x>a</x>'.repeat(400_000)}</samlp:Extensions><samlp:Status>`)).toString('base64');
    expect((await postToZendesk(padded)).status).toBe(413);

    const once = await started();
    expect((await postToZendesk(once)).status).toBe(302);
    expect(await postToZendesk(once)).toMatchObject({ status: 401, html: expect.stringContaining('already used') });
  });

  it('rotation: the next certificate changes nothing until activated; then the account refuses it until its fingerprint is pasted', async () => {
    const before = await activeCertificate();
    const next = await call('POST', `/api/apps/${appId}/sso/certificates/rotate`);
    expect((await postToZendesk(await started())).status).toBe(302);
    await call('POST', `/api/apps/${appId}/sso/certificates/activate-next`);
    expect((await activeCertificate())['id']).toBe(next['id']);
    expect(await postToZendesk(await started())).toMatchObject({ status: 401, html: expect.stringContaining('Fingerprint mismatch') });
    await pasteIntoZendesk(next['fingerprintSha256'] as string);
    expect((await postToZendesk(await started())).status).toBe(302);
    expect(before['fingerprintSha256']).not.toBe(next['fingerprintSha256']);
  });
});
