/**
 * Which app role may be provisioned, checked against the roles read from the target account.
 *
 * - `default-access` ("Default Access") is a valid assignment that is never provisioned.
 * - Any other key must be one of the account's roles (`TargetRole.key`), as the connector read them.
 * - A role the connector's `roleRules` govern (e.g. billing admin) is given only to an account
 *   that already holds a role the rule allows; a new account is refused, with what to assign first.
 *
 * Turning a role key into the target's own representation is the connector's job, not this module's.
 */
import type { TargetRole } from '../../connectors/contract.ts';
import type { RoleGrantRule } from '../../connectors/target-facts.ts';

export const DEFAULT_ACCESS_KEY = 'default-access';

/** `unknown_role`, or the `code` of the connector's role rule that refused. */
export type RoleRefusal = string;

export type RoleDecision =
  | { ok: true; provision: true; role: TargetRole }
  /** Assigned but not provisioned (Default Access). */
  | { ok: true; provision: false; reason: string }
  | { ok: false; code: RoleRefusal; reason: string };

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
export function checkRoleForAccount(roles: readonly TargetRole[], roleKey: string, currentRoleKey: string | null, rules: readonly RoleGrantRule[] = []): RoleDecision {
  const decision = checkAssignmentRole(roles, roleKey);
  if (!decision.ok || !decision.provision) return decision;
  const rule = governingRule(decision.role, rules);
  if (!rule) return decision;
  const current = currentRoleKey === null ? undefined : roles.find((r) => r.key === currentRoleKey);
  if (current && rule.allowsHolder(current)) return decision;
  const holder = currentRoleKey === null ? 'a new account' : `an account whose role is ${current?.label ?? currentRoleKey}`;
  return {
    ok: false,
    code: rule.code,
    reason: `${decision.role.label} can only be given to ${rule.holderNoun}, not to ${holder}; assign ${rule.assignFirst} first, then ${decision.role.label} once the account is ${rule.holderNoun}`,
  };
}

/** The connector's rule that governs `role`, if any. */
export function governingRule(role: TargetRole, rules: readonly RoleGrantRule[]): RoleGrantRule | undefined {
  return rules.find((r) => r.governs(role));
}
