/**
 * Reading kept plans for the API: a plan with its counts, status and reason; the list of an
 * application's plans, newest first; its actions in plan order, filtered by action kind; and the
 * CSV / JSON-lines export of those actions.
 */
import { and, asc, desc, eq, gt, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { csvCell } from '../../audit/audit-export.ts';
import type { Executor } from '../../db/database.ts';
import { provisioningPlanActions, provisioningPlans } from '../../db/provisioning-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { actionWhy } from './action-why.ts';
import { type KeptAction, keptChanges } from '../gate/deletion-threshold.ts';
import { iteratePlanActions } from '../gate/plan-rows.ts';

export const planKinds = ['dry_run', 'approval', 'staged_deletions'] as const;
export const planStatuses = ['computing', 'ready', 'pending', 'approved', 'discarded', 'applied', 'superseded', 'failed'] as const;

export const planSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  cycleId: z.string().nullable(),
  kind: z.enum(planKinds),
  status: z.enum(planStatuses),
  /** Actions by kind (`create`, `update`, `delete`, …) plus `unchanged`. */
  counts: z.record(z.string(), z.number()),
  /** Why it was kept (`approval_required`, `deletion_threshold` with its figures), an error, and once applied the `result`. */
  reason: z.record(z.string(), z.unknown()).nullable(),
  createdBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type PlanView = z.infer<typeof planSchema>;

const changeSchema = z.object({ property: z.string(), old: z.unknown(), new: z.unknown() });
const stepSchema = z.object({ name: z.string(), outcome: z.string(), detail: z.string().optional() });

export const planActionSchema = z.object({
  seq: z.number().int(),
  objectType: z.string(),
  directoryId: z.string().nullable(),
  targetId: z.string().nullable(),
  identity: z.string().nullable(),
  action: z.string(),
  /** Properties old → new. */
  changes: z.array(changeSchema),
  steps: z.array(stepSchema),
  /** Why, in words (action-why.ts): the skip reason, the scope the user left, a deactivation, … */
  reason: z.string().nullable(),
});
export type PlanActionView = z.infer<typeof planActionSchema>;

type Row = typeof provisioningPlans.$inferSelect;
export const toPlanView = (r: Row): PlanView => ({
  id: r.id,
  applicationId: r.applicationId,
  cycleId: r.cycleId,
  kind: r.kind as PlanView['kind'],
  status: r.status as PlanView['status'],
  counts: r.counts,
  reason: r.reason ?? null,
  createdBy: r.createdBy,
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  version: r.version,
});

export function toActionView(r: typeof provisioningPlanActions.$inferSelect): PlanActionView {
  const a = r.detail as unknown as KeptAction;
  const targetId = 'targetId' in a && typeof a.targetId === 'string' ? a.targetId : 'targetGroupId' in a && typeof a.targetGroupId === 'string' ? a.targetGroupId : null;
  return {
    seq: r.seq,
    objectType: r.objectType,
    directoryId: r.directoryId,
    targetId,
    identity: r.identity,
    action: r.action,
    changes: keptChanges(a) ?? [],
    steps: a.steps ?? [],
    reason: actionWhy(a),
  };
}

/** The plan of this application (404 naming `params.planId` otherwise). */
export async function getPlan(executor: Executor, applicationId: string, planId: string): Promise<PlanView> {
  const [row] = await executor.select().from(provisioningPlans).where(and(eq(provisioningPlans.id, planId), eq(provisioningPlans.applicationId, applicationId)));
  if (!row) throw planNotFound(planId);
  return toPlanView(row);
}

export const planNotFound = (planId: string): AppError =>
  new AppError('not_found', `No provisioning plan ${planId} for this application.`, { issues: [{ path: 'params.planId', reason: 'no such plan' }], details: { kind: 'provisioning plan', id: planId } });

export const planFilterSchema = z.object({ kind: z.enum(planKinds).optional(), status: z.enum(planStatuses).optional() });
export type PlanFilter = z.infer<typeof planFilterSchema>;

/** Plans created before the cursor `(createdAt, id)`, newest first. */
export async function listPlans(executor: Executor, applicationId: string, f: PlanFilter, limit: number, before?: { createdAt: Date; id: string }): Promise<PlanView[]> {
  const p = provisioningPlans;
  const rows = await executor
    .select()
    .from(p)
    .where(
      and(
        eq(p.applicationId, applicationId),
        f.kind ? eq(p.kind, f.kind) : undefined,
        f.status ? eq(p.status, f.status) : undefined,
        before ? or(lt(p.createdAt, before.createdAt), and(eq(p.createdAt, before.createdAt), lt(p.id, before.id))) : undefined,
      ),
    )
    .orderBy(desc(p.createdAt), desc(p.id))
    .limit(limit);
  return rows.map(toPlanView);
}

/** Actions after `afterSeq`, in plan order, optionally of one action kind. */
export async function listPlanActions(executor: Executor, planId: string, action: string | undefined, limit: number, afterSeq = -1): Promise<PlanActionView[]> {
  const a = provisioningPlanActions;
  const rows = await executor
    .select()
    .from(a)
    .where(and(eq(a.planId, planId), gt(a.seq, afterSeq), action ? eq(a.action, action) : undefined))
    .orderBy(asc(a.seq))
    .limit(limit);
  return rows.map(toActionView);
}

export const planExportFormats = ['csv', 'jsonl'] as const;
export type PlanExportFormat = (typeof planExportFormats)[number];

const csvColumns = ['seq', 'identity', 'directoryId', 'targetId', 'action', 'changes', 'reason'] as const;

const describeValue = (v: unknown): string => (v === null || v === undefined ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v));
/** `name: Ada Lovelace → Ada King; suspended: false → true` */
export const describeChanges = (changes: PlanActionView['changes']): string => changes.map((c) => `${c.property}: ${describeValue(c.old)} → ${describeValue(c.new)}`).join('; ');

/** The export body, line by line: CSV (one row per action, changes as `property: old → new; …`) or JSON lines. */
export async function* exportPlanLines(executor: Executor, planId: string, format: PlanExportFormat, action?: string): AsyncGenerator<string> {
  if (format === 'csv') yield `${csvColumns.join(',')}\r\n`;
  for await (const row of iteratePlanActions(executor, planId, action ? { actions: [action] } : {})) {
    const v = toActionView(row);
    if (format === 'jsonl') yield `${JSON.stringify(v)}\n`;
    else yield `${csvColumns.map((c) => csvCell(c === 'changes' ? describeChanges(v.changes) : v[c])).join(',')}\r\n`;
  }
}
