import { defineConfig } from 'vitest/config';

/**
 * The sandbox's checks without the root config's PostgreSQL global setup (which the sandbox does
 * not need): `npx vitest run -c packages/zendesk-sandbox/test/vitest.sandbox.config.ts`.
 */
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['packages/zendesk-sandbox/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
