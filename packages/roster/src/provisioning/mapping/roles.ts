/**
 * Which app role may be provisioned, checked against the roles read from the target account.
 *
 * - `default-access` ("Default Access") is a valid assignment that is never provisioned.
 * - Any other key must be one of the account's roles (`TargetRole.key`), as the connector read them.
 * - Billing admin (Zendesk `role_type` 5; a role labelled "Billing admin" when the target gives no
 *   type code) is given only to an account that is already an admin in the target. Zendesk lets
 *   only the account owner grant billing, and only to Support admins
 *   (https://support.zendesk.com/hc/en-us/articles/4408838125082; API-NOTES §3); the setup guide
 *   (SETUP-FLOWS A.11) says end users, light agents and contributors cannot get it. So a new account,
 *   or an existing end user, agent, light agent, contributor or other custom-role agent, is refused:
 *   assign Admin first, then Billing admin once the account is an admin.
 *
 * Turning a role key into the target's own representation is the connector's job, not this module's.
 */
import type { TargetRole } from '../../connectors/contract.ts';

export const DEFAULT_ACCESS_KEY = 'default-access';

/** Zendesk `role_type` of the billing admin role. */
const BILLING_ADMIN_TYPE = 5;
const ADMIN_TYPES = new Set([4, BILLING_ADMIN_TYPE]);

export type RoleRefusal = 'unknown_role' | 'billing_admin_requires_admin';

export type RoleDecision =
  | { ok: true; provision: true; role: TargetRole }
  /** Assigned but not provisioned (Default Access). */
  | { ok: true; provision: false; reason: string }
  | { ok: false; code: RoleRefusal; reason: string };

export function isBillingAdminRole(role: TargetRole): boolean {
  if (role.typeCode !== undefined && role.typeCode !== null) return role.typeCode === BILLING_ADMIN_TYPE;
  return /^billing admin(istrator)?$/i.test(role.label.trim());
}

export function isAdminRole(role: TargetRole): boolean {
  return role.kind === 'admin' || (role.typeCode !== undefined && role.typeCode !== null && ADMIN_TYPES.has(role.typeCode)) || isBillingAdminRole(role);
}

const notProvisioned = { ok: true, provision: false, reason: 'Default Access: assigned, but not provisioned' } as const;

/** At assignment: is `roleKey` a role this account offers (or Default Access)? */
export function checkAssignmentRole(roles: readonly TargetRole[], roleKey: string): RoleDecision {
  if (roleKey === DEFAULT_ACCESS_KEY) return notProvisioned;
  const role = roles.find((r) => r.key === roleKey);
  if (!role) {
    return { ok: false, code: 'unknown_role', reason: `${roleKey} is not a role of the target account (${[DEFAULT_ACCESS_KEY, ...roles.map((r) => r.key)].join(', ')})` };
  }
  return { ok: true, provision: true, role };
}

/**
 * At plan time, for one account: may `roleKey` be written to it? `currentRoleKey` is the role the
 * linked account holds in the target now, or null when the account is about to be created.
 */
export function checkRoleForAccount(roles: readonly TargetRole[], roleKey: string, currentRoleKey: string | null): RoleDecision {
  const decision = checkAssignmentRole(roles, roleKey);
  if (!decision.ok || !decision.provision || !isBillingAdminRole(decision.role)) return decision;
  const current = currentRoleKey === null ? undefined : roles.find((r) => r.key === currentRoleKey);
  if (current && isAdminRole(current)) return decision;
  const holder = currentRoleKey === null ? 'a new account' : `an account whose role is ${current?.label ?? currentRoleKey}`;
  return {
    ok: false,
    code: 'billing_admin_requires_admin',
    reason: `${decision.role.label} can only be given to an admin, not to ${holder}; assign Admin first, then ${decision.role.label} once the account is an admin`,
  };
}
