/**
 * The CLI's HTTP client for a running server: Bearer token, JSON in and out, and the API's error
 * envelope turned into an `ApiError` that prints as `error <code>: <message>` plus each field.
 */
import type { ClientConfig } from './client-config.ts';
import { codeSentence } from '../words/words.ts';
import { CliError } from './io.ts';

export interface FieldIssue {
  path: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The text the CLI prints: first line `error <code>: <message>`, then `  <path>: <reason>` per
   * issue. Each problem is printed once: when the message only repeats the issues (as
   * `validation_failed` does), the first line says so in words instead.
   */
  format(): string {
    const lines = this.issues.map((i) => `${i.path}: ${i.reason}`);
    const repeats = lines.length > 0 && lines.every((l) => this.message.includes(l));
    const head = repeats ? `${codeSentence(this.code).toLowerCase()}:` : this.message;
    return [`error ${this.code}: ${head}`, ...lines.map((l) => `  ${l}`)].join('\n');
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** A raw body (e.g. CSV text) with its content type; `body` is ignored when set. */
  raw?: { contentType: string; data: string | Uint8Array };
  headers?: Record<string, string>;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** Sends a request; resolves with the parsed JSON (undefined for 204), rejects with ApiError. */
  json<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  /** Sends a request and returns the raw response when it succeeded (for streaming answers). */
  send(method: string, path: string, opts?: RequestOptions): Promise<Response>;
}

export function createApiClient(config: ClientConfig, fetchImpl: typeof fetch = fetch): ApiClient {
  const send = async (method: string, path: string, opts: RequestOptions = {}): Promise<Response> => {
    if (!config.token) throw new CliError('no API token: pass --token or set ROSTER_TOKEN (create one with `roster tokens create` while signed in, or in the admin UI)', 2);
    const url = new URL(path.replace(/^\//, ''), `${config.url}/`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${config.token}`, accept: 'application/json', ...opts.headers };
    let body: string | Uint8Array | undefined;
    if (opts.raw) {
      headers['content-type'] = opts.raw.contentType;
      body = opts.raw.data;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    let response: Response;
    try {
      response = await fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (e) {
      throw new CliError(`cannot reach Roster at ${config.url} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}); is \`roster serve\` running? (--url / ROSTER_URL)`);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  };
  return {
    baseUrl: config.url,
    send,
    async json<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
      const response = await send(method, path, opts);
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** Reads the error envelope of a failed response (or makes one from its status and text). */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const envelope = JSON.parse(text) as { error?: { code?: string; message?: string; issues?: FieldIssue[] } };
    if (envelope.error?.code) return new ApiError(response.status, envelope.error.code, envelope.error.message ?? '', envelope.error.issues ?? []);
  } catch {
    // not our envelope: fall through
  }
  return new ApiError(response.status, `http_${response.status}`, text.slice(0, 300) || response.statusText, []);
}
