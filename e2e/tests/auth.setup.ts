/**
 * Scenario "sign in": the owner signs in with the one-time password from the banner, is made to
 * choose a new password (which a reload or the start page does not escape or break), and lands on Users. The session is kept for every other scenario.
 */
import fs from 'node:fs/promises';
import { request } from '@playwright/test';
import { expect, json, readServer, shot, test } from '../support/fixtures.ts';
import { ownerFile, ownerStorageFile } from '../support/paths.ts';

const NEW_PASSWORD = 'e2e-owner-password-2026';

test('sign in with the one-time password and choose a new one', async ({ page }) => {
  const server = readServer();
  await page.goto(`${server.url}/users`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fusers/);
  await expect(page.getByRole('heading', { name: 'Sign in to Roster' })).toBeVisible();
  await shot(page, 'sign-in', { guide: true });

  // A wrong password is refused on the page.
  await page.getByLabel('Email').fill(server.ownerEmail);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/password/i);

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(server.oneTimePassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();

  // Reloading, or opening the start page, before choosing keeps the UI (never raw JSON) and the form.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const start = await page.goto(`${server.url}/`);
  expect(start?.status()).toBe(200);
  expect(start?.headers()['content-type']).toMatch(/text\/html/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  // Meanwhile the API itself refuses everything but the password change.
  expect((await page.request.get('/api/users')).status()).toBe(403);

  await page.getByRole('textbox', { name: 'Current (one-time) password', exact: true }).fill(server.oneTimePassword);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill(NEW_PASSWORD);
  await shot(page, 'change-password', { guide: true });
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/users$/);

  // Behind the page: the password changed (the one-time one no longer works, the new one does).
  const fresh = await request.newContext({ baseURL: server.url });
  expect((await fresh.post('/api/session', { data: { email: server.ownerEmail, password: server.oneTimePassword } })).status()).toBe(401);
  const signedIn = await json<{ admin: { mustChangePassword: boolean } }>(await fresh.post('/api/session', { data: { email: server.ownerEmail, password: NEW_PASSWORD } }));
  expect(signedIn.admin.mustChangePassword).toBe(false);
  await fresh.dispose();

  // An API token for the scenarios' own checks, made with this browser session (CSRF header included).
  const session = await json<{ csrfToken: string }>(await page.request.get('/api/session'));
  const created = await json<{ value: string }>(await page.request.post('/api/tokens', { data: { name: 'e2e checks' }, headers: { 'x-csrf-token': session.csrfToken } }));
  await fs.writeFile(ownerFile, JSON.stringify({ email: server.ownerEmail, password: NEW_PASSWORD, token: created.value }));
  await page.context().storageState({ path: ownerStorageFile });
});
