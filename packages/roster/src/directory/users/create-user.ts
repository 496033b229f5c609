/** Creates a directory user: validate, then write with audit and outbox (user-writer.ts), in one transaction. */
import type { Principal } from '../../admins/permissions.ts';
import type { Db, Tx } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import { loadAttributeDefinitions } from '../attributes/attributes.ts';
import { mergeCustomValues } from '../attributes/custom-values.ts';
import { uniqueViolation } from './db-errors.ts';
import { assertManager, assertUnique, duplicateFromConstraint } from './user-checks.ts';
import { type CreateUserInput, type UserView, blankToNull, defaultDisplayName, toUserView, userTextFields } from './user-fields.ts';
import { createUserRow, newUserRow } from './user-writer.ts';

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
  const row = { ...newUserRow(input.email), managerId, custom: custom.value, status: input.status ?? 'active' };
  for (const f of userTextFields) row[f] = blankToNull(input[f]) as never;
  row.displayName = blankToNull(input.displayName) ?? defaultDisplayName(row.givenName, row.familyName, input.email);
  const view = toUserView(await createUserRow(tx, { next: row }, { actor, requestId: opts.requestId, audit: 'full' }));
  return view;
}
