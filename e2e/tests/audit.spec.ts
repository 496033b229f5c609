/** Scenario "audit log": an admin action appears in words with its target's name, filters narrow the list, export downloads CSV. */
import { readFile } from 'node:fs/promises';
import { expect, json, test } from '../support/fixtures.ts';

test('audit log: filter and export', async ({ page, api, shot }) => {
  await json(await api.post('/api/groups', { data: { name: 'Audited Group' } }));
  const recorded = await json<{ items: { action: string }[] }>(await api.get('/api/audit', { params: { action: 'group.create' } }));
  expect(recorded.items.length).toBeGreaterThan(0);

  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await page.getByLabel('Action').fill('group.create');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const table = page.getByRole('table', { name: 'Audit entries' });
  await expect(table).toContainText('group.create');
  // The action in words and the target by its name, not a truncated id.
  const row = table.getByRole('row').filter({ hasText: 'Audited Group' }).first();
  await expect(row).toContainText('Group created');
  await expect(row.getByTestId('audit-target')).toHaveText('Group: Audited Group');
  await expect(table).not.toContainText('…');
  await expect(table.getByRole('row').filter({ hasText: 'session.' })).toHaveCount(0);
  await shot('audit-log');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const text = await readFile(file, 'utf8');
  expect(text.split('\n')[0]).toContain('action');
  expect(text).toContain('group.create');
  expect(text).not.toContain('session.create');
});
