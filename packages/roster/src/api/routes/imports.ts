/**
 * Bulk input: CSV import of users (POST /api/users/import) and of group memberships
 * (POST /api/groups/memberships/import), both streamed, and JSON bulk (POST /api/users/bulk).
 * CSV imports need import_users; JSON bulk needs manage_users. With `Accept: application/x-ndjson`
 * a CSV import answers with progress lines and a final summary line instead of one JSON document.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { plainText } from '../../directory/text.ts';
import { bulkResultSchema, MAX_BULK_OPERATIONS, runBulkOperations } from '../../directory/users/bulk-operations.ts';
import type { ImportHooks } from '../../csv-import/csv-import-run.ts';
import { importMembershipsCsv } from '../../csv-import/import-memberships.ts';
import { importUsersCsv } from '../../csv-import/import-users.ts';
import { AppError, invalidField } from '../../errors/app-error.ts';
import { requirePermission, principalOf } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { toAppError } from '../error-handler.ts';

/** Largest CSV upload; JSON bodies keep the app-wide 1 MB limit. */
export const CSV_BODY_LIMIT = 200 * 1024 * 1024;

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

const userImportQuery = z.strictObject({
  dryRun: flag,
  matchBy: z.enum(['email', 'employeeId']).default('email'),
  mode: z.enum(['upsert', 'create', 'update']).default('upsert'),
  emptyCells: z.enum(['keep', 'clear']).default('keep'),
  mapping: z.string().max(20_000).optional().describe('JSON object: CSV header → field name (e.g. {"Login":"email","Cost":"custom.costCenter"}); "" ignores a column'),
});

const mappingSchema = z.record(plainText(), plainText());

function parseMapping(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidField('query.mapping', 'is not valid JSON');
  }
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) throw invalidField('query.mapping', 'must be a JSON object of CSV header → field name');
  return parsed.data;
}

function csvBody(request: FastifyRequest): AsyncIterable<Buffer | string> {
  const body = request.body as { [Symbol.asyncIterator]?: unknown } | undefined;
  if (!body || typeof body[Symbol.asyncIterator] !== 'function') {
    throw new AppError('unsupported_media_type', 'Send the CSV as the request body with Content-Type: text/csv.', { issues: [{ path: 'headers.content-type', reason: 'must be text/csv' }] });
  }
  return body as AsyncIterable<Buffer | string>;
}

/** Runs an import and answers with its summary, or streams NDJSON progress when the client asks for it. */
async function answer<T extends object>(request: FastifyRequest, reply: FastifyReply, run: (hooks: ImportHooks) => Promise<T>): Promise<unknown> {
  if (!String(request.headers.accept ?? '').includes('application/x-ndjson')) return run({});
  const out = new PassThrough();
  let started: () => void = () => undefined;
  const startedOrDone = new Promise<void>((resolve) => (started = resolve));
  const job = run({ onStart: () => started(), onProgress: (rows) => out.write(`${JSON.stringify({ type: 'progress', rows })}\n`) });
  // Errors before the header is accepted (missing column, bad encoding in row 1) stay plain 4xx answers.
  await Promise.race([startedOrDone, job]);
  job.then(
    (summary) => out.end(`${JSON.stringify({ type: 'summary', ...summary })}\n`),
    (e: unknown) => {
      const err = toAppError(e);
      if (err.code === 'internal') request.log.error({ err: e }, 'import failed');
      out.end(`${JSON.stringify({ type: 'error', error: { code: err.code, message: err.message, issues: err.issues, details: err.details, requestId: request.id } })}\n`);
    },
  );
  return reply.type('application/x-ndjson').send(out);
}

/**
 * An answer sent before the upload was read to its end (refused after the header, a permission
 * error, a size limit) closes the connection: the unread rest of the body, whose stream the
 * import has already let go of, would otherwise sit on the keep-alive socket and the next request
 * on it would never be answered. Reading up to 200 MB only to throw it away would cost more than a
 * new connection. Streamed NDJSON answers start before the upload ends, so they close it too.
 */
async function closeIfUploadUnread(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.raw.complete) void reply.header('connection', 'close');
}

export const importRoutes: RouteModule = (app, ctx) => {
  // The upload is handed over as a stream: the import reads it row by row under its own size limit.
  app.addContentTypeParser(['text/csv', 'application/csv'], { bodyLimit: CSV_BODY_LIMIT }, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/users/import',
    {
      onRequest: requirePermission('import_users'),
      onSend: closeIfUploadUnread,
      schema: { tags: ['users'], summary: 'Import users from CSV (text/csv body, streamed)', querystring: userImportQuery, consumes: ['text/csv'] },
    },
    async (request, reply) => {
      const q = request.query;
      const mapping = parseMapping(q.mapping);
      const source = csvBody(request);
      return answer(request, reply, (hooks) =>
        importUsersCsv(ctx.db, principalOf(request), source, { dryRun: q.dryRun, matchBy: q.matchBy, mode: q.mode, emptyCells: q.emptyCells, mapping, maxBytes: CSV_BODY_LIMIT, requestId: request.id }, hooks),
      );
    },
  );

  app.post(
    '/api/groups/memberships/import',
    {
      onRequest: requirePermission('import_users'),
      onSend: closeIfUploadUnread,
      schema: { tags: ['groups'], summary: 'Import group memberships from CSV (columns group, user)', querystring: z.strictObject({ dryRun: flag }), consumes: ['text/csv'] },
    },
    async (request, reply) => {
      const source = csvBody(request);
      return answer(request, reply, (hooks) => importMembershipsCsv(ctx.db, principalOf(request), source, { dryRun: request.query.dryRun, maxBytes: CSV_BODY_LIMIT, requestId: request.id }, hooks));
    },
  );

  app.post(
    '/api/users/bulk',
    {
      onRequest: requirePermission('manage_users'),
      schema: {
        tags: ['users'],
        summary: `Apply up to ${MAX_BULK_OPERATIONS} user operations (create, update, upsert, delete), each atomic`,
        body: z.strictObject({ operations: z.array(z.unknown()).min(1).max(MAX_BULK_OPERATIONS) }),
        response: { 200: z.object({ counts: z.object({ ok: z.number(), failed: z.number() }), results: z.array(bulkResultSchema) }) },
      },
    },
    async (request) => {
      const results = await runBulkOperations(ctx.db, principalOf(request), request.body.operations, request.id);
      const ok = results.filter((r) => r.status === 'ok').length;
      return { counts: { ok, failed: results.length - ok }, results };
    },
  );
};
