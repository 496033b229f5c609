/**
 * The billing-admin rule of the setup guide (SETUP-FLOWS A.11): only an account that already is an
 * admin in the target may be given Billing admin; any other plan is refused with the way there.
 */
import { describe, expect, it } from 'vitest';
import type { TargetRole, TargetUser } from '../../connectors/contract.ts';
import { zendeskRoleRules } from '../../connectors/zendesk/role-rules.ts';
import { defaultSettings } from '../config/settings-schema.ts';
import { type PlanInput, planUsers } from './plan.ts';
import type { DesiredUser, UserLink } from './plan-types.ts';

const ID = '00000000-0000-4000-8000-000000000001';

/** As the Zendesk connector reads them: the billing admin custom role is of kind admin, role_type 5. */
const roles: TargetRole[] = [
  { key: 'end-user', label: 'End user', kind: 'end-user', typeCode: null },
  { key: 'agent', label: 'Agent', kind: 'agent', typeCode: null },
  { key: 'admin', label: 'Admin', kind: 'admin', typeCode: 4 },
  { key: 'custom:11', label: 'Light agent', kind: 'custom', typeCode: 1 },
  { key: 'custom:12', label: 'Contributor', kind: 'custom', typeCode: 3 },
  { key: 'custom:14', label: 'Billing admin', kind: 'admin', typeCode: 5 },
];

const attributes = { name: 'Ada Lovelace', email: 'ada@example.com' };
const desired = (roleKey: string): DesiredUser => ({ directoryId: ID, identity: 'ada@example.com', externalId: ID, roleKey, suspended: false, attributes, createAttributes: {}, hash: `h-${roleKey}` });
const link = (writtenRole: string): UserLink => ({ directoryId: ID, targetId: '900', lastHash: `h-${writtenRole}`, lastWritten: { externalId: ID, roleKey: writtenRole, suspended: false, attributes }, state: 'provisioned' });
const target = (roleKey: string): TargetUser => ({ id: '900', externalId: ID, email: 'ada@example.com', name: 'Ada Lovelace', roleKey, suspended: false, active: true, attributes: {} });
const input = (over: Partial<PlanInput>): PlanInput => ({ desired: [], skipped: [], links: [], settings: { syncActions: defaultSettings().syncActions, matching: ['external_id', 'email'] }, capabilities: { suspend: true }, roles, roleRules: zendeskRoleRules, ...over });

const outcome = (i: PlanInput) => {
  const [a] = planUsers(i).actions;
  if (!a) return { kind: 'unchanged' };
  return a.kind === 'skip' ? { kind: 'skip', code: a.code } : { kind: a.kind, roleKey: 'patch' in a ? (a.patch as { roleKey?: string }).roleKey : undefined };
};

describe('billing admin only for admins', () => {
  it.each<[string, PlanInput, Record<string, unknown>]>([
    ['a new account → refused', input({ desired: [desired('custom:14')] }), { kind: 'skip', code: 'billing_admin_requires_admin' }],
    ['a linked admin (full cycle: the target says admin) → granted', input({ desired: [desired('custom:14')], links: [link('admin')], snapshot: [target('admin')] }), { kind: 'update', roleKey: 'custom:14' }],
    ['a linked agent (full cycle) → refused', input({ desired: [desired('custom:14')], links: [link('agent')], snapshot: [target('agent')] }), { kind: 'skip', code: 'billing_admin_requires_admin' }],
    ['a linked light agent (full cycle) → refused', input({ desired: [desired('custom:14')], links: [link('custom:11')], snapshot: [target('custom:11')] }), { kind: 'skip', code: 'billing_admin_requires_admin' }],
    ['a contributor the link remembers as admin, demoted by hand (full cycle) → refused', input({ desired: [desired('custom:14')], links: [link('admin')], snapshot: [target('custom:12')] }), { kind: 'skip', code: 'billing_admin_requires_admin' }],
    ['a linked admin (incremental: the link wrote admin) → granted', input({ desired: [desired('custom:14')], links: [link('admin')] }), { kind: 'update', roleKey: 'custom:14' }],
    ['a linked end user (incremental) → refused', input({ desired: [desired('custom:14')], links: [link('end-user')] }), { kind: 'skip', code: 'billing_admin_requires_admin' }],
    ['a billing admin keeps it', input({ desired: [desired('custom:14')], links: [link('custom:14')], snapshot: [target('custom:14')] }), { kind: 'unchanged' }],
  ])('%s', (_name, i, expected) => {
    expect(outcome(i)).toEqual(expected);
  });

  it('says what to do instead', () => {
    const [a] = planUsers(input({ desired: [desired('custom:14')], links: [link('agent')], snapshot: [target('agent')] })).actions;
    expect(a).toMatchObject({ kind: 'skip', reason: 'Billing admin can only be given to an admin, not to an account whose role is Agent; assign Admin first, then Billing admin once the account is an admin' });
  });
});
