import { describe, expect, it } from 'vitest';
import { resolvePlan } from './plan.ts';

describe('resolvePlan', () => {
  it('maps plan names to per-minute budgets', () => {
    expect(resolvePlan({ plan: 'team' }).requestsPerMinute).toBe(200);
    expect(resolvePlan({ plan: 'growth' }).requestsPerMinute).toBe(400);
    expect(resolvePlan({ plan: 'professional' }).requestsPerMinute).toBe(400);
    expect(resolvePlan({ plan: 'enterprise' }).requestsPerMinute).toBe(700);
    expect(resolvePlan({ plan: 'enterprise_plus' }).requestsPerMinute).toBe(2500);
    expect(resolvePlan({ plan: 'high_volume' }).requestsPerMinute).toBe(2500);
    expect(resolvePlan({ plan: 'unlimited' }).requestsPerMinute).toBeNull();
  });

  it('gives custom roles to Enterprise only and lets overrides win', () => {
    expect(resolvePlan({ plan: 'growth' }).customRoles).toBe(false);
    expect(resolvePlan({ plan: 'enterprise' }).customRoles).toBe(true);
    const base = resolvePlan({ plan: 'team', bulkImport: false });
    expect(resolvePlan({ requestsPerMinute: 5 }, base)).toMatchObject({ name: 'team', bulkImport: false, requestsPerMinute: 5 });
    expect(resolvePlan({ plan: 'enterprise' }, base)).toMatchObject({ requestsPerMinute: 700, bulkImport: false });
  });
});
