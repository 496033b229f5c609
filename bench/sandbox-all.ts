/**
 * Every zendesk-sandbox benchmark in turn, one sandbox process each, then one summary table.
 * Run: `npx tsx bench/sandbox-all.ts`.
 */
import { printTable, type BenchRow } from './sandbox-common.ts';
import { runJobPace } from './sandbox-job-pace.ts';
import { runStateFile } from './sandbox-state-file.ts';
import { runThroughput } from './sandbox-throughput.ts';
import { runUsers100k } from './sandbox-users-100k.ts';

const rows: BenchRow[] = [];
const notes: string[] = [];
for (const [name, run] of [
  ['throughput', runThroughput],
  ['100k users', runUsers100k],
  ['job pace', runJobPace],
  ['state file', runStateFile],
] as const) {
  const result = await run();
  printTable(`zendesk-sandbox ${name}`, result.rows, result.notes);
  rows.push(...result.rows);
  notes.push(...result.notes.filter((n) => n.startsWith('load average')).map((n) => `${name}: ${n}`));
}
printTable('zendesk-sandbox benchmark summary', rows, notes);
