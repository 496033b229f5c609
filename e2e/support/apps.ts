/**
 * Helpers of the Applications scenarios: a fresh sandbox account per scenario (so scenarios stay
 * independent on one Roster), directory users and groups made through Roster's API, the Zendesk
 * users of an account as the sandbox holds them, and polling for state that settles asynchronously.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, json } from './fixtures.ts';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies read loosely in assertions

export interface SandboxAccount {
  subdomain: string;
  adminEmail: string;
  adminPassword: string;
  apiToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
}

/** A unique suffix per run, so names never collide with an earlier scenario on the same server. */
export const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/** Creates a sandbox account with fast bulk jobs and Roster's OAuth callback registered. */
export async function createSandboxAccount(sandbox: APIRequestContext, rosterUrl: string, subdomain: string, extra: Json = {}): Promise<SandboxAccount> {
  const r = await sandbox.post('/__sandbox/accounts', {
    data: { subdomain, plan: 'enterprise', pace: { queueDelayMs: 10, perItemMs: 1 }, oauthRedirectUris: [`${rosterUrl}/provision/oauth/callback`], ...extra },
  });
  return (await json<{ account: SandboxAccount }>(r)).account;
}

export async function zendeskUsers(sandbox: APIRequestContext, subdomain: string): Promise<Json[]> {
  const snap = await json<Json>(await sandbox.get(`/__sandbox/accounts/${subdomain}/snapshot`));
  return (snap['users'] as Json[]).filter((u) => !u['owner'] && u['active'] !== false);
}

export async function snapshot(sandbox: APIRequestContext, subdomain: string): Promise<Json> {
  return json<Json>(await sandbox.get(`/__sandbox/accounts/${subdomain}/snapshot`));
}

export async function createUser(api: APIRequestContext, body: Json): Promise<Json> {
  return json<Json>(await api.post('/api/users', { data: body }));
}

export async function createGroup(api: APIRequestContext, name: string, memberIds: string[]): Promise<Json> {
  const group = await json<Json>(await api.post('/api/groups', { data: { name } }));
  if (memberIds.length) await json(await api.post(`/api/groups/${group['id']}/members/bulk`, { data: { members: memberIds.map((memberId) => ({ memberType: 'user', memberId })) } }));
  return group;
}

/** Saves an application's connection through the API, naming the configuration version it replaces (If-Match), as every write must. */
export async function saveConnection(api: APIRequestContext, appId: string, data: Json): Promise<Json> {
  const config = await json<Json>(await api.get(`/api/apps/${appId}/provisioning`));
  return json<Json>(await api.put(`/api/apps/${appId}/provisioning/connection`, { data, headers: { 'if-match': `"${config['version']}"` } }));
}

/** Polls `probe` until it returns a truthy value (Zendesk-side effects land within seconds). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not seen within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Adds a Zendesk application through the gallery and returns its id (from the page's address). */
export async function addZendeskApp(page: Page, displayName: string, subdomain: string, shot?: (name: string) => Promise<void>): Promise<string> {
  await page.goto('/apps');
  await expect(page.getByRole('heading', { name: 'Applications', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Add application' }).click();
  await page.getByLabel('Search the gallery').fill('zendesk');
  await page.getByRole('button', { name: 'Add Zendesk' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add Zendesk' });
  await dialog.getByLabel('Display name').fill(displayName);
  await dialog.getByLabel('Zendesk subdomain').fill(subdomain);
  if (shot) await shot('add-zendesk');
  await dialog.getByRole('button', { name: 'Add application' }).click();
  await expect(page.getByRole('heading', { name: displayName, level: 1 })).toBeVisible();
  const id = /\/apps\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(id, page.url()).toBeTruthy();
  return id!;
}

/** Assigns one directory user or group on the Users and groups tab. */
export async function assignInPage(page: Page, kind: 'Users' | 'Groups', search: string, optionText: string | RegExp, role: string): Promise<void> {
  await page.getByRole('button', { name: 'Assign users or groups' }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign users or groups' });
  await dialog.getByRole('radiogroup').getByText(kind, { exact: true }).click();
  await dialog.getByRole('combobox', { name: kind }).fill(search);
  await page.getByRole('option', { name: optionText }).click();
  // The multi-select keeps its list open for more picks: click away to close it.
  await dialog.getByRole('heading', { name: 'Assign users or groups' }).click();
  await dialog.getByLabel('Role', { exact: true }).click();
  await page.getByRole('option', { name: role, exact: true }).click();
  await dialog.getByRole('button', { name: /^Assign/ }).click();
  await expect(dialog).toBeHidden();
}
