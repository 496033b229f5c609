/**
 * Issue 13, item 6: the staged-deletion banner and the plan count the same things, the banner
 * explains the 10-minute burst window, and the plan's Why column is filled; a user left out by a
 * scoping filter gets a log entry naming the clause in words. Zendesk's state is read from the sandbox.
 */
import { createSandboxAccount, createUser, eventually, type Json, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('staged deletions: banner and plan agree, the burst window explained, Why filled; out of scope logged with its clause', async ({ page, api, sandbox, server }) => {
  test.setTimeout(150_000);
  const sub = unique('burst');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const people = await Promise.all(
    ['Ann', 'Ben', 'Cat', 'Dan', 'Eve'].map((n) => createUser(api, { email: `${n.toLowerCase()}.${tag}@contoso.example`, givenName: n, familyName: 'Burst', displayName: `${n} Burst ${tag}`, department: n === 'Eve' ? 'Sales' : 'Support' })),
  );
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Burst ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  const assignments: string[] = [];
  for (const p of people) assignments.push((await json<Json>(await api.post(`/api/apps/${appId}/assignments`, { data: { principalType: 'user', principalId: p['id'], role: 'end-user' } })))['id']);
  const current = await api.get(`/api/apps/${appId}/provisioning`);
  const settings = { deletionThreshold: { enabled: true, count: 2, percent: null }, scopingFilters: [{ name: 'Support', clauses: [{ attribute: 'department', operator: 'equals', value: 'Support' }] }] };
  await json(await api.patch(`/api/apps/${appId}/provisioning`, { data: { settings }, headers: { 'if-match': current.headers()['etag']! } }));
  await json(await api.post(`/api/apps/${appId}/provisioning/enable`));
  await eventually('the four in Support in Zendesk', async () => (await zendeskUsers(sandbox.request, sub)).length === 4, 30_000);

  // Eve (Sales) is out of scope: the log names the clause.
  await page.goto(`/apps/${appId}/logs`);
  const eveRow = page.getByTestId('event-row').filter({ hasText: people[4]!['email'] });
  await expect(eveRow.first()).toContainText('Out of scope: clause department equals Support was false', { timeout: 20_000 });

  // Two unassignments one after the other are applied (each within the threshold of 2); the third, in the same 10 minutes, makes three.
  for (let i = 0; i < 2; i++) {
    expect((await api.delete(`/api/apps/${appId}/assignments/${assignments[i]}`)).ok()).toBe(true);
    await eventually(`removal ${i + 1}`, async () => !(await zendeskUsers(sandbox.request, sub)).some((u) => u['external_id'] === people[i]!['id']), 30_000);
  }
  expect((await api.delete(`/api/apps/${appId}/assignments/${assignments[2]}`)).ok()).toBe(true);

  await page.goto(`/apps/${appId}`);
  const waiting = page.locator('[aria-label="Waiting for an admin"]');
  await expect(waiting.getByTestId('plan-row')).toContainText('Delete user: 1', { timeout: 30_000 });
  const banner = page.getByTestId('state-reason');
  await expect(banner).toContainText('1 removal held back (Delete user: 1): with the 2 removals applied in the last 10 minutes they make 3, more than the threshold of 2.');
  await expect(banner).toContainText('count together for 10 minutes');
  expect((await zendeskUsers(sandbox.request, sub)).some((u) => u['external_id'] === people[2]!['id'])).toBe(true);

  await waiting.getByRole('button', { name: 'Review' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('1 removal held back (Delete user: 1)');
  const row = dialog.getByRole('table', { name: 'Plan actions' }).getByRole('row').filter({ hasText: people[2]!['email'] });
  await expect(row).toContainText('Delete user');
  await expect(row.getByRole('cell').last()).toHaveText('Out of scope: no longer assigned');
});
