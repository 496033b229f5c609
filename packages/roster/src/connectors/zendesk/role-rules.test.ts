import { describe, expect, it } from 'vitest';
import type { TargetRole } from '../contract.ts';
import { isAdminRole, isBillingAdminRole } from './role-rules.ts';

describe('role classification', () => {
  it.each<[TargetRole, boolean, boolean]>([
    [{ key: 'custom:1', label: 'Billing admin', kind: 'admin', typeCode: 5 }, true, true],
    [{ key: 'custom:2', label: 'Billing Admin', kind: 'custom' }, true, true],
    [{ key: 'custom:3', label: 'Billing admin', kind: 'custom', typeCode: 0 }, false, false],
    [{ key: 'admin', label: 'Admin', kind: 'admin', typeCode: 4 }, false, true],
    [{ key: 'custom:4', label: 'Staff', kind: 'custom', typeCode: 0 }, false, false],
  ])('%j: billing admin %s, admin %s', (role, billing, admin) => {
    expect(isBillingAdminRole(role)).toBe(billing);
    expect(isAdminRole(role)).toBe(admin);
  });
});
