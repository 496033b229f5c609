/** CSV import of users: header mapping, per-row preparation, batched upsert (see csv-import-run.ts). */
import type { Principal } from '../admins/permissions.ts';
import type { Db } from '../db/database.ts';
import { listAttributes } from '../directory/attributes/attributes.ts';
import type { AttributeDefinition } from '../directory/attributes/custom-values.ts';
import { type ImportMode, type MatchBy, type RowOutcome, applyUserBatch } from './apply-user-batch.ts';
import { type ImportHooks, type ImportSummary, runCsvImport } from './csv-import-run.ts';
import { type HeaderPlan, planHeaders, requireColumns } from './header-mapping.ts';
import { type EmptyCells, type PreparedRow, prepareUserRow } from './user-rows.ts';

export interface UserImportOptions {
  dryRun: boolean;
  matchBy: MatchBy;
  mode: ImportMode;
  /** `keep`: an empty cell leaves the field as it is; `clear`: it clears the field. */
  emptyCells: EmptyCells;
  /** CSV header → field name (`givenName`, `custom.costCenter`, or "" to ignore). */
  mapping?: Record<string, string> | undefined;
  maxBytes: number;
  batchSize?: number;
  requestId?: string | undefined;
}

export type UserImportSummary = ImportSummary<RowOutcome> & { ignoredColumns: string[] };

export async function importUsersCsv(db: Db, actor: Principal, source: AsyncIterable<Buffer | string>, opts: UserImportOptions, hooks: ImportHooks = {}): Promise<UserImportSummary> {
  const attributes = await listAttributes(db);
  const defs = new Map<string, AttributeDefinition>(attributes.map((a) => [a.key, a]));
  const known = new Map<string, string>();
  // Each email / employee id may appear once per file: a second row would silently overwrite the first.
  const seen = new Map<string, number>();
  let plan: HeaderPlan = { columns: [], ignored: [] };
  const summary = await runCsvImport<PreparedRow, RowOutcome>(
    db,
    actor,
    source,
    {
      header(values) {
        plan = planHeaders(values, opts.mapping, attributes);
        requireColumns(plan, [opts.matchBy]);
      },
      prepare(record) {
        const r = prepareUserRow(record.row, record.values, plan, opts.emptyCells);
        if (!r.ok) return r;
        const keys: [string, string | null | undefined][] = [['email', r.value.fields.email?.toLowerCase()], ['employeeId', r.value.fields.employeeId]];
        for (const [field, value] of keys) {
          if (!value) continue;
          const earlier = seen.get(`${field}:${value}`);
          if (earlier !== undefined) return { ok: false, issues: [{ row: record.row, field, reason: `the same ${field} as row ${earlier}` }] };
        }
        for (const [field, value] of keys) if (value) seen.set(`${field}:${value}`, record.row);
        return r;
      },
      apply: (executor, batch) => applyUserBatch(executor, batch, { matchBy: opts.matchBy, mode: opts.mode, dryRun: opts.dryRun, defs, actor, requestId: opts.requestId, known }),
    },
    { kind: 'users', dryRun: opts.dryRun, maxBytes: opts.maxBytes, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
    hooks,
  );
  return { ...summary, ignoredColumns: plan.ignored };
}
