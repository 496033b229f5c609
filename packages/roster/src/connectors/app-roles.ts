/**
 * App roles: what an assignment grants in the target. A gallery entry offers some before a connection
 * exists; custom roles (`custom:<id>`) arrive later from the connector, so an assignment stores the
 * role key and its label and keys are first checked by shape.
 */

/** One role an application offers, e.g. `{ key: 'agent', label: 'Agent' }`. */
export interface AppRole {
  key: string;
  label: string;
  description?: string;
}

/** Assigned but never provisioned (the Entra "Default Access" role every application has). */
export const DEFAULT_ACCESS: AppRole = { key: 'default-access', label: 'Default Access', description: 'Assigned, but not provisioned.' };

export const roleKeyPattern = /^(default-access|end-user|agent|admin|custom:\d+)$/;

export const CUSTOM_ROLE_PREFIX = 'custom:';

export const isCustomRole = (key: string): boolean => key.startsWith(CUSTOM_ROLE_PREFIX);

/**
 * Which role wins when a user is covered by several group assignments: higher rank wins.
 * Order: admin > agent > custom > end-user > default-access (a custom role is an agent-side role in
 * the first connector's target, so it ranks below a full agent and above an end user). Unknown keys rank lowest.
 */
export function roleRank(key: string): number {
  if (key === 'admin') return 40;
  if (key === 'agent') return 30;
  if (isCustomRole(key)) return 20;
  if (key === 'end-user') return 10;
  return 0;
}

/** The outcome of checking a role key against what an application offers. */
export type RoleCheck = { ok: true; role: AppRole } | { ok: false; reason: string };

/**
 * Checks `key` against `offered`; a `custom:<id>` key is accepted by shape while the connector has
 * not yet read the account's custom roles (`customRoles` undefined), and against them once it has.
 */
export function checkRoleKey(key: string, offered: readonly AppRole[], customRoles?: readonly AppRole[], customLabel?: string): RoleCheck {
  if (!roleKeyPattern.test(key)) {
    return { ok: false, reason: `is not a role key; use one of ${offered.map((r) => r.key).join(', ')} or custom:<id>` };
  }
  const known = offered.find((r) => r.key === key) ?? customRoles?.find((r) => r.key === key);
  if (known) return { ok: true, role: known };
  if (isCustomRole(key) && customRoles === undefined) {
    return { ok: true, role: { key, label: customLabel ?? `Custom role ${key.slice(CUSTOM_ROLE_PREFIX.length)}` } };
  }
  return { ok: false, reason: `is not a role this application offers (${[...offered, ...(customRoles ?? [])].map((r) => r.key).join(', ')})` };
}
