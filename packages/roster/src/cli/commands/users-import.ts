/**
 * `roster users import <file.csv>` and `roster users memberships-import <file.csv>`: upload a CSV,
 * follow the server's NDJSON progress stream with a progress bar, print the summary.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
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

/** Numbers a progress line may carry, whatever the server names them. */
function progressOf(line: Record<string, unknown>): { done: number; total: number | undefined } | undefined {
  const done = [line['processed'], line['done'], line['rows']].find((v) => typeof v === 'number') as number | undefined;
  if (done === undefined) return undefined;
  const total = typeof line['total'] === 'number' ? line['total'] : undefined;
  return { done, total };
}

/** POSTs the CSV asking for NDJSON progress; returns the last line (the summary). */
export async function uploadWithProgress(io: CliIo, client: ApiClient, urlPath: string, csv: string, query: Record<string, string | undefined>, label: string): Promise<Record<string, unknown>> {
  const response = await client.send('POST', urlPath, { query, raw: { contentType: 'text/csv', data: csv }, headers: { accept: 'application/x-ndjson' } });
  const bar = createProgressBar(io, label);
  let last: Record<string, unknown> = {};
  if ((response.headers.get('content-type') ?? '').includes('ndjson')) {
    await readNdjson(response.body, (line) => {
      last = line;
      const p = progressOf(line);
      if (p) bar.update(p.done, p.total);
    });
  } else {
    last = (await response.json()) as Record<string, unknown>;
  }
  bar.finish();
  return last;
}

function printSummary(io: CliIo, json: boolean, summary: Record<string, unknown>): number {
  if (json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const { errors, rows, ...counts } = summary;
    io.stdout.write(`${formatRecord(counts)}\n`);
    const list = (Array.isArray(errors) ? errors : Array.isArray(rows) ? rows.filter((r: { errors?: unknown[] }) => r.errors?.length) : []) as unknown[];
    for (const e of list.slice(0, 50)) io.stdout.write(`  ${JSON.stringify(e)}\n`);
    if (list.length > 50) io.stdout.write(`  … ${list.length - 50} more (use --json for all)\n`);
  }
  // The import ran but some rows failed: a script must notice.
  const failed = [summary['failed'], summary['errorCount'], summary['invalid']].find((v) => typeof v === 'number') as number | undefined;
  return failed && failed > 0 ? 1 : 0;
}

export function registerUserImportCommands(users: Command, kit: Kit): void {
  const imp = users
    .command('import <file>')
    .description('import users from a CSV file (header row: email, givenName, familyName, … or mapped with --map)')
    .option('--dry-run', 'validate and classify every row, change nothing')
    .addOption(new Option('--match-by <field>', 'how a row finds an existing user').choices(['email', 'employeeId']))
    .option('--map <"CSV Header=field">', 'map a CSV column to a user field (repeatable)', keyValue)
    .action(async (file: string, o: { dryRun?: boolean; matchBy?: string; map?: Record<string, string> }, cmd: Command) => {
      const csv = await readCsv(kit.io, file);
      const summary = await uploadWithProgress(kit.io, kit.client(cmd), '/api/users/import', csv, {
        dryRun: o.dryRun ? 'true' : undefined,
        matchBy: o.matchBy,
        map: o.map ? JSON.stringify(o.map) : undefined,
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
    .description('add users to groups from a CSV file (columns: group, email)')
    .option('--dry-run', 'validate every row, change nothing')
    .action(async (file: string, o: { dryRun?: boolean }, cmd: Command) => {
      const csv = await readCsv(kit.io, file);
      const summary = await uploadWithProgress(kit.io, kit.client(cmd), '/api/groups/memberships/import', csv, { dryRun: o.dryRun ? 'true' : undefined }, 'importing');
      const code = printSummary(kit.io, kit.output(cmd).json, summary);
      if (code !== 0) throw new CliError('some rows were not imported (see above)');
    });
  examples(mem, ['roster users memberships-import memberships.csv --dry-run']);
}
