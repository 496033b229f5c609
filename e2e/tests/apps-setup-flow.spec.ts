/**
 * The guided setup of a new application: steps in the guides' order, "Save and next", unsaved edits
 * guarded (between steps, on in-app navigation, on leaving the browser page), the summary with
 * its Edit links, the same sections one by one afterwards, and "Approve every cycle" switched on
 * in the UI. The stored configuration is read back through the API.
 */
import { addZendeskApp, createSandboxAccount, type Json, saveConnection, unique } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('guided setup: save and next, unsaved edits never lost silently, summary, sections one by one, approve every cycle', async ({ page, api, sandbox, server }) => {
  const sub = unique('setup-flow');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const appId = await addZendeskApp(page, `Zendesk – Flow ${tag}`, sub);
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });

  // Connected already: the guided setup opens at the field mapping, the steps in the guides' order.
  await page.getByRole('tab', { name: 'Provisioning', exact: true }).click();
  await expect(page.getByText('Guided setup · step 2 of 7')).toBeVisible();
  await expect(page.getByRole('button').locator('.mantine-Stepper-stepLabel')).toHaveText(['Connect', 'Field mapping', 'Sync actions', 'Assignments', 'Scope and filters', 'Notifications', 'Turn on']);

  // An unsaved edit: moving to another step asks first; "Stay" keeps the edit.
  const mapping = page.locator('[aria-label="Field mapping"]');
  await mapping.getByRole('button', { name: 'Remove details' }).click();
  await expect(mapping.getByText('Unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Sync actions', exact: true }).click();
  const discard = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
  await expect(discard).toContainText('Field mapping has changes that are not saved yet');
  await discard.getByRole('button', { name: 'Stay' }).click();
  await expect(mapping.getByText('Unsaved changes')).toBeVisible();

  // In-app navigation (another tab of the page) is held back too.
  await page.getByRole('tab', { name: 'Overview' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(leave).toContainText('Field mapping has changes');
  await leave.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(page).toHaveURL(new RegExp(`/apps/${appId}/provisioning`));
  await expect(mapping.getByText('Unsaved changes')).toBeVisible();

  // Save and next stores the edit and moves on.
  await mapping.getByRole('button', { name: 'Save and next' }).click();
  await expect(page.getByText('Guided setup · step 3 of 7')).toBeVisible();
  let stored = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect((stored['settings']['mappings'] as Json[]).map((m) => m['target'])).not.toContain('details');

  // Nothing changed on a step: Save and next simply moves on; the summary lists every choice.
  await page.locator('[aria-label="Sync actions"]').getByLabel('Suspend the account').check();
  await page.locator('[aria-label="Sync actions"]').getByRole('button', { name: 'Save and next' }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.locator('[aria-label="Scoping filters"]').getByRole('button', { name: 'Save and next' }).click();
  const notices = page.locator('[aria-label="Notifications and safeguards"]');
  await notices.getByLabel('Notification email').fill(`alerts.${tag}@example.test`);
  await notices.getByRole('button', { name: 'Save and next' }).click();
  await expect(page.getByText('Guided setup · step 7 of 7')).toBeVisible();
  await expect(page.getByTestId('summary-actions')).toContainText('create users, update profiles, suspend on unassign, activate and deactivate');
  await expect(page.getByTestId('summary-notifications')).toContainText(`alerts.${tag}@example.test`);
  await expect(page.getByTestId('summary-notifications')).toContainText('cycles apply without approval');
  await expect(page.getByText('Nobody is assigned yet')).toBeVisible();

  // Edit from the summary goes back to that step.
  await page.getByRole('button', { name: 'Edit Scope and filters' }).click();
  await expect(page.getByText('Guided setup · step 5 of 7')).toBeVisible();
  await expect(page.locator('[aria-label="Scope"]')).toBeVisible();

  // The same sections one by one; "Approve every cycle" switched on there.
  await page.getByRole('button', { name: 'Edit the sections one by one' }).click();
  for (const name of ['Connection', 'Field mapping', 'Sync actions', 'Scope and notifications', 'Scoping filters', 'Provisioning status']) await expect(page.locator(`[aria-label="${name}"]`)).toBeVisible();
  const settings = page.locator('[aria-label="Scope and notifications"]');
  await settings.getByLabel('Approve every cycle').check();
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  stored = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  expect(stored['settings']).toMatchObject({ requireApproval: true, notificationEmail: `alerts.${tag}@example.test`, syncActions: { deprovision: 'suspend' } });
  await page.getByRole('button', { name: 'Guided setup' }).click();
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.getByTestId('summary-notifications')).toContainText('every cycle waits for approval');

  // Leaving the browser page with an unsaved edit asks (beforeunload).
  await page.getByRole('button', { name: 'Notifications', exact: true }).click();
  await notices.getByLabel('Notification email').fill(`other.${tag}@example.test`);
  // The edit reaches the page's guard through two React effects: wait until a leave is refused before
  // leaving for real (closing at once raced the guard under load, and no dialog came).
  await expect.poll(() => page.evaluate(() => {
    const leave = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leave);
    return leave.defaultPrevented;
  })).toBe(true);
  const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.type()); void d.accept(); }));
  await page.close({ runBeforeUnload: true });
  expect(await dialog).toBe('beforeunload');
});
