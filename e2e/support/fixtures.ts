/**
 * What every scenario gets: the running server's facts, an API client authorised as the owner
 * (to check Roster's state behind the page), the sandbox's control API (to check Zendesk's state),
 * and `shot()` for screenshots (artifacts, and the user guide's images when `guide` is set).
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type APIRequestContext, type Page, test as base, expect, request } from '@playwright/test';
import { guideImgDir, ownerFile, screenshotsDir, serverFile } from './paths.ts';
import type { ServerFacts } from './roster-server.ts';

export interface OwnerFacts {
  email: string;
  password: string;
  /** An API token of the owner, for the scenarios' own checks. */
  token: string;
}

export const readServer = (): ServerFacts => JSON.parse(readFileSync(serverFile, 'utf8')) as ServerFacts;
export const readOwner = (): OwnerFacts => JSON.parse(readFileSync(ownerFile, 'utf8')) as OwnerFacts;

/** The sandbox's control API (see packages/zendesk-sandbox/README.md), for Zendesk-side assertions. */
export interface SandboxControl {
  /** GET /__sandbox/accounts/<sub>/snapshot: the account's users, groups and memberships as Zendesk holds them. */
  snapshot(subdomain?: string): Promise<Record<string, unknown>>;
  request: APIRequestContext;
}

const SHOT_STYLE = '.mantine-Notifications-root { display: none !important; } [data-volatile] { visibility: hidden !important; }';

/** Saves a screenshot of the page into artifacts/screenshots, and into docs/guide/img with `guide`. */
export async function shot(page: Page, name: string, opts: { guide?: boolean; fullPage?: boolean } = {}): Promise<void> {
  const file = `${name}.png`;
  // Toasts come and go with timing, and [data-volatile] marks times and versions: both hidden so that reruns give the same pictures.
  await page.screenshot({ path: path.join(screenshotsDir, file), fullPage: opts.fullPage ?? false, animations: 'disabled', caret: 'hide', style: SHOT_STYLE });
  if (opts.guide) {
    await fs.mkdir(guideImgDir, { recursive: true });
    await fs.copyFile(path.join(screenshotsDir, file), path.join(guideImgDir, file));
  }
}

export const test = base.extend<{ shot: (name: string, opts?: { guide?: boolean; fullPage?: boolean }) => Promise<void> }, { server: ServerFacts; owner: OwnerFacts; api: APIRequestContext; sandbox: SandboxControl }>({
  server: [async ({}, use) => use(readServer()), { scope: 'worker' }], // eslint-disable-line no-empty-pattern -- Playwright fixtures take an object pattern
  owner: [async ({}, use) => use(readOwner()), { scope: 'worker' }], // eslint-disable-line no-empty-pattern -- as above
  api: [
    async ({ server, owner }, use) => {
      // One connection per call: the context lives as long as the worker, and a kept-alive socket the
      // server closed while idle was reset under a later call (ECONNRESET, seen once in a whole run).
      const ctx = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { authorization: `Bearer ${owner.token}`, connection: 'close' } });
      await use(ctx);
      await ctx.dispose();
    },
    { scope: 'worker' },
  ],
  sandbox: [
    async ({ server }, use) => {
      const ctx = await request.newContext({ baseURL: server.sandboxUrl });
      await use({
        request: ctx,
        async snapshot(subdomain = server.sandboxSubdomain) {
          const r = await ctx.get(`/__sandbox/accounts/${subdomain}/snapshot`);
          expect(r.ok(), await r.text()).toBe(true);
          return (await r.json()) as Record<string, unknown>;
        },
      });
      await ctx.dispose();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  shot: async ({ page }, use) => use((name, opts) => shot(page, name, opts)),
});

export { expect };

/** The JSON of an API answer, failing the test with the body when the status is not 2xx. */
export async function json<T = Record<string, unknown>>(r: { ok(): boolean; status(): number; text(): Promise<string> }): Promise<T> {
  const text = await r.text();
  expect(r.ok(), `HTTP ${r.status()}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}
