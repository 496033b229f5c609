/** Scenario "CSV import": column mapping, dry run with a bad row (nothing written), then the import with per-row errors; checked in Roster's API. */
import { expect, json, test } from '../support/fixtures.ts';

const csv = ['E-mail,First Name,Last Name,Dept,Office', 'christa.mcauliffe@example.com,Christa,McAuliffe,Teaching,OF-1', 'not-an-email,Bad,Row,Nowhere,OF-2', 'mae.jemison@example.com,Mae,Jemison,Medicine,OF-3', ''].join('\n');

test('CSV import with mapping, dry run and a bad row', async ({ page, api, shot }) => {
  const attr = await api.post('/api/attributes', { data: { key: 'officeCode', label: 'Office code', type: 'string' } });
  expect([201, 409]).toContain(attr.status());

  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Import users from CSV', level: 1 })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByText('3 data rows, 5 columns.')).toBeVisible();
  // "Office" is not a known header: map it to the custom attribute.
  await page.getByRole('combobox', { name: 'Field for column Office' }).click();
  await page.getByRole('option', { name: 'Office code' }).click();

  await page.getByRole('button', { name: 'Preview (dry run)' }).click();
  await expect(page.getByRole('heading', { name: 'Preview: nothing was written' })).toBeVisible();
  const errors = page.getByRole('table', { name: 'Row errors' });
  await expect(errors.getByRole('row')).toHaveCount(2);
  await expect(errors).toContainText('email');
  await shot('import-preview', { guide: true, fullPage: true });
  expect((await json<{ items: unknown[] }>(await api.get('/api/users', { params: { email: 'christa.mcauliffe@example.com' } }))).items).toHaveLength(0);

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Row errors' })).toContainText('email');
  await shot('import-done', { fullPage: true });

  for (const [email, dept, office] of [
    ['christa.mcauliffe@example.com', 'Teaching', 'OF-1'],
    ['mae.jemison@example.com', 'Medicine', 'OF-3'],
  ] as const) {
    const found = await json<{ items: { department: string; custom: Record<string, unknown> }[] }>(await api.get('/api/users', { params: { email } }));
    expect(found.items).toHaveLength(1);
    expect([found.items[0]!.department, found.items[0]!.custom['officeCode']]).toEqual([dept, office]);
  }
  expect((await json<{ items: unknown[] }>(await api.get('/api/users', { params: { q: 'Bad Row' } }))).items).toHaveLength(0);
});
