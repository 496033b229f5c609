/**
 * Kept provisioning plans of an application: dry runs (what a full cycle would do now), plans that
 * wait for approval, and removals staged by the deletion threshold. Reading needs view_logs (a plan
 * is a log of what would happen); requesting a dry run and deciding need manage_provisioning.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { invalidField } from '../../errors/app-error.ts';
import { decidePlan } from '../../provisioning/kept-plans/decide-plan.ts';
import { requestDryRun } from '../../provisioning/kept-plans/dry-run.ts';
import { exportPlanLines, getPlan, listPlanActions, listPlans, planActionSchema, planExportFormats, planFilterSchema, planSchema } from '../../provisioning/kept-plans/plan-query.ts';
import { storableText } from '../../provisioning/config/settings-schema.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { requiredVersion, setEtag } from '../if-match.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const idParams = z.object({ id: z.uuid() });
const planParams = idParams.extend({ planId: z.uuid() });
const tags = ['provisioning plans'];
const badCursor = () => invalidField('query.cursor', 'is not a cursor returned by this list');
const actionFilter = { action: storableText(1, 50).trim().optional() };

export const provisioningPlanRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_logs') };
  const write = { onRequest: requirePermission('manage_provisioning') };

  app.post(
    '/api/apps/:id/provisioning/dry-runs',
    { ...write, schema: { tags, summary: 'Compute a full cycle’s plan without applying it (a job; poll the plan until ready)', params: idParams, response: { 202: z.object({ plan: planSchema }) } } },
    async (request, reply) => {
      const plan = await requestDryRun(ctx.db, ctx.queue, principalOf(request), request.params.id, { requestId: request.id });
      setEtag(reply, plan.version);
      return reply.status(202).send({ plan });
    },
  );

  app.get(
    '/api/apps/:id/provisioning/plans',
    { ...read, schema: { tags, summary: 'Kept plans, newest first (filters: kind, status)', params: idParams, querystring: z.strictObject({ ...pageQuerySchema.shape, ...planFilterSchema.shape }), response: { 200: pageSchema(planSchema) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      await findAppRow(ctx.db, request.params.id);
      let before: { createdAt: Date; id: string } | undefined;
      if (cursor) {
        const [at, id] = decodeCursor(cursor, 2);
        if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !z.uuid().safeParse(id).success) throw badCursor();
        before = { createdAt: new Date(at), id };
      }
      const rows = await listPlans(ctx.db, request.params.id, filter, limit + 1, before);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    },
  );

  app.get(
    '/api/apps/:id/provisioning/plans/:planId',
    { ...read, schema: { tags, summary: 'One plan: kind, status, counts by action, reason (ETag: its version)', params: planParams, response: { 200: planSchema } } },
    async (request, reply) => {
      await findAppRow(ctx.db, request.params.id);
      const plan = await getPlan(ctx.db, request.params.id, request.params.planId);
      setEtag(reply, plan.version);
      return plan;
    },
  );

  app.get(
    '/api/apps/:id/provisioning/plans/:planId/actions',
    { ...read, schema: { tags, summary: 'The plan’s actions in order, per user: action, properties old → new, reason (filter: action)', params: planParams, querystring: z.strictObject({ ...pageQuerySchema.shape, ...actionFilter }), response: { 200: pageSchema(planActionSchema) } } },
    async (request) => {
      const { limit, cursor, action } = request.query;
      await findAppRow(ctx.db, request.params.id);
      await getPlan(ctx.db, request.params.id, request.params.planId);
      let after: number | undefined;
      if (cursor) {
        const [seq] = decodeCursor(cursor, 1);
        if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw badCursor();
        after = seq;
      }
      const rows = await listPlanActions(ctx.db, request.params.planId, action, limit + 1, after);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.seq]) : null };
    },
  );

  app.get(
    '/api/apps/:id/provisioning/plans/:planId/export',
    { ...read, schema: { tags, summary: 'Download the plan’s actions as CSV or JSON lines (streamed)', params: planParams, querystring: z.strictObject({ format: z.enum(planExportFormats).default('csv'), ...actionFilter }) } },
    async (request, reply) => {
      const { format, action } = request.query;
      await findAppRow(ctx.db, request.params.id);
      await getPlan(ctx.db, request.params.id, request.params.planId);
      await recordAudit(ctx.db, principalOf(request), { action: 'provisioning.plan.export', targetType: 'application', targetId: request.params.id, after: { planId: request.params.planId, format, action: action ?? null } }, request.id);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="roster-plan-${request.params.planId}.${format}"`)
        .send(Readable.from(exportPlanLines(ctx.db, request.params.planId, format, action)));
    },
  );

  for (const [verb, decision] of [['approve', 'approve'], ['discard', 'discard']] as const) {
    app.post(
      `/api/apps/:id/provisioning/plans/:planId/${verb}`,
      {
        ...write,
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve a pending plan (staged removals: allow them); applied by a job, each action re-checked against the current directory. If-Match required'
              : 'Discard a pending plan (staged removals: provisioning resumes, and the next cycle stages them again if the cause remains). If-Match required',
          params: planParams,
          response: { [decision === 'approve' ? 202 : 200]: planSchema },
        },
      },
      async (request, reply) => {
        const plan = await decidePlan(ctx.db, ctx.queue, principalOf(request), request.params.id, request.params.planId, decision, requiredVersion(request), { requestId: request.id });
        setEtag(reply, plan.version);
        return reply.status(decision === 'approve' ? 202 : 200).send(plan);
      },
    );
  }
};
