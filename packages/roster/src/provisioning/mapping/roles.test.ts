import { describe, expect, it } from 'vitest';
import type { TargetRole } from '../../connectors/contract.ts';
import { zendeskRoleRules as rules } from '../../connectors/zendesk/role-rules.ts';
import { checkAssignmentRole, checkRoleForAccount as checkWithRules } from './roles.ts';

/** With the Zendesk connector's role rules (billing admin only for admins). */
const checkRoleForAccount = (r: readonly TargetRole[], key: string, current: string | null) => checkWithRules(r, key, current, rules);

/** The roles a Zendesk Enterprise account offers, as the connector reads them. */
const roles: TargetRole[] = [
  { key: 'end-user', label: 'End user', kind: 'end-user', typeCode: null },
  { key: 'agent', label: 'Agent', kind: 'agent', typeCode: null },
  { key: 'admin', label: 'Admin', kind: 'admin', typeCode: 4 },
  { key: 'custom:11', label: 'Light agent', kind: 'custom', typeCode: 1 },
  { key: 'custom:12', label: 'Contributor', kind: 'custom', typeCode: 3 },
  { key: 'custom:13', label: 'Team lead', kind: 'custom', typeCode: 0 },
  { key: 'custom:14', label: 'Billing admin', kind: 'admin', typeCode: 5 },
];

describe('checkAssignmentRole', () => {
  it.each([
    ['end-user', 'End user'],
    ['agent', 'Agent'],
    ['admin', 'Admin'],
    ['custom:11', 'Light agent'],
    ['custom:14', 'Billing admin'],
  ])('accepts %s and provisions it', (key, label) => {
    expect(checkAssignmentRole(roles, key)).toMatchObject({ ok: true, provision: true, role: { key, label } });
  });

  it('accepts Default Access and never provisions it', () => {
    expect(checkAssignmentRole(roles, 'default-access')).toEqual({ ok: true, provision: false, reason: 'Default Access: assigned, but not provisioned' });
  });

  it.each(['custom:99', 'owner', ''])('refuses %j, listing the roles offered', (key) => {
    const decision = checkAssignmentRole(roles, key);
    expect(decision).toMatchObject({ ok: false, code: 'unknown_role' });
    if (!decision.ok) expect(decision.reason).toContain('(default-access, end-user, agent, admin, custom:11, custom:12, custom:13, custom:14)');
  });
});

describe('checkRoleForAccount: billing admin only for admins', () => {
  it.each<[string, string | null, boolean]>([
    ['custom:14', 'admin', true],
    ['custom:14', 'custom:14', true],
    ['custom:14', null, false],
    ['custom:14', 'end-user', false],
    ['custom:14', 'agent', false],
    ['custom:14', 'custom:11', false],
    ['custom:14', 'custom:12', false],
    ['custom:14', 'custom:13', false],
    ['custom:14', 'custom:404', false],
    ['admin', null, true],
    ['admin', 'end-user', true],
    ['custom:11', 'end-user', true],
    ['end-user', 'custom:14', true],
  ])('%s for an account that is %s → %s', (key, current, allowed) => {
    const decision = checkRoleForAccount(roles, key, current);
    expect(decision.ok).toBe(allowed);
    if (!allowed) expect(decision).toMatchObject({ code: 'billing_admin_requires_admin' });
  });

  it('says why and what to do', () => {
    expect(checkRoleForAccount(roles, 'custom:14', 'custom:11')).toEqual({
      ok: false,
      code: 'billing_admin_requires_admin',
      reason: 'Billing admin can only be given to an admin, not to an account whose role is Light agent; assign Admin first, then Billing admin once the account is an admin',
    });
    expect(checkRoleForAccount(roles, 'custom:14', null)).toMatchObject({ reason: expect.stringContaining('not to a new account') });
  });

  it('keeps Default Access and unknown keys as checkAssignmentRole answers them', () => {
    expect(checkRoleForAccount(roles, 'default-access', 'admin')).toMatchObject({ ok: true, provision: false });
    expect(checkRoleForAccount(roles, 'custom:99', 'admin')).toMatchObject({ ok: false, code: 'unknown_role' });
  });
});
