/**
 * Import sessions on the database: start one (its read job enqueued in the same transaction), read
 * and list them, list their items with filters, keep their counts. Every admin action is audited.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Executor } from '../../db/database.ts';
import { importItems, importSessions } from '../../db/provisioning-schema.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Queue } from '../../jobs/queue.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import { notConnected } from '../connection/open-connection.ts';
import type { ImportCategory } from './classify.ts';
import { enqueueImportJob } from './import-queue.ts';

export type SessionRow = typeof importSessions.$inferSelect;
export type ItemRow = typeof importItems.$inferSelect;

/** Starts a session: checks the connection is set up, then the read job does the rest. */
export async function startSession(db: Db, queue: Queue, actor: Principal, applicationId: string, requestId?: string): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const config = await loadProvisioningConfig(tx, applicationId);
    if (!config.connection.connected || config.account === null) throw notConnected(config);
    // One read at a time per application: two would race for the same accounts.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`import:${applicationId}`}))`);
    const [reading] = await tx.select({ id: importSessions.id }).from(importSessions).where(and(eq(importSessions.applicationId, applicationId), eq(importSessions.status, 'reading'))).limit(1);
    if (reading) throw new AppError('conflict', `Session ${reading.id} is still reading this application's users; wait for it or cancel it.`, { details: { sessionId: reading.id } });
    const [row] = await tx.insert(importSessions).values({ applicationId, status: 'reading', progress: { phase: 'reading', done: 0 }, createdBy: actor.adminId }).returning();
    await recordAudit(tx, actor, { action: 'import.session.start', targetType: 'application', targetId: applicationId, after: { sessionId: row!.id } }, requestId);
    await enqueueImportJob(queue, tx, { sessionId: row!.id, phase: 'read' });
    return row!;
  });
}

/** One session of the application (404 naming `params.sessionId` otherwise). */
export async function findSession(executor: Executor, applicationId: string, sessionId: string, opts: { lock?: boolean } = {}): Promise<SessionRow> {
  await findAppRow(executor, applicationId);
  const query = executor.select().from(importSessions).where(and(eq(importSessions.id, sessionId), eq(importSessions.applicationId, applicationId)));
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', `No import session ${sessionId} for this application.`, { issues: [{ path: 'params.sessionId', reason: 'no such import session' }] });
  return row;
}

/** Newest first; `before` is the last row of the previous page. */
export async function listSessions(executor: Executor, applicationId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<SessionRow[]> {
  await findAppRow(executor, applicationId);
  return executor
    .select()
    .from(importSessions)
    .where(and(eq(importSessions.applicationId, applicationId), before ? sql`(${importSessions.createdAt}, ${importSessions.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)` : undefined))
    .orderBy(desc(importSessions.createdAt), desc(importSessions.id))
    .limit(limit);
}

export interface ItemFilter {
  category?: ImportCategory | undefined;
  applyStatus?: 'pending' | 'applied' | 'failed' | 'none' | undefined;
  /** Prefix of the email or name (case-insensitive). */
  search?: string | undefined;
}

/** Items by identity, then target id; `after` is the last item of the previous page. */
export async function listItems(executor: Executor, sessionId: string, filter: ItemFilter, limit: number, after?: { identity: string; targetId: string }): Promise<ItemRow[]> {
  const i = importItems;
  const escaped = filter.search?.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return executor
    .select()
    .from(i)
    .where(
      and(
        eq(i.sessionId, sessionId),
        filter.category ? eq(i.category, filter.category) : undefined,
        filter.applyStatus === 'none' ? sql`${i.applyStatus} is null` : filter.applyStatus ? eq(i.applyStatus, filter.applyStatus) : undefined,
        escaped ? sql`lower(${i.identity}) like ${`${escaped}%`}` : undefined,
        after ? sql`(${i.identity}, ${i.targetId}) > (${after.identity}, ${after.targetId})` : undefined,
      ),
    )
    .orderBy(asc(i.identity), asc(i.targetId))
    .limit(limit);
}

/** Recounts items by category and by apply status (cheap: one grouped scan of the session). */
export async function refreshCounts(executor: Executor, sessionId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ category: string; apply_status: string | null; n: number | string }>(
    executor,
    sql`select category, apply_status, count(*) as n from import_items where session_id = ${sessionId} group by 1, 2`,
  );
  const counts: Record<string, number> = { new: 0, update: 0, activate: 0, deactivate: 0, conflict: 0, unchanged: 0, pending: 0, applied: 0, failed: 0 };
  for (const r of rows) {
    counts[r.category] = (counts[r.category] ?? 0) + Number(r.n);
    if (r.apply_status) counts[r.apply_status] = (counts[r.apply_status] ?? 0) + Number(r.n);
  }
  await executor.update(importSessions).set({ counts, updatedAt: new Date() }).where(eq(importSessions.id, sessionId));
  return counts;
}

/** Marks a session failed (a connection or configuration problem); confirmed items stay pending for a retry. */
export async function failSession(executor: Executor, sessionId: string, error: { code: string; message: string; advice?: string | undefined }): Promise<void> {
  await executor
    .update(importSessions)
    .set({ status: 'failed', error: { code: error.code, message: error.message, ...(error.advice ? { advice: error.advice } : {}) }, updatedAt: new Date(), progress: sql`${importSessions.progress} - 'lease'` })
    .where(eq(importSessions.id, sessionId));
}

/** Sets progress keys (phase, done, total) without touching the lease or the version. */
export async function setProgress(executor: Executor, sessionId: string, progress: Record<string, unknown>): Promise<void> {
  await executor.execute(sql`update import_sessions set progress = progress || ${JSON.stringify(progress)}::jsonb, updated_at = now() where id = ${sessionId}`);
}
