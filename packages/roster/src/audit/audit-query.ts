/** Reading the audit log: filters shared by the paged list and the streaming export, newest first. */
import { type SQL, and, desc, eq, getTableColumns, gte, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { plainText } from '../directory/text.ts';
import type { Executor } from '../db/database.ts';
import { auditLog } from '../db/schema.ts';

export const auditFilterSchema = z.object({
  /** An admin id, or an email (case-insensitive). */
  actor: plainText().trim().min(1).max(320).optional(),
  /** A prefix: `admin` matches `admin.create` and `admin.token.revoke`. */
  action: plainText().trim().min(1).max(200).optional(),
  targetType: plainText().min(1).max(100).optional(),
  targetId: plainText().min(1).max(200).optional(),
  /** Inclusive lower bound, ISO 8601 with offset. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound, ISO 8601 with offset. */
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  via: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  /** The target as people name it (a user's display name, a group's or application's name, an admin's email), read now or from the entry itself once the target is gone. */
  targetName: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likePrefix = (s: string): string => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function auditWhere(f: AuditFilter, beforeId?: number): SQL | undefined {
  return and(
    f.actor === undefined ? undefined : UUID.test(f.actor) ? eq(auditLog.actorId, f.actor) : eq(sql`lower(${auditLog.actorEmail})`, f.actor.toLowerCase()),
    f.action === undefined ? undefined : sql`${auditLog.action} like ${likePrefix(f.action)} escape '\\'`,
    f.targetType === undefined ? undefined : eq(auditLog.targetType, f.targetType),
    f.targetId === undefined ? undefined : eq(auditLog.targetId, f.targetId),
    f.from === undefined ? undefined : gte(auditLog.at, new Date(f.from)),
    f.to === undefined ? undefined : lt(auditLog.at, new Date(f.to)),
    beforeId === undefined ? undefined : lt(auditLog.id, beforeId),
  );
}

const toView = (r: typeof auditLog.$inferSelect & { targetName: string | null }): AuditEntryView => ({ ...r, at: r.at.toISOString() });

/** A uuid target id as a uuid (so the lookups below use primary keys), null for any other id. */
const targetUuid = sql`(case when ${auditLog.targetId} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then ${auditLog.targetId}::uuid end)`;

/**
 * The target's name, in the same query: the live row's name by primary key for the kinds that have
 * one, else what the entry recorded (after, then before).
 */
const targetName = sql<string | null>`coalesce(
  case ${auditLog.targetType}
    when 'user' then (select display_name from users where id = ${targetUuid})
    when 'group' then (select name from groups where id = ${targetUuid})
    when 'application' then (select display_name from applications where id = ${targetUuid})
    when 'admin' then (select email from admins where id = ${targetUuid})
    when 'api_token' then (select name from api_tokens where id = ${targetUuid})
    when 'attribute' then (select label from attribute_definitions where id = ${targetUuid})
  end,
  case when jsonb_typeof(${auditLog.after}) = 'object' then coalesce(${auditLog.after}->>'displayName', ${auditLog.after}->>'name', ${auditLog.after}->>'label', ${auditLog.after}->>'email') end,
  case when jsonb_typeof(${auditLog.before}) = 'object' then coalesce(${auditLog.before}->>'displayName', ${auditLog.before}->>'name', ${auditLog.before}->>'label', ${auditLog.before}->>'email') end
)`;

/** Up to `limit` entries older than `beforeId` (an id: ids grow with time), newest first. */
export async function listAudit(executor: Executor, f: AuditFilter, limit: number, beforeId?: number): Promise<AuditEntryView[]> {
  const rows = await executor.select({ ...getTableColumns(auditLog), targetName }).from(auditLog).where(auditWhere(f, beforeId)).orderBy(desc(auditLog.id)).limit(limit);
  return rows.map(toView);
}

/** Every matching entry, newest first, read in batches so an export never holds the whole log. */
export async function* iterateAudit(executor: Executor, f: AuditFilter, batchSize = 500): AsyncGenerator<AuditEntryView> {
  let beforeId: number | undefined;
  for (;;) {
    const batch = await listAudit(executor, f, batchSize, beforeId);
    yield* batch;
    if (batch.length < batchSize) return;
    beforeId = batch.at(-1)?.id;
  }
}
