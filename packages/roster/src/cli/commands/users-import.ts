/**
 * `roster users import <file.csv>` and `roster users memberships-import <file.csv>`: upload a CSV,
 * follow the server's NDJSON progress stream with a progress bar, print the summary.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { ApiError, type ApiClient } from '../api-client.ts';
import { type Kit, examples, keyValue } from '../command-kit.ts';
import { CliError, type CliIo } from '../io.ts';
import { formatRecord } from '../output.ts';
import { createProgressBar, readNdjson } from '../progress.ts';

async function readCsv(io: CliIo, file: string): Promise<string> {
  try {
    return await fs.readFile(path.resolve(io.cwd ?? process.cwd(), file), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}

/** Data rows in the CSV, for the bar's 100% (approximate: quoted cells may hold line breaks). */
export function countDataRows(csv: string): number {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '').length;
  return Math.max(0, lines - 1);
}

/**
 * POSTs the CSV asking for NDJSON: `{type:"progress",rows}` lines drive the bar, the last line is
 * `{type:"summary",…}` (returned without `type`) or `{type:"error",error}` (thrown as ApiError).
 */
export async function uploadWithProgress(io: CliIo, client: ApiClient, urlPath: string, csv: string, query: Record<string, string | undefined>, label: string): Promise<Record<string, unknown>> {
  const response = await client.send('POST', urlPath, { query, raw: { contentType: 'text/csv', data: csv }, headers: { accept: 'application/x-ndjson' } });
  const total = countDataRows(csv);
  const bar = createProgressBar(io, label);
  let summary: Record<string, unknown> | undefined;
  let failure: ApiError | undefined;
  if ((response.headers.get('content-type') ?? '').includes('ndjson')) {
    await readNdjson(response.body, (line) => {
      if (line['type'] === 'progress' && typeof line['rows'] === 'number') bar.update(line['rows'], total);
      else if (line['type'] === 'summary') {
        const { type: _type, ...rest } = line;
        summary = rest;
        bar.update(total, total);
      } else if (line['type'] === 'error') {
        const e = (line['error'] ?? {}) as { code?: string; message?: string; issues?: { path: string; reason: string }[] };
        failure = new ApiError(response.status, e.code ?? 'internal', e.message ?? 'the import failed', e.issues ?? []);
      }
    });
  } else {
    summary = (await response.json()) as Record<string, unknown>;
  }
  bar.finish();
  if (failure) throw failure;
  if (!summary) throw new CliError('the server ended the import stream without a summary; check the server log');
  return summary;
}

/** Prints counts and the rows that failed; returns 1 when any row failed, so scripts notice. */
export function printSummary(io: CliIo, json: boolean, summary: Record<string, unknown>): number {
  const counts = (typeof summary['counts'] === 'object' && summary['counts'] !== null ? summary['counts'] : {}) as Record<string, number>;
  const errors = (Array.isArray(summary['errors']) ? summary['errors'] : []) as { row?: number; field?: string; reason?: string }[];
  if (json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const head: Record<string, unknown> = { ...(summary['dryRun'] ? { 'dry run': 'yes, nothing was changed' } : {}), ...counts };
    if (Array.isArray(summary['ignoredColumns']) && summary['ignoredColumns'].length > 0) head['ignored columns'] = summary['ignoredColumns'];
    io.stdout.write(`${formatRecord(head)}\n`);
    for (const e of errors.slice(0, 50)) io.stdout.write(`  row ${e.row ?? '?'}${e.field ? ` ${e.field}` : ''}: ${e.reason ?? JSON.stringify(e)}\n`);
    if (errors.length > 50 || summary['errorsTruncated']) io.stdout.write(`  … more rows failed (counts.failed is exact; --json lists what was kept)\n`);
  }
  const failed = counts['failed'] ?? errors.length;
  return failed > 0 ? 1 : 0;
}

export function registerUserImportCommands(users: Command, kit: Kit): void {
  const imp = users
    .command('import <file>')
    .description('import users from a CSV file (header row: email, givenName, familyName, … or mapped with --map)')
    .option('--dry-run', 'validate and classify every row, change nothing')
    .addOption(new Option('--match-by <field>', 'how a row finds an existing user').choices(['email', 'employeeId']))
    .addOption(new Option('--mode <mode>', 'upsert: create or update; create: only new users; update: only existing ones').choices(['upsert', 'create', 'update']))
    .addOption(new Option('--empty-cells <what>', 'keep: an empty cell leaves the field; clear: it clears it').choices(['keep', 'clear']))
    .option('--map <"CSV Header=field">', 'map a CSV column to a user field (repeatable)', keyValue)
    .action(async (file: string, o: { dryRun?: boolean; matchBy?: string; mode?: string; emptyCells?: string; map?: Record<string, string> }, cmd: Command) => {
      const csv = await readCsv(kit.io, file);
      const summary = await uploadWithProgress(kit.io, kit.client(cmd), '/api/users/import', csv, {
        dryRun: o.dryRun ? 'true' : undefined,
        matchBy: o.matchBy,
        mode: o.mode,
        emptyCells: o.emptyCells,
        mapping: o.map ? JSON.stringify(o.map) : undefined,
      }, o.dryRun ? 'checking' : 'importing');
      const code = printSummary(kit.io, kit.output(cmd).json, summary);
      if (code !== 0) throw new CliError('some rows were not imported (see above)');
    });
  examples(imp, [
    'roster users import people.csv --dry-run',
    'roster users import people.csv --match-by employeeId',
    'roster users import hr-export.csv --map "E-mail=email" --map "First name=givenName" --map "Cost center=custom.costCenter"',
  ]);

  const mem = users
    .command('memberships-import <file>')
    .description('add users to groups from a CSV file (columns: group, user = email or employee id)')
    .option('--dry-run', 'validate every row, change nothing')
    .action(async (file: string, o: { dryRun?: boolean }, cmd: Command) => {
      const csv = await readCsv(kit.io, file);
      const summary = await uploadWithProgress(kit.io, kit.client(cmd), '/api/groups/memberships/import', csv, { dryRun: o.dryRun ? 'true' : undefined }, 'importing');
      const code = printSummary(kit.io, kit.output(cmd).json, summary);
      if (code !== 0) throw new CliError('some rows were not imported (see above)');
    });
  examples(mem, ['roster users memberships-import memberships.csv --dry-run']);
}
