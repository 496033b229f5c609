/** Reading the audit log: filters shared by the paged list and the streaming export, newest first. */
import { type SQL, and, desc, eq, gte, lt, sql } from 'drizzle-orm';
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

const toView = (r: typeof auditLog.$inferSelect): AuditEntryView => ({ ...r, at: r.at.toISOString() });

/** Up to `limit` entries older than `beforeId` (an id: ids grow with time), newest first. */
export async function listAudit(executor: Executor, f: AuditFilter, limit: number, beforeId?: number): Promise<AuditEntryView[]> {
  const rows = await executor.select().from(auditLog).where(auditWhere(f, beforeId)).orderBy(desc(auditLog.id)).limit(limit);
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
