/**
 * The one place that maps error codes to HTTP answers. Every failure leaves as the same envelope:
 * `{ "error": { "code", "message", "issues": [{ "path", "reason" }], "details"?, "requestId" } }`.
 * Codes and what to do about each are listed in docs/errors.md.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseBusy } from '../db/busy-error.ts';
import { AppError, type ErrorCode, type FieldIssue, isAppError } from '../errors/app-error.ts';

export const httpStatusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  csv_invalid: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  password_change_required: 403,
  forbidden: 403,
  outranked: 403,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  duplicate: 409,
  cycle: 409,
  version_conflict: 409,
  precondition_required: 428,
  too_many_attempts: 429,
  rate_limited: 429,
  config_invalid: 500,
  not_connected: 409,
  connected_target_change: 409,
  connection_failed: 409,
  target_unavailable: 502,
  unavailable: 503,
  internal: 500,
};

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; issues: FieldIssue[]; details?: Record<string, unknown>; requestId: string };
}

/** Turns anything thrown by a route into an AppError; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    // Paths read as the API documents them (`query.limit`), the same as decodeCursor's `query.cursor`.
    const where = context === 'querystring' ? 'query' : context;
    const issues: FieldIssue[] = error.validation.flatMap((v) => {
      const base = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === 'unrecognized_keys' && keys) return keys.map((k) => ({ path: `${base}.${k}`, reason: 'unknown field' }));
      return [{ path: base, reason: v.message ?? v.keyword }];
    });
    return new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues });
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', `The request body is not valid JSON: ${fe.message}`, { issues: [{ path: 'body', reason: 'malformed JSON' }] });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this endpoint accepts.', { issues: [{ path: 'body', reason: 'too large' }] });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', fe.message, { issues: [{ path: 'headers.content-type', reason: 'unsupported' }] });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('validation_failed', fe.message, { issues: [{ path: 'request', reason: fe.message }] });
  }
  if (databaseBusy(error)) {
    return new AppError('unavailable', 'The database is busy; the request was not applied. Try again in a moment.', { retryAfterSeconds: 1, cause: error });
  }
  return new AppError('internal', 'Something went wrong on our side; the request was not applied. The log has the details.', { cause: error });
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const status = httpStatusByCode[error.code];
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(Math.ceil(error.retryAfterSeconds)));
  const body: ErrorEnvelope = {
    error: { code: error.code, message: error.message, issues: error.issues, requestId: request.id },
  };
  if (error.details) body.error.details = error.details;
  return reply.status(status).type('application/json').send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    else if (appError.cause !== undefined && appError.code === 'unavailable') request.log.warn({ err: error }, 'database busy');
    return sendError(reply, request, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
