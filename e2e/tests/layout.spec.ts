/** Tablet width and keyboard use: the pages fit without sideways scrolling, and the main actions are reachable with Tab and Enter. */
import { expect, test } from '../support/fixtures.ts';

const noSidewaysScroll = () => document.documentElement.scrollWidth <= window.innerWidth;

test('tablet width: navigation behind a menu button, pages fit', async ({ page, shot }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  for (const path of ['/users', '/groups', '/import', '/audit', '/tokens', '/admins']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(noSidewaysScroll), `${path} scrolls sideways at 768 px`).toBe(true);
  }
  await page.setViewportSize({ width: 700, height: 1024 });
  await page.goto('/users');
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await page.getByRole('link', { name: 'Groups' }).click();
  await expect(page.getByRole('heading', { name: 'Groups', level: 1 })).toBeVisible();
  await page.goto('/users');
  await shot('users-tablet');
});

test('keyboard: reach "Add user" with Tab, open it with Enter, close with Escape', async ({ page }) => {
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  const addUser = page.getByRole('button', { name: 'Add user' });
  for (let i = 0; i < 30 && !(await addUser.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(addUser).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
