/**
 * Vitest's file order for `npm test`: the files measured slowest (docs/testing.md) start first,
 * then vitest's own order (its timings cache when there is one, else the biggest file first). A
 * fresh checkout has no timings cache, and the slowest files are small ones (the chaos and kill
 * tests mostly wait on worker processes), so without this they would start last and run alone.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Slowest first (paths from the repository root): the integration files over 10 s in a measured run
 * of the project (2026-12-07 12:36–12:49 UTC, docs/testing.md "Fourth round"), longest first, after
 * the two chaos tests (`npm test` runs them in vitests of their own, projects `chaos` and `waiting`;
 * a plain `vitest run` runs those projects after the others). The kill tests are in `waiting` too,
 * where the list only orders them. Files not listed keep vitest's order after these.
 */
export const HEAVIEST = [
  'packages/roster/src/provisioning/chaos.integration.test.ts',
  'packages/roster/src/provisioning/chaos-scim.integration.test.ts',
  'packages/roster/src/provisioning/reconcile/large-directory.integration.test.ts',
  'packages/roster/src/provisioning/trust-target.integration.test.ts',
  'packages/roster/src/provisioning/kept-plans/plans.integration.test.ts',
  'packages/roster/src/provisioning/kill.integration.test.ts',
  'packages/roster/src/runtime/shutdown.integration.test.ts',
  'packages/roster/src/provisioning/kill-window.integration.test.ts',
  'packages/roster/src/provisioning/notify/notify.integration.test.ts',
  'packages/roster/src/provisioning/reconcile/engine.integration.test.ts',
  'packages/roster/src/connectors/scim/scim-provisioning.integration.test.ts',
  'packages/roster/src/provisioning/health/health.integration.test.ts',
  'packages/roster/src/provisioning/scoping/scoping.integration.test.ts',
  'packages/roster/src/provisioning/target-import/import.integration.test.ts',
  'packages/roster/src/provisioning/done-when.integration.test.ts',
  'packages/roster/src/cli/run-cli.integration.test.ts',
  'packages/roster/src/provisioning/groups/groups.integration.test.ts',
  'packages/roster/src/api/routes/provisioning.integration.test.ts',
  'packages/roster/src/provisioning/apply/channels.integration.test.ts',
  'packages/roster/src/api/routes/portal.integration.test.ts',
  'packages/roster/src/cli/commands/provisioning.integration.test.ts',
  'packages/roster/src/runtime/server.integration.test.ts',
  'packages/roster/src/connectors/zendesk/zendesk.integration.test.ts',
  'packages/roster/src/provisioning/apply/pacer.integration.test.ts',
  'packages/roster/src/api/routes/session.integration.test.ts',
  'packages/roster/src/runtime/worker.integration.test.ts',
  'packages/roster/src/provisioning/drift.integration.test.ts',
  'packages/roster/src/provisioning/target-import/import-origin.integration.test.ts',
  'packages/roster/src/connectors/scim/scim.integration.test.ts',
  'packages/roster/src/sso/sso.integration.test.ts',
];

export class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = HEAVIEST.findIndex((h) => f.moduleId.endsWith(h));
      return i < 0 ? HEAVIEST.length : i;
    };
    // Array.prototype.sort is stable: files not in the list keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
