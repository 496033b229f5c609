/**
 * The admin's decisions on a classified session: confirm a selection (by category and/or target
 * ids, with the source profile for users in both) or cancel. Confirming marks the selected items
 * `pending` and enqueues the apply job in the same transaction; items already pending or applied
 * are never selected again, so a repeated confirm applies nothing twice. New users get their
 * directory id here, so a resumed apply creates each of them under the same id.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import { anyOf } from '../../db/any-of.ts';
import type { Db } from '../../db/database.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { AppError, type FieldIssue, versionConflict } from '../../errors/app-error.ts';
import type { Queue } from '../../jobs/queue.ts';
import { type ConfirmableCategory, confirmableCategories } from './classify.ts';
import { enqueueImportJob } from './import-queue.ts';
import { type SessionRow, findSession, refreshCounts, setProgress } from './session-store.ts';

export interface ConfirmInput {
  categories?: ConfirmableCategory[] | undefined;
  targetIds?: string[] | undefined;
  /** Users in both: which side's values win (`target`: the target overwrites the directory). Default `target`. */
  sourceProfile?: 'target' | 'directory' | undefined;
}

const CONFIRMABLE_FROM: ReadonlySet<string> = new Set(['classified', 'applying', 'applied']);

export async function confirmSession(db: Db, queue: Queue, actor: Principal, applicationId: string, sessionId: string, input: ConfirmInput, expectedVersion: number, requestId?: string): Promise<{ session: SessionRow; selected: number }> {
  return db.transaction(async (tx) => {
    const session = await findSession(tx, applicationId, sessionId, { lock: true });
    if (session.version !== expectedVersion) throw versionConflict('import session', sessionId, session.version);
    const resumable = session.status === 'failed' && session.progress['phase'] === 'applying';
    if (!CONFIRMABLE_FROM.has(session.status) && !resumable) {
      throw new AppError('conflict', `The session is ${session.status}: ${session.status === 'reading' ? 'wait until its users are classified' : 'start a new session'}.`, { issues: [{ path: 'params.sessionId', reason: `session is ${session.status}` }] });
    }
    const categories = input.categories ?? [...confirmableCategories];
    if (input.targetIds) await checkTargetIds(tx, sessionId, input.targetIds);
    const targetFilter = input.targetIds ? sql`and ${anyOf(sql`target_id`, input.targetIds, 'text')}` : sql``;
    const selected = await queryRows<{ n: number | string }>(
      tx,
      sql`with chosen as (
            update import_items set apply_status = 'pending', apply_error = null,
              source_profile = case when category = 'new' then null else ${input.sourceProfile ?? 'target'} end,
              directory_user_id = case when category = 'new' then gen_random_uuid() else directory_user_id end
            where session_id = ${sessionId} and apply_status is null
              and ${anyOf(sql`category`, categories, 'text')} ${targetFilter}
            returning 1)
          select count(*) as n from chosen`,
    );
    const n = Number(selected[0]?.n ?? 0);
    // A failed apply resumes with whatever is pending, newly selected or not.
    const resume = resumable || session.status === 'failed';
    const status = n > 0 || resume ? 'applying' : session.status;
    await tx.execute(sql`update import_sessions set status = ${status}, version = version + 1, updated_at = now(), error = case when ${status} = 'applying' then null else error end,
      progress = progress || jsonb_build_object('phase', case when ${status} = 'applying' then 'applying' else progress->>'phase' end,
        'actor', jsonb_build_object('adminId', ${actor.adminId}::text, 'email', ${actor.email}::text, 'via', ${actor.via}::text))
      where id = ${sessionId}`);
    const counts = await refreshCounts(tx, sessionId);
    // Apply progress counts confirmed items: those done so far of all confirmed.
    const done = (counts['applied'] ?? 0) + (counts['failed'] ?? 0);
    await setProgress(tx, sessionId, { done, total: done + (counts['pending'] ?? 0) });
    await recordAudit(tx, actor, { action: 'import.session.confirm', targetType: 'import_session', targetId: sessionId, after: { categories, targetIds: input.targetIds?.length ?? null, sourceProfile: input.sourceProfile ?? 'target', selected: n } }, requestId);
    // Also while applying: the running job may be finishing; the new one waits for its lease.
    if (status === 'applying' && (n > 0 || resume)) await enqueueImportJob(queue, tx, { sessionId, phase: 'apply' });
    return { session: await findSession(tx, applicationId, sessionId), selected: n };
  });
}

/** Every target id must be an item of the session that can be imported. */
async function checkTargetIds(tx: Parameters<typeof queryRows>[0], sessionId: string, targetIds: readonly string[]): Promise<void> {
  const rows = await queryRows<{ target_id: string; category: string }>(
    tx,
    sql`select target_id, category from import_items where session_id = ${sessionId} and ${anyOf(sql`target_id`, targetIds, 'text')}`,
  );
  const found = new Map(rows.map((r) => [r.target_id, r.category]));
  const issues: FieldIssue[] = [];
  for (const [i, id] of targetIds.entries()) {
    const category = found.get(id);
    if (category === undefined) issues.push({ path: `body.targetIds.${i}`, reason: 'is not a user of this session' });
    else if (!(confirmableCategories as readonly string[]).includes(category)) issues.push({ path: `body.targetIds.${i}`, reason: `is ${category === 'conflict' ? 'a conflict' : 'unchanged'} and cannot be imported` });
    if (issues.length >= 20) break;
  }
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((x) => `${x.path}: ${x.reason}`).join('; '), { issues });
}

/** Cancels a session: a read stops at its next chunk, an apply after its current batch; pending items are dropped. */
export async function cancelSession(db: Db, actor: Principal, applicationId: string, sessionId: string, expectedVersion: number | undefined, requestId?: string): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const session = await findSession(tx, applicationId, sessionId, { lock: true });
    if (expectedVersion !== undefined && session.version !== expectedVersion) throw versionConflict('import session', sessionId, session.version);
    if (session.status === 'cancelled') throw new AppError('conflict', 'The session is already cancelled.', { issues: [{ path: 'params.sessionId', reason: 'session is cancelled' }] });
    await tx.execute(sql`update import_items set apply_status = null, source_profile = null where session_id = ${sessionId} and apply_status = 'pending'`);
    await tx.execute(sql`update import_sessions set status = 'cancelled', version = version + 1, updated_at = now(), finished_at = now() where id = ${sessionId}`);
    await refreshCounts(tx, sessionId);
    await recordAudit(tx, actor, { action: 'import.session.cancel', targetType: 'import_session', targetId: sessionId, before: { status: session.status } }, requestId);
    return findSession(tx, applicationId, sessionId);
  });
}
