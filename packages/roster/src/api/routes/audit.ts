/** The audit log (permission view_logs): a filtered, paged list, newest first, and a streaming export. */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { auditExportFormats, exportLines } from '../../audit/audit-export.ts';
import { auditEntrySchema, auditFilterSchema, iterateAudit, listAudit } from '../../audit/audit-query.ts';
import { invalidField } from '../../errors/app-error.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const listQuery = z.strictObject({ ...pageQuerySchema.shape, ...auditFilterSchema.shape });
const exportQuery = z.strictObject({ format: z.enum(auditExportFormats).default('ndjson'), ...auditFilterSchema.shape });

export const auditRoutes: RouteModule = (app, ctx) => {
  const viewLogs = requirePermission('view_logs');
  const tags = ['audit'];

  app.get(
    '/api/audit',
    { schema: { tags, summary: 'Audit log entries, newest first', querystring: listQuery, response: { 200: pageSchema(auditEntrySchema) } }, onRequest: viewLogs },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      let beforeId: number | undefined;
      if (cursor) {
        const [id] = decodeCursor(cursor, 1);
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw invalidField('query.cursor', 'is not a cursor returned by this list');
        beforeId = id;
      }
      const rows = await listAudit(ctx.db, filter, limit + 1, beforeId);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.get(
    '/api/audit/export',
    { schema: { tags, summary: 'The filtered audit log as CSV or NDJSON (streamed)', querystring: exportQuery }, onRequest: viewLogs },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      await recordAudit(ctx.db, principalOf(request), { action: 'audit.export', targetType: 'audit_log', after: { format, filter } }, request.id);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="roster-audit-${stamp}.${format}"`)
        .send(Readable.from(exportLines(iterateAudit(ctx.db, filter), format)));
    },
  );
};
