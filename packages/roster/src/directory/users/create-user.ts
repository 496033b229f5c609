/** Creates a directory user: validate, write, audit, outbox, in one transaction. */
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Tx } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { loadAttributeDefinitions } from '../attributes/attributes.ts';
import { mergeCustomValues } from '../attributes/custom-values.ts';
import { recordChange } from '../outbox.ts';
import { uniqueViolation } from './db-errors.ts';
import { assertManager, assertUnique, duplicateFromConstraint } from './user-checks.ts';
import { type CreateUserInput, type UserView, blankToNull, defaultDisplayName, toUserView, userTextFields } from './user-fields.ts';

export interface WriteOptions {
  requestId?: string | undefined;
  /** Prefix of issue paths: `body` for the API, `operations.3` for a bulk call. */
  issuePrefix?: string;
}

export async function createUser(db: Db, actor: Principal, input: CreateUserInput, opts: WriteOptions = {}): Promise<UserView> {
  try {
    return await db.transaction((tx) => createUserIn(tx, actor, input, opts));
  } catch (e) {
    const constraint = uniqueViolation(e);
    const mapped = constraint === undefined ? undefined : duplicateFromConstraint(constraint, input, opts.issuePrefix);
    throw mapped ?? e;
  }
}

/** The same, inside a transaction the caller owns. */
export async function createUserIn(tx: Tx, actor: Principal, input: CreateUserInput, opts: WriteOptions = {}): Promise<UserView> {
  const prefix = opts.issuePrefix ?? 'body';
  const custom = mergeCustomValues(await loadAttributeDefinitions(tx), {}, input.custom ?? {}, { prefix: `${prefix}.custom` });
  if (!custom.ok) throw new AppError('validation_failed', custom.issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues: custom.issues });
  const employeeId = blankToNull(input.employeeId);
  await assertUnique(tx, { email: input.email, employeeId }, null, prefix);
  const managerId = input.managerId ?? null;
  if (managerId) await assertManager(tx, null, managerId, prefix);
  const values: typeof users.$inferInsert = { email: input.email, managerId, custom: custom.value, status: input.status ?? 'active', displayName: '' };
  for (const f of userTextFields) values[f] = blankToNull(input[f]) as never;
  values.displayName = blankToNull(input.displayName) ?? defaultDisplayName(values.givenName, values.familyName, input.email);
  const [row] = await tx.insert(users).values(values).returning();
  const view = toUserView(row!);
  await recordAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: view.id, after: view }, opts.requestId);
  const fields = Object.entries(view).filter(([k, v]) => v !== null && !['id', 'version', 'createdAt', 'updatedAt'].includes(k)).map(([k]) => k);
  await recordChange(tx, { entityType: 'user', entityId: view.id, op: 'created', data: { fields } });
  return view;
}
