/** Scenario "groups": create a group, add a user and a nested group, see members through nesting, remove a member; checked in Roster's API. */
import { expect, json, test } from '../support/fixtures.ts';

interface Member {
  memberType: string;
  memberId: string;
  name: string;
}

test('groups with members, nested', async ({ page, api, shot }) => {
  const mary = await json<{ id: string }>(await api.post('/api/users', { data: { email: 'mary.jackson@example.com', givenName: 'Mary', familyName: 'Jackson' } }));
  const annie = await json<{ id: string }>(await api.post('/api/users', { data: { email: 'annie.easley@example.com', givenName: 'Annie', familyName: 'Easley' } }));
  const computers = await json<{ id: string }>(await api.post('/api/groups', { data: { name: 'Human Computers' } }));
  await json(await api.post(`/api/groups/${computers.id}/members`, { data: { memberType: 'user', memberId: annie.id } }));

  await page.goto('/groups');
  await expect(page.getByRole('heading', { name: 'Groups', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add group' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add group' });
  await dialog.getByLabel('Name').fill('Flight Research');
  await dialog.getByLabel('Description').fill('Everyone who works on flight research');
  await dialog.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('heading', { name: 'Flight Research', level: 1 })).toBeVisible();
  const groupId = page.url().split('/').pop()!;

  // Add a user, then a group, through the search-as-you-type picker.
  const picker = page.getByRole('combobox', { name: 'Add a user or group' });
  await picker.fill('Mary');
  await page.getByRole('option', { name: /Mary Jackson/ }).click();
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'Mary Jackson' })).toBeVisible();
  await picker.fill('Human');
  await page.getByRole('option', { name: /Human Computers/ }).click();
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'Human Computers' })).toBeVisible();
  await shot('group-members', { guide: true });

  const direct = await json<{ items: Member[] }>(await api.get(`/api/groups/${groupId}/members`));
  expect(direct.items.map((m) => `${m.memberType}:${m.memberId}`).sort()).toEqual([`group:${computers.id}`, `user:${mary.id}`].sort());

  // Through nesting, Annie is covered too.
  await page.getByText('All users, through nesting').click();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'Annie Easley' })).toBeVisible();
  const all = await json<{ items: Member[] }>(await api.get(`/api/groups/${groupId}/members`, { params: { transitive: 'true' } }));
  expect(all.items.map((m) => m.memberId).sort()).toEqual([mary.id, annie.id].sort());

  // Remove Mary.
  await page.getByText('Direct members').click();
  await page.getByRole('button', { name: 'Remove Mary Jackson' }).click();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'Mary Jackson' })).toHaveCount(0);
  const after = await json<{ items: Member[] }>(await api.get(`/api/groups/${groupId}/members`));
  expect(after.items.map((m) => m.memberId)).toEqual([computers.id]);

  // A user's page lists the groups they are a direct member of.
  await page.goto(`/users/${annie.id}`);
  await expect(page.getByRole('link', { name: 'Human Computers' })).toBeVisible();
});
