import { describe, expect, it } from 'vitest';
import { Router } from '../../src/http/router.ts';
import { buildApiRouter } from '../../src/routes/api-routes.ts';
import { oasOperation } from './oas.ts';
import { ALL_OPERATIONS, NOT_IN_OAS } from './operations.ts';

/** Every `METHOD /path` the sandbox's API router registers, read by watching `Router.add`. */
function servedRoutes(): string[] {
  const seen: string[] = [];
  const original = Router.prototype.add;
  Router.prototype.add = function (this: Router<unknown>, method, pattern, route) {
    seen.push(`${method} ${pattern}`);
    original.call(this, method, pattern, route);
  };
  try {
    buildApiRouter();
  } finally {
    Router.prototype.add = original;
  }
  return seen;
}

describe('contract coverage', () => {
  it('every route the sandbox serves is checked against the OAS or listed as having no OAS operation', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(50);
    const missing = served.filter((r) => !(r in ALL_OPERATIONS) && !(r in NOT_IN_OAS));
    expect(missing).toEqual([]);
  });

  it('the tables name only routes the sandbox serves and OAS operations that exist', () => {
    const served = new Set(servedRoutes());
    expect([...Object.keys(ALL_OPERATIONS), ...Object.keys(NOT_IN_OAS)].filter((r) => !served.has(r))).toEqual([]);
    for (const oasKey of new Set(Object.values(ALL_OPERATIONS))) expect(() => oasOperation(oasKey)).not.toThrow();
  });
});
