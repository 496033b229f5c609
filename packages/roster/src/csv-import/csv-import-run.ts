/**
 * The loop every CSV import shares: read records, prepare each row, apply them in batches (one
 * transaction per batch), count outcomes, report progress, and record the run in `import_runs`.
 *
 * Atomicity is per row: a row is applied in full or reported failed. A batch is one transaction;
 * if it fails as a whole (a concurrent writer took an email meanwhile), its rows are retried one
 * transaction each. A fatal error (bad encoding, unreadable CSV, size limit) stops the import:
 * batches already committed stay, the pending batch is not written, and the error says how far
 * the import got. Use `dryRun=true` first to find such problems without writing anything.
 */
import type { Principal } from '../admins/permissions.ts';
import type { Db, Executor } from '../db/database.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { uniqueViolation } from '../directory/users/db-errors.ts';
import { type CsvRecord, readCsv } from './csv-source.ts';
import { MAX_KEPT_ERRORS, finishImportRun, recordImportProgress, startImportRun } from './import-runs.ts';
import { UserRaceError } from '../directory/users/user-writer.ts';
import type { RowIssue } from './user-rows.ts';

/** What happened to one row; `failed` and `skipped` carry a reason. */
export interface RowOutcomeBase {
  row: number;
  action: string;
  field?: string;
  reason?: string;
}

export interface CsvProcessor<P extends { row: number }, O extends RowOutcomeBase> {
  /** Called with the header row; throws (4xx) when a required column is missing. */
  header(values: string[]): Promise<void> | void;
  prepare(record: CsvRecord): { ok: true; value: P } | { ok: false; issues: RowIssue[] };
  apply(executor: Executor, batch: P[]): Promise<O[]>;
}

export interface CsvRunOptions {
  kind: 'users' | 'memberships';
  dryRun: boolean;
  maxBytes: number;
  batchSize?: number;
  /** How many applied rows to list in the summary. */
  maxChanges?: number;
}

export interface ImportHooks {
  /** The header was accepted; the import will now run to a summary. */
  onStart?: () => void;
  /** Rows read so far, about every 1,000 rows. */
  onProgress?: (rows: number) => void;
}

export interface ImportSummary<O> {
  importRunId: string;
  dryRun: boolean;
  counts: Record<string, number>;
  errors: RowIssue[];
  /** True when more than MAX_KEPT_ERRORS rows failed; `counts.failed` is exact. */
  errorsTruncated: boolean;
  /** The first rows that changed something (or would, in a dry run). */
  changes: O[];
}

/** `counts` with the outcomes of one batch added (what the counts will be once it commits). */
function withOutcomes(counts: Record<string, number>, outcomes: readonly RowOutcomeBase[]): Record<string, number> {
  const next = { ...counts };
  for (const o of outcomes) next[o.action] = (next[o.action] ?? 0) + 1;
  return next;
}

export async function runCsvImport<P extends { row: number }, O extends RowOutcomeBase>(
  db: Db,
  actor: Principal,
  source: AsyncIterable<Buffer | string>,
  processor: CsvProcessor<P, O>,
  opts: CsvRunOptions,
  hooks: ImportHooks = {},
): Promise<ImportSummary<O>> {
  const runId = await startImportRun(db, actor, { source: 'csv', kind: opts.kind, dryRun: opts.dryRun });
  const counts: Record<string, number> = { rows: 0, failed: 0 };
  const errors: RowIssue[] = [];
  const changes: O[] = [];
  const maxChanges = opts.maxChanges ?? 100;
  const fail = (issue: RowIssue) => {
    counts['failed'] = (counts['failed'] ?? 0) + 1;
    if (errors.length < MAX_KEPT_ERRORS) errors.push(issue);
  };
  const tally = (outcomes: O[]) => {
    for (const o of outcomes) {
      if (o.action === 'failed') fail({ row: o.row, ...(o.field ? { field: o.field } : {}), reason: o.reason ?? 'failed' });
      else counts[o.action] = (counts[o.action] ?? 0) + 1;
      if (o.action !== 'failed' && o.action !== 'unchanged' && o.action !== 'skipped' && changes.length < maxChanges) changes.push(o);
    }
  };
  // The run's counts are saved in the transaction that commits the rows they count, so a killed
  // process leaves counts that match the directory (see markInterruptedImports).
  const applyCommitted = (rows: P[]) =>
    db.transaction(async (tx) => {
      const outcomes = await processor.apply(tx, rows);
      await recordImportProgress(tx, runId, withOutcomes(counts, outcomes));
      return outcomes;
    });
  const applyBatch = async (batch: P[]) => {
    if (batch.length === 0) return;
    if (opts.dryRun) {
      tally(await processor.apply(db, batch));
      return recordImportProgress(db, runId, counts);
    }
    try {
      tally(await applyCommitted(batch));
    } catch (e) {
      if (!(e instanceof UserRaceError) && uniqueViolation(e) === undefined) throw e;
      for (const one of batch) {
        try {
          tally(await applyCommitted([one]));
        } catch (inner) {
          if (!(inner instanceof UserRaceError) && uniqueViolation(inner) === undefined) throw inner;
          fail({ row: one.row, reason: 'conflicted with a change made at the same time; import this row again' });
        }
      }
    }
  };

  let batch: P[] = [];
  let sawHeader = false;
  try {
    for await (const record of readCsv(source, { maxBytes: opts.maxBytes })) {
      if (!sawHeader) {
        await processor.header(record.values);
        sawHeader = true;
        hooks.onStart?.();
        continue;
      }
      counts['rows'] = (counts['rows'] ?? 0) + 1;
      const prepared = processor.prepare(record);
      if (prepared.ok) batch.push(prepared.value);
      else prepared.issues.forEach(fail);
      if (batch.length >= (opts.batchSize ?? 1000)) {
        await applyBatch(batch);
        batch = [];
      }
      if ((counts['rows'] ?? 0) % 1000 === 0) hooks.onProgress?.(counts['rows'] ?? 0);
    }
    if (!sawHeader) throw new AppError('csv_invalid', 'The CSV is empty: it needs a header row.', { issues: [{ path: 'body', reason: 'empty' }] });
    await applyBatch(batch);
  } catch (e) {
    const reason = isAppError(e) ? e.message : 'the import stopped on an internal error';
    await finishImportRun(db, runId, 'failed', counts, [...errors, { row: (counts['rows'] ?? 0) + 1, reason }]);
    if (isAppError(e)) {
      throw new AppError(e.code, e.message, { issues: e.issues, details: { ...e.details, importRunId: runId, counts }, cause: e });
    }
    throw e;
  }
  await finishImportRun(db, runId, 'completed', counts, errors);
  return { importRunId: runId, dryRun: opts.dryRun, counts, errors, errorsTruncated: (counts['failed'] ?? 0) > errors.length, changes };
}
