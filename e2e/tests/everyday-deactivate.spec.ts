/**
 * Scenario "everyday work: deactivate a user", directory side: the admin finds a user, deactivates
 * them, and the directory holds them as inactive. (The Applications pages add the Zendesk side.)
 */
import { expect, json, test } from '../support/fixtures.ts';

test('everyday work: deactivate a user (directory side)', async ({ page, api, shot }) => {
  const user = await json<{ id: string }>(await api.post('/api/users', { data: { email: 'leaving.person@example.com', givenName: 'Leaving', familyName: 'Person', department: 'Sales' } }));
  await page.goto('/users');
  await page.getByRole('searchbox', { name: 'Search' }).fill('leaving');
  await page.getByRole('link', { name: 'Leaving Person' }).click();
  // Deactivating asks first, saying what happens in the applications (none provisions this user).
  await page.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('dialog', { name: 'Deactivate Leaving Person?' });
  await expect(confirm.getByTestId('deactivate-effects')).toContainText('none provisions them now');
  await confirm.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('button', { name: 'Activate', exact: true })).toBeVisible();
  await shot('user-deactivated', { guide: true });
  const now = await json<{ status: string }>(await api.get(`/api/users/${user.id}`));
  expect(now.status).toBe('inactive');

  // The Inactive filter lists them.
  await page.goto('/users?status=inactive');
  await expect(page.getByRole('link', { name: 'Leaving Person' })).toBeVisible();
});
