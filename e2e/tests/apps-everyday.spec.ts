/**
 * Everyday work on a connected Zendesk application: change a user's role on the Users and groups
 * tab, deactivate a user and see them suspended in Zendesk (and the suspension in the log), and a
 * stale edit: settings changed elsewhere since the page loaded are not overwritten.
 */
import { createSandboxAccount, createUser, eventually, type Json, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('everyday: change a role, deactivate → suspended in Zendesk, and a stale edit conflict', async ({ page, api, sandbox, server, shot }) => {
  const sub = unique('everyday');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const eve = await createUser(api, { email: `eve.${tag}@contoso.example`, givenName: 'Eve', familyName: 'Everyday', displayName: `Eve Everyday ${tag}`, department: 'Support' });

  // A connected application with Eve assigned as Agent, made through the API (the guides cover the pages).
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Everyday ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  await json(await api.post(`/api/apps/${appId}/assignments`, { data: { principalType: 'user', principalId: eve['id'], role: 'agent' } }));
  await json(await api.post(`/api/apps/${appId}/provisioning/enable`));
  await eventually('Eve created as an agent', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === eve['id'] && u['role'] === 'agent'));

  // Change the role on the page: Zendesk follows.
  await page.goto(`/apps/${appId}/users`);
  await page.getByRole('combobox', { name: `Role of Eve Everyday ${tag}` }).click();
  await page.getByRole('option', { name: 'Admin', exact: true }).click();
  await expect(page.getByText(`Eve Everyday ${tag} is now Admin.`)).toBeVisible();
  await eventually('Eve is an admin in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === eve['id'] && u['role'] === 'admin'));

  // Deactivate Eve in the directory: suspended in Zendesk within seconds, and logged.
  await json(await api.post(`/api/users/${eve['id']}/deactivate`));
  const suspended = await eventually('Eve suspended in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === eve['id'] && u['suspended'] === true));
  expect(suspended['email']).toBe(eve['email']);
  await page.getByRole('tab', { name: 'Provisioning logs' }).click();
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(`eve.${tag}`);
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Suspend user or group', exact: true }).click();
  const row = page.getByTestId('event-row').filter({ hasText: 'Suspend user' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Succeeded');
  await shot('log-suspend');

  // A stale edit: the page read version N; someone else saves N+1; the page's save is refused, not merged.
  await page.getByRole('tab', { name: 'Provisioning', exact: true }).click();
  const settings = page.locator('[aria-label="Scope and notifications"]');
  await expect(settings.getByLabel('Notification email')).toHaveValue('');
  const current = await api.get(`/api/apps/${appId}/provisioning`);
  await json(await api.patch(`/api/apps/${appId}/provisioning`, { data: { settings: { notificationEmail: `other.${tag}@contoso.example` } }, headers: { 'if-match': current.headers()['etag']! } }));
  await settings.getByLabel('Cycle interval (minutes)').fill('15');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('alert')).toContainText('Changed by someone else');
  await shot('stale-edit-conflict', { guide: true });
  const untouched = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(untouched['settings']).toMatchObject({ notificationEmail: `other.${tag}@contoso.example`, cycleIntervalMinutes: 40 });

  // Reload shows the other admin's change; the edit made again then saves.
  await settings.getByRole('button', { name: 'Reload settings' }).click();
  await expect(settings.getByLabel('Notification email')).toHaveValue(`other.${tag}@contoso.example`);
  await settings.getByLabel('Cycle interval (minutes)').fill('15');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const saved = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(saved['settings']).toMatchObject({ notificationEmail: `other.${tag}@contoso.example`, cycleIntervalMinutes: 15 });
});
