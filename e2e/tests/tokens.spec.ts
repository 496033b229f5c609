/** Scenario "API tokens": create one (value shown once) that works against the API, then revoke it and see it refused. */
import { request } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';

test('personal API token: create, use, revoke', async ({ page, server, shot }) => {
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await page.getByLabel('Token name').fill('nightly HR sync');
  await page.getByRole('button', { name: 'Create token' }).click();
  const value = (await page.getByTestId('secret-value').textContent())?.trim() ?? '';
  expect(value).toMatch(/^rst_/);
  await expect(page.getByRole('table', { name: 'API tokens' })).toContainText('nightly HR sync');
  await shot('token-created');

  const client = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { authorization: `Bearer ${value}` } });
  expect((await client.get('/api/users?limit=1')).status()).toBe(200);

  await page.getByRole('button', { name: 'Revoke nightly HR sync' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('table', { name: 'API tokens' }).getByText('revoked')).toBeVisible();
  expect((await client.get('/api/users?limit=1')).status()).toBe(401);
  // Once left, the page never shows the value again.
  await page.reload();
  await expect(page.getByTestId('secret-value')).toHaveCount(0);
  await client.dispose();
});
