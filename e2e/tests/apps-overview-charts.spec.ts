/**
 * Pictures of what provisioning did: the Overview's activity chart shows exactly the API's counts
 * (totals, and each bar's numbers under "Show numbers"), the last cycles carry their durations, and
 * the home dashboard's figures are the sums of the applications' own figures.
 */
import { createSandboxAccount, createUser, eventually, type Json, saveConnection, unique, zendeskUsers } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';
import { countsSentence } from '../../packages/roster/src/words/words.ts';

const series = ['created', 'updated', 'suspended', 'deleted', 'failed'] as const;

test('overview chart equals the API, last cycles with durations, home dashboard', async ({ page, api, sandbox, server, shot }) => {
  const sub = unique('charts');
  const tag = sub.slice(-6);
  const account = await createSandboxAccount(sandbox.request, server.url, sub);
  const people = await Promise.all(['Kai', 'Lea', 'Max'].map((n) => createUser(api, { email: `${n.toLowerCase()}.${tag}@contoso.example`, givenName: n, familyName: 'Chart', displayName: `${n} Chart ${tag}` })));
  const app = await json<Json>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk – Charts ${tag}`, settings: { subdomain: sub } } }));
  const appId = app['id'] as string;
  await saveConnection(api, appId, { method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
  await json(await api.patch(`/api/apps/${appId}/provisioning`, { data: { settings: { syncActions: { create: true, update: true, delete: true, activateDeactivate: true, deprovision: 'suspend' } } }, headers: { 'if-match': (await api.get(`/api/apps/${appId}/provisioning`)).headers()['etag']! } }));
  for (const p of people) await json(await api.post(`/api/apps/${appId}/assignments`, { data: { principalType: 'user', principalId: p['id'], role: 'agent' } }));
  await json(await api.post(`/api/apps/${appId}/provisioning/enable`));
  await eventually('three agents created', async () => (await zendeskUsers(sandbox.request, sub)).filter((u) => people.some((p) => p['id'] === u['external_id'])).length === 3);
  // An update and a suspension pushed after the initial cycle.
  await json(await api.patch(`/api/users/${people[0]!['id']}`, { data: { jobTitle: 'Lead' }, headers: { 'if-match': (await api.get(`/api/users/${people[0]!['id']}`)).headers()['etag']! } }));
  await json(await api.post(`/api/users/${people[1]!['id']}/deactivate`));
  await eventually('Lea suspended', async () => (await zendeskUsers(sandbox.request, sub)).find((u) => u['external_id'] === people[1]!['id'] && u['suspended'] === true));

  const activity = async (): Promise<Json> => json<Json>(await api.get(`/api/apps/${appId}/provisioning/activity?bucket=hour`));
  await eventually('the update and the suspension logged', async () => {
    const t = (await activity())['totals'];
    return t['created'] >= 3 && t['updated'] >= 1 && t['suspended'] >= 1;
  });
  const fromApi = await activity();

  await page.goto(`/apps/${appId}/overview`);
  const chart = page.locator('[aria-label="Provisioning activity"]');
  await expect(chart.locator('.recharts-surface')).toBeVisible();
  const totals = chart.getByTestId('activity-totals');
  for (const s of series) await expect(totals.locator(`[data-series="${s}"]`)).toContainText(`: ${fromApi['totals'][s]}`);
  await expect(totals.locator('[data-series="created"]')).toContainText('Created: 3');
  await shot('overview-activity', { guide: true, fullPage: true });

  // Each bar's numbers, row by row, equal the API's points (the page asks for the same 24 hours per hour).
  await chart.getByRole('button', { name: 'Show numbers' }).click();
  const table = chart.getByRole('table', { name: 'Provisioning activity numbers' });
  const busy = (fromApi['points'] as Json[]).filter((p) => series.some((s) => p[s] > 0));
  expect(busy.length).toBeGreaterThan(0);
  for (const p of busy) {
    const row = table.locator(`tr[data-at="${p['at']}"]`);
    await expect(row.locator('td')).toHaveText([/.+/, ...series.map((s) => String(p[s]))]);
  }
  // One drawn bar per non-zero count.
  const nonZero = busy.reduce((n, p) => n + series.filter((s) => p[s] > 0).length, 0);
  await expect(chart.locator('.recharts-bar-rectangle path')).toHaveCount(nonZero);

  // Per day over 30 days: the same totals (everything happened within the last hour).
  await chart.getByText('30 days', { exact: true }).click();
  await expect(chart.getByRole('radio', { name: 'Per day' })).toBeChecked();
  const daily = await json<Json>(await api.get(`/api/apps/${appId}/provisioning/activity?bucket=day`));
  for (const s of series) await expect(totals.locator(`[data-series="${s}"]`)).toContainText(`: ${daily['totals'][s]}`);

  // The last cycles, with durations.
  const cycles = await json<{ items: Json[] }>(await api.get(`/api/apps/${appId}/provisioning/cycles?limit=8`));
  const rows = page.getByRole('table', { name: 'Last cycles' }).getByTestId('cycle-row');
  await expect(rows).toHaveCount(cycles.items.length);
  // Each row says the API's counts in words and, once finished, its duration (the initial cycle may
  // find the users already created by the change-driven batch that ran before it).
  for (const [i, c] of cycles.items.entries()) {
    await expect(rows.nth(i)).toContainText(countsSentence(c['counts']));
    if (c['durationMs'] !== null) await expect(rows.nth(i)).toContainText(/\d+(\.\d)? s|min/);
  }
  expect(cycles.items.find((c) => c['kind'] === 'initial')?.['durationMs']).toEqual(expect.any(Number));

  // Home: this application's row, and the figures as the sums over every application.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  const mine = page.getByTestId(`home-app-${appId}`);
  await expect(mine).toContainText(`Zendesk – Charts ${tag}`);
  await expect(mine).toContainText('On');
  await expect(mine.getByTestId('failures-24h')).toHaveText(String(fromApi['totals']['failed']));
  await expect(mine.getByTestId('waiting')).toHaveText('nothing');
  const apps = (await json<{ items: Json[] }>(await api.get('/api/apps?limit=50'))).items;
  let failed = 0;
  let staged = 0;
  for (const a of apps) {
    failed += (await json<Json>(await api.get(`/api/apps/${a['id']}/provisioning/activity?bucket=hour`)))['totals']['failed'];
    // Removals, as the staged plans count them.
    const pending = (await json<Json>(await api.get(`/api/apps/${a['id']}/provisioning/status`)))['pendingPlan'];
    if (pending?.['kind'] === 'staged_deletions') staged += Object.values(pending['counts'] as Record<string, number>).reduce((x, y) => x + y, 0);
  }
  await expect(page.getByTestId('figure-failures')).toHaveText(String(failed));
  await expect(page.getByTestId('figure-staged')).toHaveText(String(staged));
  await shot('home-dashboard', { guide: true });
});
