/**
 * Scenario "users": create, search, edit, a stale edit from a second page (conflict message,
 * reload), deactivate / reactivate, delete with confirmation. Each step is checked in Roster's API.
 */
import { expect, json, shot as shotOf, test } from '../support/fixtures.ts';

interface User {
  id: string;
  email: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
  status: string;
  version: number;
  custom: Record<string, unknown>;
}

test('users: create, edit, stale edit conflict, deactivate, delete', async ({ page, context, api, shot }) => {
  // A custom attribute, so the form shows it.
  await json(await api.post('/api/attributes', { data: { key: 'costCenter', label: 'Cost center', type: 'string' } }));

  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByLabel('Given name').fill('Katherine');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  // The API's field error lands on the field.
  await expect(dialog.getByText('must be an email address', { exact: true })).toBeVisible();
  await dialog.getByLabel('Email').fill('katherine.johnson@example.com');
  await dialog.getByLabel('Family name').fill('Johnson');
  await dialog.getByLabel('Department').fill('Research');
  await dialog.getByLabel('Cost center').fill('R-100');
  await shot('user-create', { guide: true });
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { name: 'Katherine Johnson', level: 1 })).toBeVisible();

  const listed = await json<{ items: User[] }>(await api.get('/api/users', { params: { email: 'katherine.johnson@example.com' } }));
  expect(listed.items).toHaveLength(1);
  const kj = listed.items[0]!;
  expect([kj.displayName, kj.department, kj.custom['costCenter'], kj.status]).toEqual(['Katherine Johnson', 'Research', 'R-100', 'active']);

  // Search finds her from the list, by the start of her name.
  await json(await api.post('/api/users', { data: { email: 'dorothy.vaughan@example.com', givenName: 'Dorothy', familyName: 'Vaughan', department: 'Computing' } }));
  await page.goto('/users');
  await page.getByRole('searchbox', { name: 'Search' }).fill('kath');
  await expect(page).toHaveURL(/q=kath/);
  await expect(page.getByRole('link', { name: 'Katherine Johnson' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dorothy Vaughan' })).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await expect(page.getByRole('link', { name: 'Dorothy Vaughan' })).toBeVisible();
  await shot('users-list', { guide: true });

  // Edit in one page; a second page still holds the old version.
  await page.getByRole('link', { name: 'Katherine Johnson' }).click();
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByRole('heading', { name: 'Katherine Johnson', level: 1 })).toBeVisible();

  await page.getByLabel('Job title').fill('Analyst');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  let now = await json<User>(await api.get(`/api/users/${kj.id}`));
  expect([now.jobTitle, now.version]).toEqual(['Analyst', kj.version + 1]);

  await other.getByLabel('Job title').fill('Engineer');
  await other.getByLabel('Department').fill('Mathematics');
  await other.getByRole('button', { name: 'Save' }).click();
  const notice = other.getByRole('alert').filter({ hasText: 'Someone else changed this user' });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('table', { name: 'Conflicting fields' })).toContainText('Analyst');
  await expect(notice.getByRole('table', { name: 'Conflicting fields' })).toContainText('Engineer');
  await shotOf(other, 'user-conflict', { guide: true });
  // The stale write changed nothing.
  now = await json<User>(await api.get(`/api/users/${kj.id}`));
  expect([now.jobTitle, now.department, now.version]).toEqual(['Analyst', 'Research', kj.version + 1]);
  // Keep mine on top of theirs, then save: both edits of the second page land.
  await notice.getByRole('button', { name: 'Keep my changes on top of theirs' }).click();
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByText('Saved.')).toBeVisible();
  now = await json<User>(await api.get(`/api/users/${kj.id}`));
  expect([now.jobTitle, now.department, now.version]).toEqual(['Engineer', 'Mathematics', kj.version + 2]);
  await other.close();

  // Deactivate and reactivate.
  await page.reload();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('button', { name: 'Activate', exact: true })).toBeVisible();
  expect((await json<User>(await api.get(`/api/users/${kj.id}`))).status).toBe('inactive');
  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Deactivate' })).toBeVisible();
  expect((await json<User>(await api.get(`/api/users/${kj.id}`))).status).toBe('active');

  // Delete, after a confirmation that can be cancelled.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect((await api.get(`/api/users/${kj.id}`)).status()).toBe(200);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await shot('user-delete-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete user' }).click();
  await expect(page).toHaveURL(/\/users$/);
  expect((await api.get(`/api/users/${kj.id}`)).status()).toBe(404);
});
