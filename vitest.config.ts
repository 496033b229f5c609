import { defineConfig } from 'vitest/config';
import { HeaviestFirst } from './packages/roster/test/heaviest-first.ts';

const roots = ['packages/*/src/**/', 'packages/*/test/**/'];
/** The chaos test's three Zendesk seeds (project `chaos`; docs/testing.md). */
const chaos = ['packages/roster/src/provisioning/chaos.integration.test.ts'];
/**
 * Integration files that mostly wait — on `roster worker` processes, injected faults, lease
 * staleness, a paced burst — and use little CPU (project `waiting`; docs/testing.md "Sixth round").
 */
const waiting = [
  'packages/roster/src/provisioning/chaos-scim.integration.test.ts',
  'packages/roster/src/provisioning/kill.integration.test.ts',
  'packages/roster/src/provisioning/run/lanes.integration.test.ts',
  'packages/roster/src/provisioning/kill-window.integration.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time (the machine has two cores): most integration tests wait on servers,
    // timers and the sandbox, not the CPU; more workers made the run slower (docs/testing.md).
    maxWorkers: 2,
    // The longest files start first so the two workers finish together (a fresh checkout has no timings cache).
    sequence: { sequencer: HeaviestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Unit tests hold no process-wide state (no module mocks, env or global stubs; fake timers
          // are restored after each test): one worker's imports serve every file, which is most of
          // the unit project's time.
          isolate: false,
          include: roots.map((r) => `${r}*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.integration.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Test files reuse their worker process and its loaded modules (importing the API, the engine
          // and PGlite cost 1–3 s per file): no integration test holds process-wide state (no module
          // mocks, env or global stubs), and each closes what it opens.
          isolate: false,
          include: roots.map((r) => `${r}*.integration.test.ts`),
          exclude: ['**/node_modules/**', ...chaos, ...waiting],
          globalSetup: ['packages/roster/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The chaos seeds spend their minutes waiting (change gaps, kill pauses, injected latency,
          // backoff, soak) on `roster worker` processes: `npm test` runs this project in a vitest of
          // its own beside the other two (scripts/npm-test.sh), so they do not hold one of their two
          // workers for ~200 s. The three seeds hold 55–80 of PostgreSQL's 100 connections (API,
          // queue and two worker processes each), so nothing else of the side lane runs beside them.
          // Its own group order, since its worker count differs: `npx vitest run` alone runs it
          // after the unit and integration projects, then `waiting`.
          name: 'chaos',
          isolate: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          include: chaos,
          globalSetup: ['packages/roster/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The files of `waiting` above: `npm test` runs them after the chaos seeds, one at a time,
          // beside the browser tests (scripts/npm-test.sh), so their waits no longer hold one of the
          // integration project's two workers. Not beside the chaos seeds: those hold most of
          // PostgreSQL's 100 connections, and these start worker processes of their own.
          name: 'waiting',
          isolate: false,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          include: waiting,
          globalSetup: ['packages/roster/test/global-setup.ts'],
        },
      },
    ],
  },
});
