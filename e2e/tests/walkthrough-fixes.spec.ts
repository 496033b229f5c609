/**
 * Fixes found on the admin walk-through (issue 13, item 6), each checked in the browser against
 * Roster and the sandbox: "Add and add another", the Department filter applying as you type in any
 * case, deactivation asking first with the applications that will suspend the account, the
 * Unassign dialog saying what happens under the current setting, Retry now's report, and a
 * dropdown field's hardcoded value picked from its allowed values — with no error when *Map* opens.
 */
import { createSandboxAccount, createUser, eventually, type Json, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('add user: add another keeps the dialog open for the next one', async ({ page, api }) => {
  const tag = unique('more').slice(-6);
  await page.goto('/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Email').fill(`first.${tag}@example.com`);
  await dialog.getByLabel('Given name').fill('First');
  await dialog.getByLabel('Family name').fill(`More ${tag}`);
  await dialog.getByRole('button', { name: 'Add and add another' }).click();
  await expect(dialog.getByTestId('added-users')).toContainText(`Added: First More ${tag}`);
  await expect(dialog.getByLabel('Email')).toHaveValue('');
  await dialog.getByLabel('Email').fill(`second.${tag}@example.com`);
  await dialog.getByLabel('Given name').fill('Second');
  await dialog.getByLabel('Family name').fill(`More ${tag}`);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { name: `Second More ${tag}`, level: 1 })).toBeVisible();
  for (const who of ['first', 'second']) expect((await json<{ items: Json[] }>(await api.get(`/api/users?email=${who}.${tag}@example.com`))).items).toHaveLength(1);
});

test('users: the Department filter applies as you type, in any case', async ({ page, api }) => {
  const tag = unique('dept').slice(-6);
  const dept = `Research ${tag}`;
  await createUser(api, { email: `in.${tag}@example.com`, givenName: 'Inside', familyName: tag, department: dept });
  await createUser(api, { email: `out.${tag}@example.com`, givenName: 'Outside', familyName: tag, department: `Sales ${tag}` });
  await page.goto('/users');
  await page.getByRole('textbox', { name: 'Department' }).fill(dept.toUpperCase());
  // No Enter, no leaving the field: the list follows the typing.
  await expect(page).toHaveURL(/department=RESEARCH/);
  const table = page.getByRole('table');
  await expect(table).toContainText(`in.${tag}@example.com`);
  await expect(table).not.toContainText(`out.${tag}@example.com`);
});

test('deactivate asks first, naming the applications that will suspend the account', async ({ page, api, sandbox, server }) => {
  const sub = unique('deact');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const uma = await createUser(api, { email: `uma.${tag}@example.com`, givenName: 'Uma', familyName: `Leave ${tag}` });
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Leave ${tag}`, settings: { subdomain: sub } } }));
  await saveConnection(api, app['id'], { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  await json(await api.post(`/api/apps/${app['id']}/assignments`, { data: { principalType: 'user', principalId: uma['id'], role: 'agent' } }));
  await json(await api.post(`/api/apps/${app['id']}/provisioning/enable`));
  await eventually('Uma in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === uma['id']));
  await eventually('Uma linked', async () => (await json<{ items: Json[] }>(await api.get(`/api/users/${uma['id']}/applications`))).items.find((a) => a['targetId']));

  // The Unassign dialog says what happens under the current setting (here: the default, delete).
  const config = await json<Json>(await api.get(`/api/apps/${app['id']}/provisioning`));
  expect(config['settings']['syncActions']).toMatchObject({ delete: true, deprovision: 'delete' });
  await page.goto(`/apps/${app['id']}/users`);
  await page.getByRole('table', { name: 'Assignments' }).getByRole('row').filter({ hasText: `Uma Leave ${tag}` }).getByRole('button', { name: 'Unassign' }).click();
  const unassign = page.getByRole('dialog', { name: `Unassign Uma Leave ${tag}?` });
  await expect(unassign.getByTestId('unassign-effect')).toHaveText('Their Zendesk account will be deleted (sync actions: delete the account on unassign). If they are also assigned through a group, they keep it.');
  await unassign.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`/users/${uma['id']}`);
  await page.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('dialog', { name: `Deactivate Uma Leave ${tag}?` });
  await expect(confirm.getByTestId('deactivate-effects')).toContainText('Their account will be suspended in:');
  await expect(confirm.getByTestId('deactivate-effects')).toContainText(`Zendesk – Leave ${tag}`);
  // Cancel changes nothing.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await json<Json>(await api.get(`/api/users/${uma['id']}`)))['status']).toBe('active');
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await confirm.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('button', { name: 'Activate', exact: true })).toBeVisible();
  await eventually('Uma suspended in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === uma['id'] && u['suspended'] === true));
});

test('mapping: Map opens without an error; a dropdown field takes a hardcoded value from its allowed values', async ({ page, api, sandbox, server, shot }) => {
  const sub = unique('dropdown');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Dropdown ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  // A dropdown user field in Zendesk, made through Zendesk's own API.
  const auth = `Basic ${Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64')}`;
  await json(
    await sandbox.request.post(`${app['targetUrl']}/api/v2/user_fields.json`, {
      headers: { authorization: auth },
      data: { user_field: { type: 'dropdown', key: 'plan_tier', title: 'Plan tier', custom_field_options: [{ name: 'Gold', value: 'gold' }, { name: 'Silver', value: 'silver' }] } },
    }),
  );
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  await createUser(api, { email: `pia.${tag}@example.com`, givenName: 'Pia', familyName: `Preview ${tag}` });

  await page.goto(`/apps/${appId}/provisioning?view=sections`);
  const mapping = page.locator('[aria-label="Field mapping"]');
  await mapping.getByRole('button', { name: 'Edit user_fields.plan_tier' }).click();
  const editor = page.getByRole('dialog', { name: /Edit mapping/ });
  // Nothing typed yet: a hint, not an error.
  await expect(editor.getByTestId('mapping-preview')).toHaveText('Pick a directory attribute to preview what it writes.');
  await expect(editor.getByRole('alert')).toHaveCount(0);
  await editor.getByText('Hardcoded value', { exact: true }).click();
  await editor.getByRole('combobox', { name: 'Hardcoded value' }).click();
  await expect(page.getByRole('option')).toHaveText(['gold', 'silver']);
  await page.getByRole('option', { name: 'silver' }).click();
  await expect(editor.getByTestId('mapping-preview')).toContainText('user_fields.plan_tier = silver');
  await shot('mapping-dropdown-value', { guide: true });
  await editor.getByRole('button', { name: 'OK' }).click();
  await expect(mapping.getByTestId('mapping-user_fields.plan_tier')).toContainText('"silver"');
  await mapping.getByRole('button', { name: 'Save mappings' }).click();
  await expect(mapping.getByRole('button', { name: 'Save mappings' })).toBeDisabled();
  const stored = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(stored['settings']['mappings']).toContainEqual({ target: 'user_fields.plan_tier', source: { kind: 'constant', value: 'silver' }, apply: 'always' });
});

test('Retry now shows what it did: the attempt and the event that answered it', async ({ page, api, sandbox, server }) => {
  const sub = unique('retry');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const rae = await createUser(api, { email: `rae.${tag}@example.com`, givenName: 'Rae', familyName: `Retry ${tag}` });
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Retry ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  await json(await api.post(`/api/apps/${appId}/assignments`, { data: { principalType: 'user', principalId: rae['id'], role: 'agent' } }));
  await json(await api.post(`/api/apps/${appId}/provisioning/enable`));
  await eventually('Rae in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === rae['id']), 30_000);
  // The initial cycle has ended: a change made while it still runs waits in escrow as `cycle_running`, and
  // the cycle's own successful create of Rae then clears that row (apply-plan.ts), so the page could find no row.
  await eventually('the initial cycle ended', async () => (await json<{ items: Json[] }>(await api.get(`/api/apps/${appId}/provisioning/cycles?limit=8`))).items.find((c) => c['kind'] === 'initial' && c['status'] !== 'running'), 30_000);
  // Someone in Zendesk already has the address Rae moves to: her update fails and waits for a retry.
  const taken = `taken.${tag}@example.com`;
  const basic = Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64');
  expect((await sandbox.request.post(`/${sub}/api/v2/users`, { data: { user: { name: 'Someone Else', email: taken, role: 'end-user' } }, headers: { authorization: `Basic ${basic}` } })).status()).toBe(201);
  await json(await api.patch(`/api/users/${rae['id']}`, { data: { email: taken }, headers: { 'if-match': (await api.get(`/api/users/${rae['id']}`)).headers()['etag']! } }));
  await eventually('Rae in escrow', async () => (await json<{ items: Json[] }>(await api.get(`/api/apps/${appId}/provisioning/escrow`))).items.find((w) => w['directoryId'] === rae['id']), 30_000);

  await page.goto(`/apps/${appId}/overview`);
  const health = page.locator('[aria-label="Health"]');
  const waitingRow = health.getByRole('table', { name: 'Waiting for a retry' }).getByRole('row').filter({ hasText: taken });
  await expect(waitingRow).toContainText(/attempt \d+/);
  // Automatic retries keep counting meanwhile: the attempt is the one the page showed, plus this one.
  const shown = Number(/attempt (\d+)/.exec((await waitingRow.textContent()) ?? '')?.[1]);
  await health.getByRole('button', { name: 'Retry now' }).click();
  const item = health.getByTestId('retry-report').getByTestId('retry-item');
  await expect(item).toContainText(`${taken} — attempt ${shown + 1}:`);
  await expect(item).toContainText(/Update user, failed .*· event #\d+/, { timeout: 30_000 });
  // The event named is the log's own.
  const eventId = Number(/event #(\d+)/.exec((await item.textContent()) ?? '')?.[1]);
  const event = await json<Json>(await api.get(`/api/apps/${appId}/provisioning/events/${eventId}`));
  expect(event).toMatchObject({ directoryId: rae['id'], action: 'update', status: 'failed' });
});
