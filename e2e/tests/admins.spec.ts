/** Scenario "admins": add an Organization Admin with chosen permissions (one-time password shown once), reset their password (their API tokens revoked), then disable them; checked in Roster's API. */
import { expect, json, test } from '../support/fixtures.ts';

interface Admin {
  id: string;
  email: string;
  permissions: string[];
  status: string;
  mustChangePassword: boolean;
}

test('admins: add with permissions, reset password, disable', async ({ page, api, shot }) => {
  await page.goto('/admins');
  await page.getByRole('button', { name: 'Add admin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add admin' });
  await dialog.getByLabel('Email').fill('helpdesk@example.com');
  await dialog.getByLabel('Name').fill('Help Desk');
  await dialog.getByRole('checkbox', { name: 'manage users' }).uncheck();
  await dialog.getByRole('checkbox', { name: 'import users' }).uncheck();
  await dialog.getByRole('button', { name: 'Add admin' }).click();
  await expect(page.getByTestId('secret-value')).toBeVisible();
  await shot('admin-added');

  const list = await json<{ items: Admin[] }>(await api.get('/api/admins'));
  const helpdesk = list.items.find((a) => a.email === 'helpdesk@example.com');
  expect(helpdesk?.permissions.sort()).toEqual(['assign_apps', 'view_apps', 'view_logs']);
  expect(helpdesk?.mustChangePassword).toBe(true);

  await page.getByRole('button', { name: 'Reset password of helpdesk@example.com' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText('Password of helpdesk@example.com reset; their sessions ended and they had no API token to revoke.')).toBeVisible();
  await expect(page.getByText('One-time password of helpdesk@example.com')).toBeVisible();

  await page.getByRole('button', { name: 'Disable helpdesk@example.com' }).click();
  await expect(page.getByText(/helpdesk@example\.com is disabled; their sessions ended and they had no API token to revoke\./)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enable helpdesk@example.com' })).toBeVisible();
  expect((await json<Admin>(await api.get(`/api/admins/${helpdesk!.id}`))).status).toBe('disabled');
});
