/**
 * Zendesk's rule for the billing admin role: given only to an account that is already an admin.
 * Billing admin is `role_type` 5 (a role labelled "Billing admin" when the target gives no type
 * code). Zendesk lets only the account owner grant billing, and only to Support admins
 * (https://support.zendesk.com/hc/en-us/articles/4408838125082; API-NOTES §3); the setup guide
 * (SETUP-FLOWS A.11) says end users, light agents and contributors cannot get it. So a new account,
 * or an existing end user, agent, light agent, contributor or other custom-role agent, is refused:
 * assign Admin first, then Billing admin once the account is an admin.
 */
import type { TargetRole } from '../contract.ts';
import type { RoleGrantRule } from '../target-facts.ts';

/** Zendesk `role_type` of the billing admin role. */
const BILLING_ADMIN_TYPE = 5;
const ADMIN_TYPES = new Set([4, BILLING_ADMIN_TYPE]);

export function isBillingAdminRole(role: TargetRole): boolean {
  if (role.typeCode !== undefined && role.typeCode !== null) return role.typeCode === BILLING_ADMIN_TYPE;
  return /^billing admin(istrator)?$/i.test(role.label.trim());
}

export function isAdminRole(role: TargetRole): boolean {
  return role.kind === 'admin' || (role.typeCode !== undefined && role.typeCode !== null && ADMIN_TYPES.has(role.typeCode)) || isBillingAdminRole(role);
}

export const zendeskRoleRules: readonly RoleGrantRule[] = [
  { governs: isBillingAdminRole, allowsHolder: isAdminRole, code: 'billing_admin_requires_admin', holderNoun: 'an admin', assignFirst: 'Admin' },
];
