/**
 * Issue 16 in the browser: the gallery lists "SCIM 2.0 application", its creation form asks for the
 * SCIM base URL, and the Connection section renders the SCIM connector's methods (bearer token,
 * HTTP Basic, OAuth 2.0 client credentials) from its definition; a bearer token saved and tested
 * against an independent SCIM server (SCIMMY, started here) reports the app's capabilities.
 */
import { PEER_TOKEN, type ScimPeer, startScimPeer } from '../../packages/roster/src/connectors/scim/scim-peer.test-support.ts';
import { type Json, unique } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

let peer: ScimPeer;
test.beforeAll(async () => {
  peer = await startScimPeer({ bulk: false });
});
test.afterAll(async () => peer?.close());

test('SCIM 2.0 application: add it from the gallery, save a bearer token, test the connection', async ({ page, api }) => {
  const name = `SCIM – ${unique('scim').slice(-6)}`;
  await page.goto('/apps');
  await page.getByRole('link', { name: 'Add application' }).click();
  await page.getByLabel('Search the gallery').fill('scim');
  await page.getByRole('button', { name: 'Add SCIM 2.0 application' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add SCIM 2.0 application' });
  await dialog.getByLabel('Display name').fill(name);
  await dialog.getByLabel('SCIM base URL').fill(`${peer.baseUrl}/`);
  await dialog.getByRole('button', { name: 'Add application' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const appId = /\/apps\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(appId, page.url()).toBeTruthy();

  await page.getByRole('tab', { name: 'Provisioning', exact: true }).click();
  const connection = page.locator('[aria-label="Connection"]');
  await expect(connection.getByText(peer.baseUrl.toLowerCase())).toBeVisible();
  const methods = connection.getByRole('radiogroup', { name: 'Connection method' });
  await expect(methods.locator('label')).toHaveText(['Bearer token (recommended)', 'HTTP Basic', 'OAuth 2.0 client credentials']);

  // Each method's form comes from the connector's definition.
  await methods.getByText('OAuth 2.0 client credentials').click();
  await expect(connection.getByLabel('Token URL')).toBeVisible();
  await expect(connection.getByLabel('Client secret')).toBeVisible();
  await expect(connection.getByTestId('redirect-url')).toHaveCount(0);
  await methods.getByText('HTTP Basic').click();
  await expect(connection.getByLabel('User name')).toBeVisible();

  await methods.getByText('Bearer token (recommended)').click();
  await connection.getByLabel('Token', { exact: true }).fill(PEER_TOKEN);
  await connection.getByRole('button', { name: 'Save credentials' }).click();
  await expect(connection.getByTestId('connection-state')).toHaveText('Connected (Bearer token) — not tested yet');
  const config = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(config['connection']).toMatchObject({ method: 'bearer', connected: true, storedSecrets: ['token'] });
  expect(JSON.stringify(config)).not.toContain(PEER_TOKEN);

  await connection.getByRole('button', { name: 'Test connection' }).click();
  const report = connection.getByTestId('test-result');
  await expect(report).toContainText('Connection works');
  await expect(report).toContainText('a bearer token may read users');
  await expect(report).toContainText('Changes are sent as PATCH (only the changed attributes)');
  await expect(report).toContainText('No bulk requests: one request per account');
  await expect(connection.getByTestId('connection-state')).toHaveText('Connected (Bearer token)');
});
