import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../harness.ts';
import { expectConforms, uncheckedRoutes } from './conformance.ts';
import { oasDocument } from './oas.ts';
import { OAUTH_OPERATIONS as OPS } from './operations.ts';

const CLIENT_ID = 'contract_client';
const SECRET = 'contract-secret';
let h: Harness;
beforeAll(async () => {
  oasDocument();
  h = await startHarness({ defaultAccount: { oauthClientId: CLIENT_ID, oauthClientSecret: SECRET } });
});
afterAll(async () => {
  await h.close();
});

const conforms = (route: keyof typeof OPS, res: { status: number; body: unknown }, status: number) => expectConforms(OPS, route, res, status);

async function tokenRequest(body: Record<string, unknown>): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${h.url}/oauth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('OAuth clients and tokens conform to the OAS', () => {
  let created: Json;

  it('clients: list, create (201, full secret once), show (masked), update, generate_secret, delete (204)', async () => {
    conforms('GET /api/v2/oauth/clients', await h.call('GET', '/api/v2/oauth/clients'), 200);
    const c = await h.call('POST', '/api/v2/oauth/clients', { client: { name: 'Provisioner', identifier: 'provisioner', kind: 'public', redirect_uri: ['https://app.example.com/cb'] } });
    conforms('POST /api/v2/oauth/clients', c, 201);
    created = c.body.client;
    expect(created).toMatchObject({ identifier: 'provisioner', kind: 'public', redirect_uri: ['https://app.example.com/cb'] });
    const shown = await h.call('GET', `/api/v2/oauth/clients/${created.id}`);
    conforms('GET /api/v2/oauth/clients/:id', shown, 200);
    expect(shown.body.client.secret).not.toBe(created.secret);
    conforms('PUT /api/v2/oauth/clients/:id', await h.call('PUT', `/api/v2/oauth/clients/${created.id}`, { client: { name: 'Provisioner 2' } }), 200);
    const regenerated = await h.call('PUT', `/api/v2/oauth/clients/${created.id}/generate_secret`);
    conforms('PUT /api/v2/oauth/clients/:id/generate_secret', regenerated, 200);
    expect(regenerated.body.client.secret).not.toBe(created.secret);
    conforms('DELETE /api/v2/oauth/clients/:id', await h.call('DELETE', `/api/v2/oauth/clients/${created.id}`), 204);
    expect((await h.call('GET', `/api/v2/oauth/clients/${created.id}`)).status).toBe(404);
  });

  it('token endpoint (201, with and without expiry), current token, token list, revoke current and by id (204)', async () => {
    const forever = await tokenRequest({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'read write' });
    conforms('POST /oauth/tokens', forever, 201);
    expect(forever.body).not.toHaveProperty('expires_in');
    const expiring = await tokenRequest({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'users:read', expires_in: 3600 });
    conforms('POST /oauth/tokens', expiring, 201);
    expect(expiring.body.expires_in).toBe(3600);

    const auth = { authorization: `Bearer ${forever.body.access_token}` };
    const current = await h.call('GET', '/api/v2/oauth/tokens/current', undefined, auth);
    conforms('GET /api/v2/oauth/tokens/current', current, 200);
    expect(current.body.token.scopes).toEqual(['read', 'write']);
    const currentExpiring = await h.call('GET', '/api/v2/oauth/tokens/current', undefined, { authorization: `Bearer ${expiring.body.access_token}` });
    conforms('GET /api/v2/oauth/tokens/current', currentExpiring, 200);

    const list = await h.call('GET', '/api/v2/oauth/tokens');
    conforms('GET /api/v2/oauth/tokens', list, 200);
    expect(list.body.tokens).toHaveLength(2);

    conforms('DELETE /api/v2/oauth/tokens/:id', await h.call('DELETE', `/api/v2/oauth/tokens/${currentExpiring.body.token.id}`), 204);
    expect((await h.call('GET', '/api/v2/users/me', undefined, { authorization: `Bearer ${expiring.body.access_token}` })).status).toBe(401);
    conforms('DELETE /api/v2/oauth/tokens/current', await h.call('DELETE', '/api/v2/oauth/tokens/current', undefined, auth), 204);
    expect((await h.call('GET', '/api/v2/users/me', undefined, auth)).status).toBe(401);
  });

  it('validated every route of its table', () => {
    expect(uncheckedRoutes(OPS)).toEqual([]);
  });
});
