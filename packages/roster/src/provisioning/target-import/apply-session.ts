/**
 * The apply job of an import session: under the session's lease, takes the pending items in
 * batches (apply-batch.ts) until none is left, with progress after each batch; the next batch's
 * target writes run while the current batch's directory transaction does. Cancelling stops it
 * after the batch in flight; a configuration error fails the session with the items still pending
 * (confirming again resumes); a worker that dies leaves its lease to go stale, and the job's retry
 * (or the next confirm) resumes where the last committed batch ended.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { TargetUser } from '../../connectors/contract.ts';
import { importItems, importSessions } from '../../db/provisioning-schema.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import type { ImportCategory } from './classify.ts';
import { type ApplyContext, type BatchResult, type SentBatch, applyBatch, commitBatch, markItemFailed, sendBatch } from './apply-batch.ts';
import { importMappingOf } from './import-mapping.ts';
import type { ConfirmedItem } from './plan-item.ts';
import type { RunResult } from './read-session.ts';
import { renderContextOf } from './render-context.ts';
import { acquireLease, releaseLease, renewLease } from './session-lease.ts';
import { failSession, refreshCounts } from './session-store.ts';
import { verifyTargetIdentity } from '../connection/target-identity.ts';

export const APPLY_BATCH = 1000;

export interface ApplyHooks {
  staleMs?: number;
  batchSize?: number;
  /** Called after each committed batch (tests simulate a crash by throwing here; benches read the timings). */
  afterBatch?(batch: number, result: BatchResult): void | Promise<void>;
}

export async function runImportApply(env: Pick<EngineEnv, 'db' | 'connect' | 'sleep' | 'log'>, sessionId: string, runner: string, hooks: ApplyHooks = {}): Promise<RunResult> {
  const { db } = env;
  if (!(await acquireLease(db, sessionId, runner, hooks.staleMs))) return 'busy';
  const [session] = await db.select().from(importSessions).where(eq(importSessions.id, sessionId));
  if (!session || session.status !== 'applying') {
    await releaseLease(db, sessionId, runner);
    return 'stopped';
  }
  const fail = async (error: { code: string; message: string; advice?: string | undefined }): Promise<RunResult> => {
    await failSession(db, sessionId, error);
    return 'done';
  };
  const config = await loadProvisioningConfig(db, session.applicationId);
  const opened = await env.connect(session.applicationId);
  if (!opened.ok) return fail(opened.error);
  const connection = opened.value.connection;
  // The session was read from the connected account: another account behind the connection now gets nothing.
  const identity = await verifyTargetIdentity(db, session.applicationId, config.stored.targetIdentity, connection, env.sleep);
  if (!identity.ok) return fail(identity.error);
  const caps = await connection.capabilities();
  if (!caps.ok) return fail(caps.error);
  const fields = config.stored.catalogue?.fields ? { ok: true as const, value: config.stored.catalogue.fields } : await connection.fields();
  if (!fields.ok) return fail(fields.error);
  const roles = await connection.roles();
  if (!roles.ok) return fail(roles.error);
  const render = await renderContextOf(db, config, fields.value);
  if (!render.ok) return fail(render.error);
  const ctx: ApplyContext = {
    db,
    applicationId: session.applicationId,
    sessionId,
    connection,
    capabilities: caps.value,
    settings: config.settings,
    mapping: importMappingOf(config.settings),
    defs: await loadAttributeDefinitions(db),
    render: render.value,
    roleLabels: new Map(roles.value.map((r) => [r.key, r.label])),
    actor: actorOf(session.progress['actor']),
    sleep: env.sleep,
    log: env.log,
  };

  // Pipelined: batch N+1's target half runs while batch N's directory transaction does. Batches
  // are taken in target-id order after the previous one (keyset; the applied rows before it are
  // not scanned again); once none is left the scan starts over, for items a confirm added meanwhile.
  const fetchBatch = async (after: string | null): Promise<ConfirmedItem[]> => {
    const rows = await db
      .select()
      .from(importItems)
      .where(and(eq(importItems.sessionId, sessionId), eq(importItems.applyStatus, 'pending'), after === null ? undefined : gt(importItems.targetId, after)))
      .orderBy(asc(importItems.targetId))
      .limit(hooks.batchSize ?? APPLY_BATCH);
    return rows.map((r) => ({
      targetId: r.targetId,
      category: r.category as ImportCategory,
      directoryUserId: r.directoryUserId,
      identity: r.identity,
      target: r.target as unknown as TargetUser,
      sourceProfile: (r.sourceProfile as ConfirmedItem['sourceProfile']) ?? null,
    }));
  };
  const send = (items: ConfirmedItem[]): Promise<Sending> | null => (items.length === 0 ? null : settle(items, sendBatch(ctx, items)));
  let items = await fetchBatch(null);
  let sending = send(items);
  for (let batch = 1; ; batch++) {
    if (!(await renewLease(db, sessionId, runner))) {
      await sending;
      return 'busy';
    }
    if (items.length === 0 || !sending) {
      if (await finish(db, sessionId, runner)) return 'done';
      items = await fetchBatch(null);
      sending = send(items);
      continue;
    }
    const sent = await sending;
    if ('value' in sent && sent.value.written.stopped) return fail(sent.value.written.stopped);
    const nextItems = await fetchBatch(items[items.length - 1]!.targetId);
    const next = send(nextItems);
    try {
      const result = await commitOrEach(ctx, sent);
      if (result.stopped) {
        await next;
        return fail({ code: result.stopped.code, message: result.stopped.message, advice: result.stopped.advice });
      }
      if (result.cancelled) {
        await next;
        await releaseLease(db, sessionId, runner);
        return 'stopped';
      }
      await hooks.afterBatch?.(batch, result);
    } catch (e) {
      await next; // settled, never rejects: nothing is left running behind the caller
      throw e;
    }
    items = nextItems;
    sending = next;
  }
}

type Sending = { value: SentBatch } | { error: unknown; items: readonly ConfirmedItem[] };

const settle = (items: readonly ConfirmedItem[], p: Promise<SentBatch>): Promise<Sending> =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error, items }),
  );

/** Commits a sent batch; a batch whose target half threw, or that the directory refuses as a whole, goes user by user. */
async function commitOrEach(ctx: ApplyContext, sent: Sending): Promise<BatchResult> {
  if (!('value' in sent)) return applyEach(ctx, sent.items, sent.error);
  try {
    return await commitBatch(ctx, sent.value);
  } catch (e) {
    return applyEach(ctx, sent.value.items, e);
  }
}

/**
 * A batch the directory refuses as a whole (a unique value taken by someone else in between) is
 * applied user by user, so only the user at fault fails; target writes are idempotent, so redoing
 * them is safe.
 */
async function applyEach(ctx: ApplyContext, items: readonly ConfirmedItem[], error: unknown): Promise<BatchResult> {
  if (items.length === 1) {
    await markItemFailed(ctx.db, ctx.applicationId, ctx.sessionId, items[0]!, error, ctx.log);
    return { applied: 0, failed: 1, stopped: null, cancelled: false, targetMs: 0, directoryMs: 0 };
  }
  const total: BatchResult = { applied: 0, failed: 0, stopped: null, cancelled: false, targetMs: 0, directoryMs: 0 };
  for (const item of items) {
    let r: BatchResult;
    try {
      r = await applyBatch(ctx, [item]);
    } catch (e) {
      r = await applyEach(ctx, [item], e);
    }
    if (r.stopped || r.cancelled) return { ...total, stopped: r.stopped, cancelled: r.cancelled };
    total.applied += r.applied;
    total.failed += r.failed;
    total.targetMs += r.targetMs;
    total.directoryMs += r.directoryMs;
  }
  return total;
}

/** Ends the apply when nothing is pending (checked under the session's row lock, so a confirm in between is not lost). */
async function finish(db: EngineEnv['db'], sessionId: string, runner: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [s] = await queryRows<{ status: string }>(tx, sql`select status from import_sessions where id = ${sessionId} for update`);
    const [pending] = await tx.select({ n: sql<number>`count(*)::int` }).from(importItems).where(and(eq(importItems.sessionId, sessionId), eq(importItems.applyStatus, 'pending')));
    if (s?.status === 'applying' && (pending?.n ?? 0) > 0) return false;
    await refreshCounts(tx, sessionId);
    if (s?.status === 'applying') {
      await tx.execute(sql`update import_sessions set status = 'applied', finished_at = now(), updated_at = now(), progress = (progress - 'lease') || '{"phase":"applied"}'::jsonb where id = ${sessionId}`);
    } else {
      await tx.execute(sql`update import_sessions set progress = progress - 'lease' where id = ${sessionId} and progress->'lease'->>'runner' = ${runner}`);
    }
    return true;
  });
}

/** The admin who confirmed, as stored by the confirm; audit entries name them. */
function actorOf(stored: unknown): Principal {
  const a = (stored ?? {}) as { adminId?: string | null; email?: string | null; via?: string };
  const via = a.via === 'session' || a.via === 'token' || a.via === 'cli' ? a.via : 'system';
  return { adminId: a.adminId ?? null, email: a.email ?? null, role: 'admin', permissions: new Set(['import_users', 'assign_apps', 'manage_users']), via };
}

