/**
 * Guide A (Zoho Directory), steps 1–17, in the browser against Roster and the sandbox: add Zendesk,
 * authorize through the sandbox's sign-in and consent pages, give a field a hardcoded value,
 * choose the sync actions, assign a user with a role read from the account, then import the
 * existing Zendesk users with each filter and confirm. Zendesk's and the directory's state are
 * checked behind the page.
 */
import { addZendeskApp, assignInPage, createSandboxAccount, createUser, eventually, type Json, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('guide A: OAuth consent, hardcoded field, sync actions, assignment with an account role, import with every filter', async ({ page, api, sandbox, server, shot }) => {
  test.setTimeout(180_000);
  const sub = unique('guide-a');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const ada = await createUser(api, { email: `ada.${tag}@zylker.example`, givenName: 'Ada', familyName: 'Zoho', displayName: `Ada Zoho ${tag}`, jobTitle: 'Agent' });

  // Zendesk users for the import: three new ones, and one for each of update / activate / deactivate
  // (the sandbox numbers seeded users across the account, so their addresses are read back).
  const seed = async (prefix: string, count: number, extra: Json = {}) => json(await sandbox.request.post(`/__sandbox/accounts/${sub}/seed`, { data: { count, role: 'end-user', prefix, ...extra } }));
  await seed('new', 3);
  await seed('upd', 1);
  await seed('act', 1);
  await seed('deact', 1, { suspended: true });
  const seeded = await zendeskUsers(sandbox.request, sub);
  const emailsOf = (prefix: string): string[] => seeded.map((u) => String(u['email'])).filter((e) => e.startsWith(`${prefix}-`)).sort();
  const email = (prefix: string): string => emailsOf(prefix)[0]!;
  expect(emailsOf('new')).toHaveLength(3);
  const upd = await createUser(api, { email: email('upd'), givenName: 'Old', familyName: 'Name', displayName: 'Old Name' });
  const act = await createUser(api, { email: email('act'), givenName: 'Act', familyName: 'Ive', displayName: 'act user', status: 'inactive' });
  const deact = await createUser(api, { email: email('deact'), givenName: 'De', familyName: 'Act', displayName: 'deact user' });

  // Steps 1–3.
  const appId = await addZendeskApp(page, `Zendesk – Zylker ${tag}`, sub);

  // Steps 4–8: Provisioning (the guided setup of a new application, at Connect) → OAuth identifier and
  // secret → Authorize → sign in → Allow → back here, at the field mapping.
  await page.getByRole('tab', { name: 'Provisioning', exact: true }).click();
  await expect(page.getByText('Guided setup · step 1 of 7')).toBeVisible();
  const connection = page.locator('[aria-label="Connection"]');
  await expect(page.getByTestId('redirect-url')).toHaveText(/\/provision\/oauth\/callback$/);
  await connection.getByLabel('OAuth client identifier').fill(account.oauthClientId);
  await connection.getByLabel('OAuth client secret').fill(account.oauthClientSecret);
  await shot('oauth-client', { guide: true });
  await connection.getByRole('button', { name: 'Authorize' }).click();
  await page.locator('#user_email').fill(account.adminEmail);
  await page.locator('#user_password').fill(account.adminPassword);
  await page.locator('#sign-in').click();
  await expect(page.locator('#consent-form')).toBeVisible();
  await shot('zendesk-consent', { guide: true });
  await page.locator('#allow').click();
  await expect(page).toHaveURL(new RegExp(`/apps/${appId}/provisioning\\?connected=1`));
  // A full page load after the round trip through Zendesk.
  await expect(page.getByText('Connected to Zendesk')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('connection-state')).toContainText('Connected (OAuth)');
  await expect(page.getByText('Guided setup · step 2 of 7')).toBeVisible();

  // Steps 9–10: every field mapped by default; `details` gets a hardcoded value, previewed on Ada.
  const mapping = page.locator('[aria-label="Field mapping"]');
  await expect(mapping.getByTestId('mapping-email')).toContainText('email');
  await mapping.getByRole('button', { name: 'Edit details' }).click();
  const editor = page.getByRole('dialog', { name: /Edit mapping/ });
  await editor.getByText('Hardcoded value', { exact: true }).click();
  await editor.getByRole('textbox', { name: 'Hardcoded value' }).fill('Provisioned by Roster');
  await editor.getByRole('combobox', { name: 'Preview with' }).click();
  await page.getByRole('option', { name: new RegExp(`Ada Zoho ${tag}`) }).click();
  await expect(editor.getByTestId('mapping-preview')).toContainText('details = Provisioned by Roster');
  await shot('mapping-hardcoded', { guide: true });
  await editor.getByRole('button', { name: 'OK' }).click();
  await expect(mapping.getByTestId('mapping-details')).toContainText('"Provisioned by Roster"');
  await shot('mapping', { guide: true, fullPage: false });
  await mapping.getByRole('button', { name: 'Save and next' }).click();

  // Steps 11–12: sync actions — keep Zendesk accounts on unassign (suspend instead of delete).
  const actions = page.locator('[aria-label="Sync actions"]');
  await actions.getByLabel('Suspend the account').check();
  await actions.getByRole('button', { name: 'Save and next' }).click();
  await expect(page.getByText('Guided setup · step 4 of 7')).toBeVisible();
  const stored = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(stored['settings']['mappings']).toContainEqual({ target: 'details', source: { kind: 'constant', value: 'Provisioned by Roster' }, apply: 'always' });
  expect(stored['settings']['syncActions']).toMatchObject({ create: true, update: true, activateDeactivate: true, deprovision: 'suspend' });

  // Assignments: Ada with a role read from the account (Light agent is a custom role); scope and
  // notifications as they are; the summary of every choice; switch on.
  await assignInPage(page, 'Users', `Ada Zoho ${tag}`, new RegExp(`Ada Zoho ${tag}`), 'Light agent');
  await expect(page.getByRole('table', { name: 'Assignments' })).toContainText(`Ada Zoho ${tag}`);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.locator('[aria-label="Scoping filters"]').getByRole('button', { name: 'Save and next' }).click();
  await page.locator('[aria-label="Notifications and safeguards"]').getByRole('button', { name: 'Save and next' }).click();
  await expect(page.getByTestId('summary-connect')).toContainText('Connected (OAuth)');
  await expect(page.getByTestId('summary-mapping')).toContainText('(1 hardcoded)');
  await expect(page.getByTestId('summary-actions')).toContainText('suspend on unassign');
  await expect(page.getByTestId('summary-assignments')).toContainText('1 user and 0 groups assigned');
  await shot('setup-summary', { guide: true });
  await page.getByRole('switch', { name: /Provisioning status/ }).click();
  await expect(page.getByText('Provisioning status: On')).toBeVisible();
  const zAda = await eventually('Ada in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === ada['id']));
  expect(zAda).toMatchObject({ email: ada['email'], role: 'agent', details: 'Provisioned by Roster' });
  expect(zAda['custom_role_id']).toEqual(expect.any(Number));

  // Steps 13–17: import, each filter, select, confirm, done.
  await page.getByRole('tab', { name: 'Import' }).click();
  await page.getByRole('button', { name: 'Start import' }).click();
  const filter = page.getByRole('radiogroup', { name: 'Import filter' });
  await expect(filter).toBeVisible({ timeout: 30_000 });
  // New: the three seeded users and the account's own admin; Update: the seeded one, and Ada (linked, her
  // Zendesk time zone and locale differ from the directory's empty ones).
  await expect(filter).toContainText('New users (4)');
  await expect(filter).toContainText('Update users (2)');
  await expect(filter).toContainText('Users to activate (1)');
  await expect(filter).toContainText('Users to deactivate (1)');
  const table = page.getByRole('table', { name: 'Users to import' });
  await expect(table.getByRole('row')).toHaveCount(5);
  // Each user's Zendesk role by name: the three seeded end users and the account's own admin.
  await expect(table.getByTestId('import-role').filter({ hasText: 'End user' })).toHaveCount(3);
  await expect(table.getByTestId('import-role').filter({ hasText: 'Admin' })).toHaveCount(1);
  await table.getByLabel('Select all').check();
  await shot('import-new-users', { guide: true });
  await filter.getByText(/^Update users/).click();
  await expect(table).toContainText(email('upd'));
  await table.getByLabel(`Select ${email('upd')}`).check();
  await filter.getByText(/^Users to activate/).click();
  await table.getByLabel(`Select ${email('act')}`).check();
  await filter.getByText(/^Users to deactivate/).click();
  await table.getByLabel(`Select ${email('deact')}`).check();
  await filter.getByText(/^Conflicts/).click();
  await page.getByRole('button', { name: 'Confirm assignment (7)' }).click();
  await expect(page.getByTestId('import-status')).toHaveText('Imported', { timeout: 30_000 });
  // Status badges show their whole word.
  expect(await page.getByTestId('import-status').locator('.mantine-Badge-label').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot('import-done', { guide: true });
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page).toHaveURL(new RegExp(`/apps/${appId}/users$`));

  // Behind the page: the directory and the assignments.
  const dirUser = async (address: string) => (await json<{ items: Json[] }>(await api.get(`/api/users?email=${encodeURIComponent(address)}`))).items[0];
  for (const address of emailsOf('new')) expect(await dirUser(address), address).toMatchObject({ status: 'active' });
  const zUpd = seeded.find((u) => u['email'] === email('upd'))!;
  expect(await dirUser(email('upd'))).toMatchObject({ id: upd['id'], displayName: zUpd['name'] });
  expect(await dirUser(email('act'))).toMatchObject({ id: act['id'], status: 'active' });
  expect(await dirUser(email('deact'))).toMatchObject({ id: deact['id'], status: 'inactive' });
  const assigned = (await json<{ items: Json[] }>(await api.get(`/api/apps/${appId}/assignments?limit=100`))).items.map((a) => a['principalEmail']);
  for (const address of emailsOf('new')) expect(assigned).toContain(address);
  expect(assigned).toContain(email('act'));
});
