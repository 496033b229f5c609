/** Checks a user write must pass inside its transaction: unique email / employee id, a sane manager. */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/app-error.ts';

export const duplicateField = (path: string, what: string, value: string): AppError =>
  new AppError('duplicate', `Another user already has the ${what} ${value}.`, { issues: [{ path, reason: `another user already has this ${what}` }] });

/** Refuses an email (case-insensitive) or employee id held by another non-deleted user. */
export async function assertUnique(
  tx: Executor,
  fields: { email?: string | undefined; employeeId?: string | null | undefined },
  exceptId: string | null,
  prefix = 'body',
): Promise<void> {
  const notSelf = exceptId ? ne(users.id, exceptId) : undefined;
  if (fields.email !== undefined) {
    const hit = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.email}) = lower(${fields.email})`, isNull(users.deletedAt), notSelf))
      .limit(1);
    if (hit.length > 0) throw duplicateField(`${prefix}.email`, 'email', fields.email);
  }
  if (fields.employeeId) {
    const hit = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.employeeId, fields.employeeId), isNull(users.deletedAt), notSelf))
      .limit(1);
    if (hit.length > 0) throw duplicateField(`${prefix}.employeeId`, 'employee id', fields.employeeId);
  }
}

/** Maps a unique-index violation (a concurrent writer won the race) to the same 409 the pre-check gives. */
export function duplicateFromConstraint(constraint: string, fields: { email?: string | undefined; employeeId?: string | null | undefined }, prefix = 'body'): AppError | undefined {
  if (constraint === 'users_email_key') return duplicateField(`${prefix}.email`, 'email', fields.email ?? '');
  if (constraint === 'users_employee_id_key') return duplicateField(`${prefix}.employeeId`, 'employee id', fields.employeeId ?? '');
  return undefined;
}

/**
 * The manager must be an existing user, not the user themself, and must not report (directly or
 * not) to the user: A→B→A would make the hierarchy a loop.
 */
export async function assertManager(tx: Executor, userId: string | null, managerId: string, prefix = 'body'): Promise<void> {
  if (userId === managerId) throw new AppError('cycle', 'A user cannot be their own manager.', { issues: [{ path: `${prefix}.managerId`, reason: 'is the user themself' }] });
  const chain = (await tx.execute(sql`
    with recursive up(id, manager_id, depth) as (
      select id, manager_id, 0 from users where id = ${managerId} and deleted_at is null
      union all
      select u.id, u.manager_id, up.depth + 1 from users u join up on u.id = up.manager_id where up.depth < 1000
    )
    select id from up`)) as unknown as { rows: { id: string }[] };
  if (chain.rows.length === 0) throw invalidField(`${prefix}.managerId`, 'is not an existing user');
  if (userId && chain.rows.some((r) => r.id === userId)) {
    throw new AppError('cycle', 'That manager reports (directly or indirectly) to this user, which would make a loop.', {
      issues: [{ path: `${prefix}.managerId`, reason: 'would create a management cycle' }],
    });
  }
}
