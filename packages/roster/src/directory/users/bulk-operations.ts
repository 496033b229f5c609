/**
 * JSON bulk: up to 1,000 operations (create, update, upsert, delete) in one request. Each
 * operation is its own transaction and succeeds or fails alone; the answer lists every result.
 * `update` and `delete` refuse a stale `version` when one is given; `upsert` (like CSV import) is
 * last write wins by design, since a CSV or bulk upsert carries no version it read.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../admins/permissions.ts';
import type { Db } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { createUserIn } from './create-user.ts';
import { uniqueViolation } from './db-errors.ts';
import { updateUserIn } from './update-user.ts';
import { duplicateFromConstraint } from './user-checks.ts';
import { createUserSchema, updateUserSchema } from './user-fields.ts';
import { deleteUser, setUserStatusIn } from './user-status.ts';
import { type FieldIssue, invalidField, isAppError } from '../../errors/app-error.ts';

export const MAX_BULK_OPERATIONS = 1000;

const version = z.number().int().positive().optional();
export const bulkOperationSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('create'), user: createUserSchema }),
  z.strictObject({ op: z.literal('update'), id: z.uuid('must be a user id'), version, user: updateUserSchema.omit({ version: true }) }),
  z.strictObject({ op: z.literal('upsert'), matchBy: z.enum(['email', 'employeeId']).default('email'), user: createUserSchema }),
  z.strictObject({ op: z.literal('delete'), id: z.uuid('must be a user id'), version }),
]);
export type BulkOperation = z.infer<typeof bulkOperationSchema>;

export const bulkResultSchema = z.object({
  index: z.number(),
  status: z.enum(['ok', 'failed']),
  action: z.enum(['created', 'updated', 'unchanged', 'deleted']).optional(),
  id: z.string().optional(),
  version: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), reason: z.string() })) }).optional(),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

const failed = (index: number, code: string, message: string, issues: FieldIssue[]): BulkResult => ({ index, status: 'failed', error: { code, message, issues } });

export async function runBulkOperations(db: Db, actor: Principal, operations: readonly unknown[], requestId?: string): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const [index, raw] of operations.entries()) {
    const prefix = `body.operations.${index}`;
    const parsed = bulkOperationSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.flatMap((i) => {
        const path = [prefix, ...i.path.map(String)].join('.');
        return i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: `${path}.${k}`, reason: 'unknown field' })) : [{ path, reason: i.message }];
      });
      results.push(failed(index, 'validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), issues));
      continue;
    }
    const op = parsed.data;
    const opts = { requestId, issuePrefix: `${prefix}.user` };
    try {
      results.push({ index, status: 'ok', ...(await runOne(db, actor, op, opts)) });
    } catch (e) {
      const constraint = uniqueViolation(e);
      const err = constraint !== undefined && 'user' in op ? (duplicateFromConstraint(constraint, op.user, opts.issuePrefix) ?? e) : e;
      if (!isAppError(err)) throw err;
      results.push(failed(index, err.code, err.message, err.issues));
    }
  }
  return results;
}

async function runOne(db: Db, actor: Principal, op: BulkOperation, opts: { requestId: string | undefined; issuePrefix: string }): Promise<Omit<BulkResult, 'index' | 'status'>> {
  switch (op.op) {
    case 'create': {
      const u = await db.transaction((tx) => createUserIn(tx, actor, op.user, opts));
      return { action: 'created', id: u.id, version: u.version };
    }
    case 'update': {
      const r = await db.transaction((tx) => updateUserIn(tx, actor, op.id, op.user, op.version, opts));
      return { action: r.fields.length > 0 ? 'updated' : 'unchanged', id: r.user.id, version: r.user.version };
    }
    case 'delete':
      await deleteUser(db, actor, op.id, op.version, opts);
      return { action: 'deleted', id: op.id };
    case 'upsert':
      if (op.matchBy === 'employeeId' && !op.user.employeeId) throw invalidField(`${opts.issuePrefix}.employeeId`, 'is required to match by employee id');
      return db.transaction(async (tx) => {
        const key = op.matchBy === 'email' ? sql`lower(${users.email}) = lower(${op.user.email})` : eq(users.employeeId, op.user.employeeId ?? '');
        const [hit] = await tx.select({ id: users.id }).from(users).where(and(key, isNull(users.deletedAt))).limit(1);
        if (!hit) {
          const u = await createUserIn(tx, actor, op.user, opts);
          return { action: 'created' as const, id: u.id, version: u.version };
        }
        const { status, ...fields } = op.user;
        const r = await updateUserIn(tx, actor, hit.id, fields, undefined, opts);
        const s = status ? await setUserStatusIn(tx, actor, hit.id, status, undefined, opts) : { changed: false, user: r.user };
        return { action: r.fields.length > 0 || s.changed ? ('updated' as const) : ('unchanged' as const), id: hit.id, version: s.user.version };
      });
  }
}
