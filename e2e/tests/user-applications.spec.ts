/**
 * Each person, each app: the user page's Applications panel (assigned through a group, role by
 * name, the linked Zendesk account, the last provisioning event) and a save whose push to Zendesk
 * fails — shown right after saving and in the panel, not a bare "Saved.". Then Provision now.
 */
import { createGroup, createSandboxAccount, createUser, eventually, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('the Applications panel shows a failed push after a save', async ({ page, api, sandbox, server, shot }) => {
  const sub = unique('person-apps');
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const tag = sub.slice(-6);
  const ada = await createUser(api, { email: `ada.${tag}@contoso.example`, givenName: 'Ada', familyName: 'Lovelace', displayName: `Ada Apps ${tag}`, department: 'Support' });
  const group = await createGroup(api, `Agents ${tag}`, [ada['id']]);
  const app = await json<{ id: string }>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk ${tag}`, settings: { subdomain: sub } } }));
  await saveConnection(api, app.id, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  expect((await json<{ ok: boolean }>(await api.post(`/api/apps/${app.id}/provisioning/test`))).ok).toBe(true);
  await json(await api.post(`/api/apps/${app.id}/assignments`, { data: { principalType: 'group', principalId: group['id'], role: 'agent' } }));
  await json(await api.post(`/api/apps/${app.id}/provisioning/enable`));
  const inZendesk = await eventually('Ada in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === ada['id']), 30_000);

  // Someone in Zendesk already uses the address Ada is about to get.
  const taken = `taken.${tag}@contoso.example`;
  const basic = Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64');
  expect((await sandbox.request.post(`/${sub}/api/v2/users`, { data: { user: { name: 'Someone Else', email: taken, role: 'end-user' } }, headers: { authorization: `Basic ${basic}` } })).status()).toBe(201);

  await page.goto(`/users/${ada['id']}`);
  const panel = page.locator('[aria-label="Applications"]');
  const row = panel.getByTestId('user-app-row').filter({ hasText: `Zendesk ${tag}` });
  await expect(row).toContainText(`Through group Agents ${tag}`);
  await expect(row).toContainText('Agent');
  await expect(row).toContainText(String(inZendesk['id']));
  await expect(row).toContainText('Create user');
  await expect(row).toContainText('Succeeded');

  await page.getByLabel('Email').fill(taken);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const outcome = page.getByTestId('save-outcome');
  await expect(outcome).toContainText('Saved in the directory, but not everywhere', { timeout: 30_000 });
  await expect(outcome).toContainText(`Zendesk ${tag}`);
  await expect(outcome).toContainText('Update user failed');
  await expect(row).toContainText('Failed');
  await expect(row.getByTestId('user-app-error')).toContainText(/already|taken|use/i);
  await shot('user-applications-failed-push', { guide: true, fullPage: true });

  // Provision now: the same failure, on demand, reported at once.
  await row.getByRole('button', { name: 'Provision now' }).click();
  await expect(page.getByText(`Zendesk ${tag}: provisioned on demand — failed.`)).toBeVisible({ timeout: 30_000 });
});
