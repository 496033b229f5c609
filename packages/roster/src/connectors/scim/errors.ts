/**
 * SCIM answers → connector errors with a class and advice. A SCIM error is
 * `{schemas: [urn:…:Error], status, scimType?, detail?}` (RFC 7644 §3.12); servers in the wild
 * also answer HTML pages from a proxy, other JSON, or plain text, and all are read here.
 */
import { z } from 'zod';
import type { ConnectorError } from '../contract.ts';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const scimErrorBodySchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  status: z.union([z.string(), z.number()]).optional(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
});

export interface ParsedScimError {
  /** `uniqueness`, `invalidValue`, `invalidFilter`, … (RFC 7644 Table 9). */
  scimType: string | null;
  message: string | null;
  /** The body was a SCIM error message. */
  scim: boolean;
  /** The body was an HTML page (a proxy, a login page, a wrong base URL). */
  html: boolean;
}

export function parseScimError(body: unknown): ParsedScimError {
  if (typeof body === 'string') {
    const text = body.trim();
    const html = /^<(!doctype|html|head|body)/i.test(text);
    const title = html ? (/<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1] ?? null) : null;
    return { scimType: null, message: html ? (title?.trim() || 'an HTML page') : text.slice(0, 300) || null, scim: false, html };
  }
  const parsed = scimErrorBodySchema.safeParse(body);
  if (!parsed.success) return { scimType: null, message: null, scim: false, html: false };
  const b = parsed.data;
  const generic = body as Record<string, unknown>;
  // Non-SCIM JSON: take the usual keys of other error envelopes.
  const other = [generic['message'], generic['error_description'], generic['error']].find((v): v is string => typeof v === 'string');
  return { scimType: b.scimType ?? null, message: b.detail ?? other ?? null, scim: b.schemas?.some((x) => x.toLowerCase() === SCIM_ERROR_SCHEMA.toLowerCase()) ?? false, html: false };
}

export const scimError = (code: string, cls: ConnectorError['class'], message: string, advice: string, extra: Partial<ConnectorError> = {}): ConnectorError => ({
  code: `scim.${code}`,
  class: cls,
  message,
  advice,
  ...extra,
});

const URL_ADVICE = 'Check the base URL: it is the SCIM root the app documents (often ending in /scim/v2), the part before /Users.';

/** scimType of a 400 → class and advice (RFC 7644 §3.12, Table 9). */
function badRequest(scimType: string | null, message: string): ConnectorError {
  switch (scimType) {
    case 'uniqueness':
      return uniqueness(message);
    case 'invalidFilter':
      return scimError('invalid_filter', 'configuration', message, 'The app refused the search Roster uses to find accounts: choose another matching attribute (userName, externalId or emails) in the connection settings.');
    case 'tooMany':
      return scimError('too_many', 'transient', message, 'The app found too many results for one search; Roster retries with smaller searches.');
    case 'mutability':
      return scimError('mutability', 'object', message, 'The app does not let this attribute be changed (read-only or immutable): remove its mapping or change it in the app.');
    case 'invalidVers':
      return scimError('version_mismatch', 'transient', message, 'The account changed in the app since Roster read it; Roster reads it again and retries.');
    case 'sensitive':
      return scimError('sensitive', 'configuration', message, 'The app refuses sensitive values in URLs; report this to Roster.');
    case 'noTarget':
      return scimError('no_target', 'object', message, 'The change named something the app does not hold (e.g. a member already removed); nothing was changed.');
    case 'invalidSyntax':
    case 'invalidPath':
    case 'invalidValue':
    default:
      return scimType === null
        ? scimError('bad_request', 'object', message, 'The app refused the request for this object: check the mapped values. Roster retries this object in later cycles.')
        : scimError('invalid_value', 'object', message, 'The app refused a value sent for this object: check the mapped values named in the message. Roster retries this object in later cycles.');
  }
}

function uniqueness(message: string): ConnectorError {
  return scimError('uniqueness', 'object', message, 'Another account in the app already has this value (userName, email or external id). Link or remove that account in the app, or change the mapped value.');
}

/** The error for a non-2xx answer. 429 and 5xx are retried by the HTTP layer before they land here. */
export function errorFromResponse(status: number, body: unknown, retryAfterSeconds?: number): ConnectorError {
  const parsed = parseScimError(body);
  const msg = (fallback: string) => (parsed.html ? `The app answered HTTP ${status} with ${parsed.message ?? 'an HTML page'} instead of SCIM` : (parsed.message ?? fallback));
  const ra = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (parsed.html && status >= 200 && status < 500 && status !== 429) {
    return scimError('not_scim', 'configuration', msg(''), `${URL_ADVICE} A sign-in page or proxy may be answering in its place.`);
  }
  if (status === 401) return scimError('unauthorized', 'configuration', msg('The app refused the credentials'), 'Check the token (or user name and password, or client id and secret) in the connection settings; a token may have expired or been revoked.');
  if (status === 403) return scimError('forbidden', 'configuration', msg('The app refused access'), 'The credentials work but may not manage users: give the token or client the provisioning (SCIM) permission in the app.');
  if (status === 404) return scimError('not_found', 'object', msg('Not found in the app'), 'The object no longer exists in the app; the next cycle re-creates or unlinks it.');
  // 409 is uniqueness by definition for POST/PUT/PATCH (RFC 7644 §3.3, §3.5.1), with or without scimType.
  if (status === 409) return uniqueness(msg('The app reported a conflict with an existing account'));
  if (status === 412) return scimError('version_mismatch', 'transient', msg('The account changed in the app since Roster read it'), 'Roster reads it again and retries.');
  if (status === 413) return scimError('payload_too_large', 'object', msg('The request was too large for the app'), 'Roster sends smaller batches; if a single account is too large, check the mapped values.');
  if (status === 429) return scimError('rate_limited', 'rate_limited', msg('The app asked Roster to slow down'), 'Roster waits and retries.', ra);
  if (status === 400) return badRequest(parsed.scimType, msg('The app refused the request (HTTP 400)'));
  if (status === 501) return scimError('not_implemented', 'configuration', msg('The app does not implement this SCIM operation'), 'The app advertises a feature it does not serve; Roster uses another way where there is one. Report it to the app vendor.');
  if (status >= 500) return scimError('unavailable', 'transient', msg(`The app answered HTTP ${status}`), 'The app is having trouble; Roster retries with backoff.', ra);
  return scimError('unexpected_status', 'transient', msg(`The app answered HTTP ${status}`), 'Unexpected answer from the app; Roster retries.');
}

/** A 2xx body that is not the SCIM message Roster asked for. */
export function unexpectedResponse(what: string, detail: string): ConnectorError {
  return scimError('unexpected_response', 'transient', `Unexpected answer from the app for ${what}: ${detail}`, `The app answered in a shape that is not SCIM; Roster retries. ${URL_ADVICE}`);
}
