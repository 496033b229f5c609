/**
 * Roster answers every failure with one envelope (`{ error: { code, message, issues, requestId } }`,
 * see docs/errors.md). The UI turns it into an `ApiError` and maps field issues onto form fields.
 */

export interface FieldIssue {
  path: string;
  reason: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, issues: FieldIssue[] = [], requestId?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
    this.requestId = requestId;
    this.details = details;
  }
}

/** Builds an ApiError from a response status and whatever body came back (envelope or not). */
export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as { error?: unknown } | null | undefined)?.error;
  if (e && typeof e === 'object') {
    const env = e as { code?: unknown; message?: unknown; issues?: unknown; requestId?: unknown; details?: unknown };
    const issues = Array.isArray(env.issues)
      ? env.issues.filter((i): i is FieldIssue => typeof i === 'object' && i !== null && typeof (i as FieldIssue).path === 'string' && typeof (i as FieldIssue).reason === 'string')
      : [];
    return new ApiError(
      status,
      typeof env.code === 'string' ? env.code : 'unknown',
      typeof env.message === 'string' ? env.message : `Request failed (${status}).`,
      issues,
      typeof env.requestId === 'string' ? env.requestId : undefined,
      env.details && typeof env.details === 'object' ? (env.details as Record<string, unknown>) : undefined,
    );
  }
  return new ApiError(status, status === 0 ? 'network' : 'unknown', status === 0 ? 'Roster cannot be reached.' : `Request failed (${status}).`);
}

/**
 * Field errors for a form from an error's issues: `body.customAttributes.costCenter` becomes
 * `customAttributes.costCenter` (Mantine form paths). Issues outside `prefix` are left out.
 */
export function fieldErrors(error: unknown, prefix = 'body.'): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    if (!issue.path.startsWith(prefix)) continue;
    const field = issue.path.slice(prefix.length);
    if (field && out[field] === undefined) out[field] = issue.reason;
  }
  return out;
}

/** Labels where the field's name does not read well as words (the forms' own labels). */
const fieldLabelOverrides: Record<string, string> = { employeeId: 'Employee ID', managerId: 'Manager', displayName: 'Display name', targetUrl: 'Target URL', apiToken: 'API token', clientId: 'Client ID' };

/** An issue path as the form's label: `body.customAttributes.costCenter` → "Cost center", `body.email` → "Email". */
export function fieldLabel(path: string): string {
  const last = path.replace(/^(body|query|params|headers)\./, '').split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  if (fieldLabelOverrides[last]) return fieldLabelOverrides[last];
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One sentence for a notification, in the admin's words: field issues name the field's label
 * ("Email: must be an email address", not `body.email`); the request id and code stay under
 * "details" (errorDetails), never in the sentence.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.issues.length ? error.issues.map((i) => `${fieldLabel(i.path)}: ${i.reason}`).join('; ') : error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** What support needs, shown under "details": the error code and the request id. */
export function errorDetails(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  return [`code ${error.code}`, error.requestId ? `request ${error.requestId}` : null].filter(Boolean).join(' · ');
}
