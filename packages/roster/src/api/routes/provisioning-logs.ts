/**
 * The provisioning log and synchronization details of an application (permission view_logs):
 * events newest first with filters, one event's detail, a streamed CSV/JSON export, the cycles with
 * their counts, and the current status.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { AppError, invalidField } from '../../errors/app-error.ts';
import { cycleSchema, listCycles, syncStatus, syncStatusSchema } from '../../provisioning/config/sync-status.ts';
import { MAX_ACTIVITY_BUCKETS, activityBuckets, activitySchema, bucketCount, provisioningActivity } from '../../provisioning/events/event-activity.ts';
import { eventExportFormats, eventFilterSchema, eventSchema, exportEventLines, getEvent, iterateEvents, listEvents } from '../../provisioning/events/event-query.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['provisioning log'];
const listQuery = z.strictObject({ ...pageQuerySchema.shape, ...eventFilterSchema.shape });
const exportQuery = z.strictObject({ format: z.enum(eventExportFormats).default('json'), ...eventFilterSchema.shape });
const activityQuery = z.strictObject({
  /** Inclusive lower bound (rounded down to the bucket), ISO 8601 with offset; default 24 hours (hour) or 30 days (day) before `to`. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound, ISO 8601 with offset; default now. */
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(activityBuckets).default('hour'),
});
const badCursor = () => invalidField('query.cursor', 'is not a cursor returned by this list');

export const provisioningLogRoutes: RouteModule = (app, ctx) => {
  const viewLogs = { onRequest: requirePermission('view_logs') };

  app.get(
    '/api/apps/:id/provisioning/events',
    { ...viewLogs, schema: { tags, summary: 'Provisioning events, newest first (filters: user, action, status, from, to, cycleId)', params: idParams, querystring: listQuery, response: { 200: pageSchema(eventSchema) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      await findAppRow(ctx.db, request.params.id);
      let beforeId: number | undefined;
      if (cursor) {
        const [id] = decodeCursor(cursor, 1);
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw badCursor();
        beforeId = id;
      }
      const rows = await listEvents(ctx.db, request.params.id, filter, limit + 1, beforeId);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.get(
    '/api/apps/:id/provisioning/events/export',
    { ...viewLogs, schema: { tags, summary: 'The filtered provisioning log as CSV or a JSON array (streamed)', params: idParams, querystring: exportQuery } },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      await findAppRow(ctx.db, request.params.id);
      await recordAudit(ctx.db, principalOf(request), { action: 'provisioning.log.export', targetType: 'application', targetId: request.params.id, after: { format, filter } }, request.id);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="roster-provisioning-${request.params.id}-${stamp}.${format}"`)
        .send(Readable.from(exportEventLines(iterateEvents(ctx.db, request.params.id, filter), format)));
    },
  );

  app.get(
    '/api/apps/:id/provisioning/events/:eventId',
    { ...viewLogs, schema: { tags, summary: 'One provisioning event with its steps and old → new changes', params: idParams.extend({ eventId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }), response: { 200: eventSchema } } },
    async (request) => {
      await findAppRow(ctx.db, request.params.id);
      const event = await getEvent(ctx.db, request.params.id, request.params.eventId);
      if (!event) throw new AppError('not_found', `No provisioning event ${request.params.eventId} for this application.`, { issues: [{ path: 'params.eventId', reason: 'no such event' }] });
      return event;
    },
  );

  app.get(
    '/api/apps/:id/provisioning/activity',
    { ...viewLogs, schema: { tags, summary: 'Provisioning actions per hour or day: created, updated, suspended, deleted, failed (for the Overview chart)', params: idParams, querystring: activityQuery, response: { 200: activitySchema } } },
    async (request) => {
      const { bucket } = request.query;
      const to = request.query.to ? new Date(request.query.to) : new Date();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - (bucket === 'hour' ? 24 : 30 * 24) * 3_600_000);
      if (from.getTime() >= to.getTime()) throw invalidField('query.from', 'must be before query.to');
      if (bucketCount(from, to, bucket) > MAX_ACTIVITY_BUCKETS) throw invalidField('query.from', `gives more than ${MAX_ACTIVITY_BUCKETS} ${bucket}s: narrow the range or count per day`);
      await findAppRow(ctx.db, request.params.id);
      return provisioningActivity(ctx.db, request.params.id, from, to, bucket);
    },
  );

  app.get(
    '/api/apps/:id/provisioning/cycles',
    { ...viewLogs, schema: { tags, summary: 'Cycles and incremental batches with their counts, newest first', params: idParams, querystring: z.strictObject(pageQuerySchema.shape), response: { 200: pageSchema(cycleSchema) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      await findAppRow(ctx.db, request.params.id);
      let before: { startedAt: Date; id: string } | undefined;
      if (cursor) {
        const [at, id] = decodeCursor(cursor, 2);
        if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !z.uuid().safeParse(id).success) throw badCursor();
        before = { startedAt: new Date(at), id };
      }
      const rows = await listCycles(ctx.db, request.params.id, limit + 1, before);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.startedAt, last.id]) : null };
    },
  );

  app.get(
    '/api/apps/:id/provisioning/status',
    { ...viewLogs, schema: { tags, summary: 'Synchronization details: state and reason, the running cycle with progress, the last cycle, the next one', params: idParams, response: { 200: syncStatusSchema } } },
    async (request) => syncStatus(ctx.db, request.params.id),
  );
};
