/** Scenario "custom attributes": define one (key made from the label), see it on the user form, delete it; checked in Roster's API. */
import { expect, json, test } from '../support/fixtures.ts';

interface Attribute {
  id: string;
  key: string;
  label: string;
  type: string;
  enumValues: string[] | null;
}

test('custom attributes: add, use on the user form, delete', async ({ page, api }) => {
  await page.goto('/attributes');
  await expect(page.getByRole('heading', { name: 'Custom attributes', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add attribute' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add attribute' });
  await dialog.getByLabel('Label').fill('Shirt size');
  await expect(dialog.getByRole('textbox', { name: 'Key' })).toHaveValue('shirtSize');
  await dialog.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'One of a list' }).click();
  const values = dialog.getByRole('combobox', { name: 'Allowed values' });
  for (const v of ['S', 'M', 'L']) {
    await values.fill(v);
    await values.press('Enter');
  }
  await dialog.getByRole('button', { name: 'Add attribute' }).click();
  await expect(page.getByRole('table', { name: 'Custom attributes' })).toContainText('shirtSize');

  const defined = (await json<{ items: Attribute[] }>(await api.get('/api/attributes'))).items.find((a) => a.key === 'shirtSize');
  expect([defined?.label, defined?.type, defined?.enumValues]).toEqual(['Shirt size', 'enum', ['S', 'M', 'L']]);

  // The user form offers it.
  await page.goto('/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('dialog', { name: 'Add user' }).getByRole('combobox', { name: 'Shirt size' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.goto('/attributes');
  await page.getByRole('button', { name: 'Delete Shirt size' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete attribute' }).click();
  await expect(page.getByRole('table', { name: 'Custom attributes' })).not.toContainText('shirtSize');
  expect((await json<{ items: Attribute[] }>(await api.get('/api/attributes'))).items.some((a) => a.key === 'shirtSize')).toBe(false);
});
