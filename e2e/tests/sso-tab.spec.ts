/**
 * The SSO tab of an application: what to paste into Zendesk's Admin Center (SAML SSO URL,
 * certificate fingerprint, remote logout URL), certificate rotation, Test sign-in as… (attributes
 * from the mappings, or the refusal for an unassigned user), and the JWT method with its write-only
 * shared secret.
 */
import { createUser, unique } from '../support/apps.ts';
import { expect, json, test } from '../support/fixtures.ts';

test('the SSO tab shows what to paste into Zendesk, rotates the certificate and tests a sign-in', async ({ page, api, shot }) => {
  const sub = unique('sso-tab');
  const tag = sub.slice(-6);
  const ada = await createUser(api, { email: `ada.${tag}@contoso.example`, givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace' });
  await createUser(api, { email: `bob.${tag}@contoso.example`, givenName: 'Bob', familyName: 'Unassigned', displayName: `Bob Unassigned ${tag}` });
  const app = await json<{ id: string }>(await api.post('/api/apps', { data: { type: 'zendesk', displayName: `Zendesk SSO ${tag}`, settings: { subdomain: sub } } }));
  await json(await api.post(`/api/apps/${app.id}/assignments`, { data: { principalType: 'user', principalId: ada['id'], role: 'agent' } }));

  await page.goto(`/apps/${app.id}/sso`);
  await expect(page.getByTestId('sso-tab')).toBeVisible();
  await page.getByText('SAML 2.0', { exact: true }).click();
  await expect(page.getByText('SSO settings saved.')).toBeVisible();
  await expect(page.getByTestId('sso-saml-url')).toHaveText(new RegExp(`/sso/saml/${app.id}$`));
  await expect(page.getByTestId('sso-logout-url')).toHaveText(new RegExp(`/sso/saml/${app.id}/logout$`));
  const fingerprint = (await page.getByTestId('sso-fingerprint').textContent()) ?? '';
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

  const picker = page.getByRole('combobox', { name: 'User' });
  await picker.fill('Ada Lovelace');
  await page.getByRole('option', { name: new RegExp(`ada\\.${tag}`) }).click();
  await page.getByTestId('sso-test').click();
  const result = page.getByTestId('sso-test-result');
  await expect(result).toContainText(`ada.${tag}@contoso.example`);
  await expect(result).toContainText('role');
  await expect(result).toContainText('agent');
  await shot('sso-tab', { guide: true, fullPage: true });

  await picker.fill(`Bob Unassigned ${tag}`);
  await page.getByRole('option', { name: new RegExp(`bob\\.${tag}`) }).click();
  await page.getByTestId('sso-test').click();
  await expect(page.getByTestId('sso-test-refusal')).toContainText('Not assigned to the application');

  await page.getByRole('button', { name: 'Rotate' }).click();
  await expect(page.getByText('The next certificate is published in the metadata now.')).toBeVisible();
  await expect(page.getByTestId('sso-certificate-next')).toContainText('Published in the metadata, not signing yet');
  await page.getByRole('button', { name: 'Activate next' }).click();
  await expect(page.getByTestId('sso-fingerprint')).not.toHaveText(fingerprint);
  // States in words, not codes: the old certificate is retired, the new one signs.
  await expect(page.getByTestId('sso-certificate-retired')).toContainText('Retired');
  await expect(page.getByTestId('sso-certificate-retired')).toContainText('Signs nothing any more');
  await expect(page.getByTestId('sso-certificate-active')).toContainText('Signing now');

  const secret = `zendesk-shared-secret-${tag}-0123456789`;
  await page.getByLabel('JWT shared secret (from Admin Center)').fill(secret);
  await page.getByRole('button', { name: 'Save secret' }).click();
  await expect(page.getByText('A secret is set.')).toBeVisible();
  await page.getByText('JWT', { exact: true }).click();
  await expect(page.getByTestId('sso-jwt-url')).toHaveText(new RegExp(`/sso/jwt/${app.id}$`));
  await expect(page.locator('body')).not.toContainText(secret);
});
