/**
 * Browser tests of the admin UI on the machine's Chromium (Debian's /usr/bin/chromium; no browser
 * is ever downloaded). global-setup.ts builds the UI if needed and starts Roster with the embedded
 * Zendesk sandbox on free ports; `auth.setup.ts` signs the owner in once (changing the one-time
 * password) and every other scenario reuses that session.
 */
import { defineConfig, devices } from '@playwright/test';
import { ownerStorageFile } from './support/paths.ts';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/results',
  globalSetup: './global-setup.ts',
  // One Roster and two cores: scenarios run one at a time and stay independent through unique names.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    baseURL: process.env['ROSTER_E2E_URL'],
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/, use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } } },
    {
      name: 'chromium',
      dependencies: ['setup'],
      testMatch: /\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, storageState: ownerStorageFile },
    },
  ],
});
