/**
 * Operating a connected application: a dry run read action by action, provision on demand with
 * its steps, deletions held back by the deletion threshold and approved on the Overview, and
 * Restart. Zendesk's state is read from the sandbox.
 */
import { createSandboxAccount, createUser, eventually, type Json, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('operations: dry run, provision on demand, staged deletions approved, restart', async ({ page, api, sandbox, server, shot }) => {
  test.setTimeout(150_000);
  const sub = unique('ops');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const people = await Promise.all(['Gil', 'Hal', 'Ivy'].map((n) => createUser(api, { email: `${n.toLowerCase()}.${tag}@contoso.example`, givenName: n, familyName: 'Ops', displayName: `${n} Ops ${tag}` })));
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Ops ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  const assignments: string[] = [];
  for (const p of people) assignments.push((await json<Json>(await api.post(`/api/apps/${appId}/assignments`, { data: { principalType: 'user', principalId: p['id'], role: 'end-user' } })))['id']);

  // Dry run before switching on (the sections one by one, not the guided setup): the plan creates all three; Zendesk is untouched.
  await page.goto(`/apps/${appId}/provisioning?view=sections`);
  const plans = page.locator('[aria-label="Dry run and approval"]');
  await plans.getByRole('button', { name: 'Dry run' }).click();
  const planRow = plans.getByTestId('plan-row').first();
  await expect(planRow).toContainText('Create user: 3', { timeout: 30_000 });
  await planRow.getByRole('button', { name: /Review|Open/ }).click();
  const planDialog = page.getByRole('dialog');
  await expect(planDialog.getByRole('table', { name: 'Plan actions' })).toContainText(people[0]!['email']);
  await shot('dry-run', { guide: true });
  await planDialog.getByRole('button', { name: 'Close' }).or(page.locator('.mantine-Modal-close')).first().click();
  expect(await zendeskUsers(sandbox.request, sub)).toHaveLength(0);

  // Provision on demand: Gil alone, step by step.
  const onDemand = page.locator('[aria-label="Provision on demand"]');
  await onDemand.getByRole('combobox', { name: 'User to provision' }).fill(`Gil Ops ${tag}`);
  await page.getByRole('option', { name: new RegExp(`Gil Ops ${tag}`) }).click();
  await onDemand.getByRole('button', { name: 'Provision' }).click();
  await expect(onDemand.getByTestId('on-demand-result')).toBeVisible({ timeout: 30_000 });
  await expect(onDemand).toContainText('match');
  await shot('provision-on-demand', { guide: true });
  await eventually('Gil in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === people[0]!['id']));

  // Switch on with a deletion threshold of one; unassigning two stages the deletions for an admin.
  const current = await api.get(`/api/apps/${appId}/provisioning`);
  await json(await api.patch(`/api/apps/${appId}/provisioning`, { data: { settings: { deletionThreshold: { enabled: true, count: 1, percent: null } } }, headers: { 'if-match': current.headers()['etag']! } }));
  await json(await api.post(`/api/apps/${appId}/provisioning/enable`));
  await eventually('all three in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).length === 3);
  expect((await api.delete(`/api/apps/${appId}/assignments/${assignments[1]}`)).ok()).toBe(true);
  expect((await api.delete(`/api/apps/${appId}/assignments/${assignments[2]}`)).ok()).toBe(true);
  await json(await api.post(`/api/apps/${appId}/provisioning/cycles`));
  await page.goto(`/apps/${appId}`);
  const waiting = page.locator('[aria-label="Waiting for an admin"]');
  await expect(waiting.getByTestId('plan-row')).toContainText('Delete user: 2', { timeout: 30_000 });
  expect(await zendeskUsers(sandbox.request, sub)).toHaveLength(3);
  await shot('staged-deletions', { guide: true });
  await waiting.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await eventually('the two deleted in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).length === 1);

  // Restart, keeping the links: an initial cycle runs again and changes nothing in Zendesk.
  await page.locator('[aria-label="Health"]').getByRole('button', { name: 'Restart provisioning' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByText(/Restarted: /)).toBeVisible();
  await expect(page.getByTestId('last-cycle')).toContainText('Initial', { timeout: 30_000 });
  expect((await zendeskUsers(sandbox.request, sub)).map((u) => u['external_id'])).toEqual([people[0]!['id']]);
});
