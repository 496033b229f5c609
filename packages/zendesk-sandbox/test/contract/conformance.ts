import { expect } from 'vitest';
import { contractProblems } from './oas.ts';

/** Sandbox routes whose response was validated in this test file. */
const checked = new Set<string>();

/**
 * Asserts a sandbox answer has the expected status and conforms to the OAS operation the route
 * maps to. `operations` is the contract file's route → OAS table.
 */
export function expectConforms(operations: Readonly<Record<string, string>>, route: string, res: { status: number; body: unknown }, status: number): void {
  const oasKey = operations[route];
  if (oasKey === undefined) throw new Error(`route ${route} is not in this file's operations table`);
  expect(res.status, `${route} status (body ${JSON.stringify(res.body)?.slice(0, 300)})`).toBe(status);
  expect(contractProblems(oasKey, res.status, res.body), `${route} vs OAS ${oasKey}`).toEqual([]);
  checked.add(route);
}

/** Routes of the table that no test in this file validated. */
export function uncheckedRoutes(operations: Readonly<Record<string, string>>): string[] {
  return Object.keys(operations).filter((r) => !checked.has(r));
}
