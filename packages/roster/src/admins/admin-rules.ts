/**
 * Who may change which admin: only an owner touches owners or grants ownership; nobody acts on an
 * admin holding a permission they lack; nobody grants a permission they lack; the last active owner
 * stays; nobody removes their own manage_admins.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { isUniqueViolation } from '../directory/write-helpers.ts';
import { AppError } from '../errors/app-error.ts';
import { type AdminRole, type Permission, type Principal, effectivePermissions, permissionNames } from './permissions.ts';

export interface AdminState {
  role: AdminRole;
  permissions: readonly string[];
  status: 'active' | 'disabled';
}

const onlyOwner = (what: string): AppError =>
  new AppError('forbidden', `Only an Organization Owner can ${what}.`, { details: { requiredRole: 'owner' } });

/** An owner account (existing or to be) may only be created or changed by an owner. */
export function assertMayTouch(actor: Principal, target: { role: string } | null, next: { role: string } | null): void {
  if (actor.role === 'owner' || actor.role === 'system') return;
  if (target?.role === 'owner') throw onlyOwner('change or remove another owner');
  if (next?.role === 'owner') throw onlyOwner('make an admin an owner');
}

/**
 * An admin may act on another admin (reset their password, change or delete them, see or revoke
 * their API tokens) only when holding every permission the target holds: otherwise they could take
 * over the account and use what they were never granted. Owners may act on anyone; nobody but an
 * owner acts on an owner.
 */
export function assertMayActOn(actor: Principal, target: { role: string; permissions: readonly string[] }, what: string): void {
  if (actor.role === 'owner' || actor.role === 'system') return;
  if (target.role === 'owner') throw onlyOwner(`${what} an Organization Owner`);
  const held = effectivePermissions('admin', target.permissions);
  const missing = permissionNames.filter((p) => held.has(p) && !actor.permissions.has(p));
  if (missing.length > 0) {
    throw new AppError('outranked', `You cannot ${what} this admin: they hold permission${missing.length > 1 ? 's' : ''} you do not: ${missing.join(', ')}. Ask an Organization Owner.`, {
      details: { missing },
    });
  }
}

/** An admin can grant only permissions they hold themselves. */
export function assertMayGrant(actor: Principal, permissions: readonly Permission[]): void {
  const missing = permissions.filter((p) => !actor.permissions.has(p));
  if (missing.length > 0) {
    throw new AppError('forbidden', `You cannot grant permission${missing.length > 1 ? 's' : ''} you do not hold: ${missing.join(', ')}.`, {
      issues: [{ path: 'body.permissions', reason: `not held by you: ${missing.join(', ')}` }],
      details: { missing },
    });
  }
}

/** Refuses a change that would take manage_admins away from the admin making it. */
export function assertKeepsOwnAdminRights(actor: Principal, targetId: string, next: AdminState | null): void {
  if (actor.adminId !== targetId) return;
  const keeps = next !== null && next.status === 'active' && effectivePermissions(next.role, next.permissions).has('manage_admins');
  if (!keeps) {
    throw new AppError('conflict', 'You cannot remove your own manage_admins permission, disable or delete yourself; ask another admin.', {
      details: { reason: 'own_admin_rights' },
    });
  }
}

/**
 * Refuses a change that would leave no active owner. Locks the active owners' rows first, so two
 * concurrent demotions cannot both pass.
 */
export async function assertKeepsAnOwner(tx: Executor, current: { id: string; role: string; status: string }, next: AdminState | null): Promise<void> {
  const wasActiveOwner = current.role === 'owner' && current.status === 'active';
  const staysActiveOwner = next !== null && next.role === 'owner' && next.status === 'active';
  if (!wasActiveOwner || staysActiveOwner) return;
  const owners = await tx
    .select({ id: admins.id })
    .from(admins)
    .where(and(eq(admins.role, 'owner'), eq(admins.status, 'active')))
    .for('update');
  if (owners.filter((o) => o.id !== current.id).length === 0) {
    throw new AppError('conflict', 'This is the last active Organization Owner; make another admin an owner first.', { details: { reason: 'last_owner' } });
  }
}

const duplicateEmail = (email: string): AppError =>
  new AppError('duplicate', `An admin with the email ${email} already exists.`, { issues: [{ path: 'body.email', reason: 'already used by another admin' }] });

/** Refuses an email another admin already uses (case-insensitive). */
export async function assertEmailFree(executor: Executor, email: string, exceptId?: string): Promise<void> {
  const rows = await executor.select({ id: admins.id }).from(admins).where(eq(sql`lower(${admins.email})`, email.toLowerCase())).limit(2);
  if (rows.some((r) => r.id !== exceptId)) throw duplicateEmail(email);
}

/** Runs a write that may hit the unique email index; a concurrent duplicate becomes `duplicate`, not a 500. */
export async function withUniqueEmail<T>(email: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e, 'admins_email_key')) throw duplicateEmail(email);
    throw e;
  }
}
