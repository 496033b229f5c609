/**
 * Errors carry a code and a retry class, never an HTTP status. Exactly one module
 * (api/error-handler.ts) maps codes to HTTP answers; every code is listed in docs/errors.md.
 */

/** What a caller (or the engine) should do about a failure. */
export type RetryClass =
  /** Retry with backoff: network blips, 5xx, deadlocks. */
  | 'transient'
  /** Wait for the limit to reset, then retry. */
  | 'rate_limited'
  /** This object is wrong; skip it, report it, do not retry as-is. */
  | 'object'
  /** The configuration or the credentials are wrong; stop until an admin acts. */
  | 'configuration'
  /** The caller's request is wrong; retrying the same request fails the same way. */
  | 'caller';

/** One problem with one input field. `path` names the field the way the API spells it. */
export interface FieldIssue {
  path: string;
  reason: string;
}

export const errorCodes = {
  validation_failed: 'caller',
  malformed_json: 'caller',
  payload_too_large: 'caller',
  unsupported_media_type: 'caller',
  not_found: 'caller',
  route_not_found: 'caller',
  conflict: 'caller',
  version_conflict: 'caller',
  precondition_required: 'caller',
  duplicate: 'caller',
  cycle: 'caller',
  unauthenticated: 'caller',
  invalid_credentials: 'caller',
  csrf_failed: 'caller',
  password_change_required: 'caller',
  forbidden: 'caller',
  outranked: 'caller',
  too_many_attempts: 'rate_limited',
  rate_limited: 'rate_limited',
  csv_invalid: 'caller',
  config_invalid: 'configuration',
  not_connected: 'caller',
  connected_target_change: 'caller',
  connection_failed: 'configuration',
  target_unavailable: 'transient',
  unavailable: 'transient',
  internal: 'transient',
} as const satisfies Record<string, RetryClass>;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retry: RetryClass;
  readonly issues: FieldIssue[];
  /** Extra machine-readable facts (e.g. the current version on a conflict). */
  readonly details: Record<string, unknown> | undefined;
  /** Seconds to wait, for `rate_limited` errors. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; details?: Record<string, unknown>; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retry = errorCodes[code];
    this.issues = options.issues ?? [];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** A 'not found' that names the kind of object and the id that was asked for. */
export const notFound = (kind: string, id: string): AppError =>
  new AppError('not_found', `No ${kind} with id ${id}.`, { details: { kind, id } });

/** The row changed since the caller read it. */
export const versionConflict = (kind: string, id: string, current: number): AppError =>
  new AppError('version_conflict', `The ${kind} ${id} was changed by someone else (now at version ${current}); reload it and apply your change again.`, {
    details: { kind, id, currentVersion: current },
  });

/** One input field is wrong. */
export const invalidField = (path: string, reason: string): AppError =>
  new AppError('validation_failed', `${path}: ${reason}`, { issues: [{ path, reason }] });
