/** Sends a CSV file to POST /api/users/import: a dry run (one JSON answer) or the real import with streamed progress. */
import { rawHeaders } from '../../api/client.ts';
import { toApiError } from '../../api/errors.ts';
import { ndjsonLines } from '../../lib/ndjson.ts';

export interface ImportOptions {
  matchBy: 'email' | 'employeeId';
  mode: 'upsert' | 'create' | 'update';
  emptyCells: 'keep' | 'clear';
  mapping: string | undefined;
}

export interface ImportSummary {
  importRunId: string;
  dryRun: boolean;
  counts: Record<string, number>;
  errors: { row: number; field?: string; reason: string }[];
  errorsTruncated: boolean;
  changes: { row: number; action: string; email?: string; field?: string; reason?: string }[];
}

function url(opts: ImportOptions, dryRun: boolean): string {
  const q = new URLSearchParams({ dryRun: String(dryRun), matchBy: opts.matchBy, mode: opts.mode, emptyCells: opts.emptyCells });
  if (opts.mapping) q.set('mapping', opts.mapping);
  return `/api/users/import?${q.toString()}`;
}

async function send(file: Blob, opts: ImportOptions, dryRun: boolean, accept: string): Promise<Response> {
  const res = await fetch(url(opts, dryRun), { method: 'POST', credentials: 'same-origin', headers: rawHeaders({ 'content-type': 'text/csv', accept }), body: file });
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  return res;
}

export async function dryRunImport(file: Blob, opts: ImportOptions): Promise<ImportSummary> {
  return (await (await send(file, opts, true, 'application/json')).json()) as ImportSummary;
}

/** The real import; `onProgress` gets the rows read so far (about every 1,000 rows). */
export async function runImport(file: Blob, opts: ImportOptions, onProgress: (rows: number) => void): Promise<ImportSummary> {
  const res = await send(file, opts, false, 'application/x-ndjson');
  if (!res.body) throw new Error('The import answered without a body.');
  for await (const line of ndjsonLines(res.body)) {
    const l = line as { type: string; rows?: number; error?: unknown } & ImportSummary;
    if (l.type === 'progress' && typeof l.rows === 'number') onProgress(l.rows);
    if (l.type === 'error') throw toApiError(500, { error: l.error });
    if (l.type === 'summary') return l;
  }
  throw new Error('The import ended without a summary; check the audit log.');
}
