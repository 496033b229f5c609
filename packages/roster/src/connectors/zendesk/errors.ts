/**
 * Zendesk answers → connector errors with a class and advice. Zendesk uses several error
 * envelopes (https://developer.zendesk.com/api-reference/introduction/requests/ and the notes
 * §6.1): `{error, description, details}`, `{error: {title, message}}`, `{errors: [{code, title, detail}]}`,
 * bare `{error}`, and plain text — all are accepted here.
 */
import { z } from 'zod';
import type { ConnectorError } from '../contract.ts';

const detailSchema = z.union([z.string(), z.looseObject({ description: z.string().optional(), error: z.string().optional() })]);

export const zendeskErrorBodySchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ title: z.string().optional(), message: z.string().optional() })]).optional(),
  error_description: z.string().optional(),
  description: z.string().optional(),
  details: z.union([z.record(z.string(), z.array(detailSchema)), z.string()]).optional(),
  errors: z.array(z.looseObject({ code: z.string().optional(), title: z.string().optional(), detail: z.string().optional() })).optional(),
});

export interface ParsedZendeskError {
  /** `RecordInvalid`, `Forbidden`, `invalid_token`, … */
  kind: string | null;
  message: string | null;
  /** Per field: the descriptions and the inner error codes (`DuplicateValue`, …). */
  fields: Record<string, { descriptions: string[]; codes: string[] }>;
}

/** Reads any Zendesk error envelope (or plain text) into one shape. */
export function parseZendeskError(body: unknown): ParsedZendeskError {
  if (typeof body === 'string') return { kind: null, message: body.trim().slice(0, 300) || null, fields: {} };
  const parsed = zendeskErrorBodySchema.safeParse(body);
  if (!parsed.success) return { kind: null, message: null, fields: {} };
  const b = parsed.data;
  const fields: ParsedZendeskError['fields'] = {};
  if (b.details && typeof b.details === 'object') {
    for (const [field, items] of Object.entries(b.details)) {
      fields[field] = {
        descriptions: items.map((d) => (typeof d === 'string' ? d : (d.description ?? d.error ?? 'invalid'))),
        codes: items.flatMap((d) => (typeof d === 'string' || !d.error ? [] : [d.error])),
      };
    }
  }
  const first = b.errors?.[0];
  const kind = typeof b.error === 'string' ? b.error : (b.error?.title ?? first?.code ?? null);
  const fieldText = Object.values(fields).flatMap((f) => f.descriptions).join(' ');
  const message =
    (typeof b.error === 'object' ? b.error.message : undefined) ??
    b.error_description ??
    (fieldText || undefined) ??
    b.description ??
    (typeof b.details === 'string' ? b.details : undefined) ??
    first?.detail ??
    first?.title ??
    (typeof b.error === 'string' ? b.error : null);
  return { kind, message, fields };
}

export const zendeskError = (code: string, cls: ConnectorError['class'], message: string, advice: string, extra: Partial<ConnectorError> = {}): ConnectorError => ({
  code: `zendesk.${code}`,
  class: cls,
  message,
  advice,
  ...extra,
});

/** Maps a 422 `RecordInvalid` to an object error, naming the fields Zendesk named. */
function recordInvalid(parsed: ParsedZendeskError): ConnectorError {
  const fields = Object.fromEntries(Object.entries(parsed.fields).map(([k, v]) => [k, v.descriptions]));
  const codes = Object.values(parsed.fields).flatMap((f) => f.codes);
  const message = parsed.message ?? 'Zendesk refused the record';
  if (codes.includes('DuplicateValue') || /already (being used|been taken)/i.test(message)) {
    return zendeskError('duplicate_value', 'object', message, 'Another Zendesk user already has this value (often the email). Link or remove that user in Zendesk, or change the mapped value.', { fields });
  }
  return zendeskError('record_invalid', 'object', message, 'Fix the mapped values named in the message; Roster retries this user in later cycles.', { fields });
}

/** The error for a non-2xx answer. 429 and 503 are retried by the HTTP layer before they land here. */
export function errorFromResponse(status: number, body: unknown, retryAfterSeconds: number | undefined): ConnectorError {
  const parsed = parseZendeskError(body);
  const msg = (fallback: string) => parsed.message ?? fallback;
  const ra = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (status === 401) {
    return zendeskError('unauthorized', 'configuration', msg('Zendesk could not authenticate Roster'), 'The credentials were refused: re-enter the API token, or authorize Roster again with OAuth.');
  }
  if (status === 403) {
    return zendeskError('forbidden', 'configuration', msg('Zendesk refused access'), 'The connected Zendesk user must be an admin, and an OAuth token needs the read and write scopes. Reconnect with an admin account.');
  }
  if (status === 404) return zendeskError('not_found', 'object', msg('Not found in Zendesk'), 'The object no longer exists in Zendesk; the next cycle re-creates or unlinks it.');
  if (status === 422) return recordInvalid(parsed);
  if (status === 409) return zendeskError('conflict', 'transient', msg('Zendesk reported a conflicting change'), 'A simultaneous change to the same record; Roster retries.');
  if (status === 429) {
    const tooManyJobs = parsed.kind === 'TooManyJobs';
    return zendeskError(tooManyJobs ? 'too_many_jobs' : 'rate_limited', 'rate_limited', msg('Zendesk rate limit reached'), 'Roster waits for the limit to reset and retries.', ra);
  }
  if (status === 400 || status === 413) {
    return zendeskError('bad_request', 'object', msg(`Zendesk refused the request (HTTP ${status})`), 'The values sent for this object are not valid for Zendesk; check the mapping.');
  }
  if (status >= 500) return zendeskError('unavailable', 'transient', msg(`Zendesk answered HTTP ${status}`), 'Zendesk is having trouble; Roster retries with backoff.', ra);
  return zendeskError('unexpected_status', 'transient', msg(`Zendesk answered HTTP ${status}`), 'Unexpected answer from Zendesk; Roster retries.');
}
