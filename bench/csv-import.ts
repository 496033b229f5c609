/**
 * CSV import benchmark: a generated 100,000-row users CSV (streamed to a temp file) imported
 * through the real HTTP route (listening server, streamed upload) and through the service.
 * Targets: ≤ 60 s and ≤ 600 MB peak RSS per import.
 *
 * Like real use (an import into a running Roster whose data folder exists, made by `roster migrate`
 * or the first `serve`), a child process creates and migrates the data folder first; the imports
 * run in a second, fresh process, whose peak RSS is the figure reported. Creating a PGlite folder
 * costs far more memory (~870 MB) than reopening one (~360 MB), and only happens once per install.
 *
 *   npx tsx bench/csv-import.ts [--rows 100000] [--database-url postgres://…]   (or ROWS, DATABASE_URL)
 */
import { createWriteStream, createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../packages/roster/src/api/app.ts';
import { loadConfig } from '../packages/roster/src/config/config.ts';
import { openDatabase } from '../packages/roster/src/db/database.ts';
import { admins, apiTokens } from '../packages/roster/src/db/schema.ts';
import { newToken, sha256 } from '../packages/roster/src/admins/secrets.ts';
import { systemPrincipal } from '../packages/roster/src/admins/permissions.ts';
import { importUsersCsv } from '../packages/roster/src/csv-import/import-users.ts';
import { createScratchDatabase } from '../packages/roster/test/scratch-database.ts';
import { type MemoryPeak, sampleMemory, wasmMb, watchPglite } from './memory-sampler.ts';
import { embeddedV8Flags } from '../packages/roster/bin/v8-flags.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env['ROWS'] ?? '100000' },
    'database-url': { type: 'string' },
    // Internal: the child processes' roles and what the parent hands them.
    phase: { type: 'string' },
    'data-dir': { type: 'string' },
    'scratch-url': { type: 'string' },
    file: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const serverUrl = args['database-url'] ?? process.env['DATABASE_URL'];
const TARGET_SECONDS = 60;
const TARGET_MB = 600;

const departments = ['Support', 'Sales', 'Engineering', 'Finance', 'Legal', 'Marketing', 'Operations', 'People'];
const cities = ['Oslo', 'Lisbon', 'Austin', 'Pune', 'Sydney', 'Toronto'];

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('First Name,Last Name,Email,Employee ID,Department,Job Title,Location,Organization,Phone,Manager\n');
  for (let i = 0; i < rows; i++) {
    const manager = i === 0 ? '' : `E${Math.floor((i - 1) / 10)}`;
    await write(`Given${i},Family${i % 9973},user${i}@bench.test,E${i},${departments[i % departments.length]},Agent ${i % 50},${cities[i % cities.length]},Acme,+1 555 ${String(i).padStart(7, '0')},${manager}\n`);
  }
  out.end();
  await once(out, 'finish');
}

/** Samples memory every 100 ms while `fn` runs. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number; peak: MemoryPeak; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const stop = sampleMemory(100);
  const start = performance.now();
  try {
    const result = await fn();
    const used = process.cpuUsage(cpu);
    const peak = stop();
    return { result, seconds: (performance.now() - start) / 1000, peakMb: peak.rssMb, peak, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    stop();
  }
}

async function scratchDatabase(): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  if (!serverUrl) return { url: undefined, drop: async () => undefined };
  return createScratchDatabase(serverUrl, 'roster_bench');
}

// On a shared machine elapsed time depends on the load; this process's CPU time (which includes
// PGlite, not a PostgreSQL server) is the figure that does not.
const report = (label: string, m: { seconds: number; peakMb: number; peak: MemoryPeak; cpuSeconds: number }, counts: Record<string, number>) =>
  console.log(
    `${label}: ${m.seconds.toFixed(1)} s (${Math.round(ROWS / m.seconds)} rows/s, target ≤ ${TARGET_SECONDS} s, ratio ${(m.seconds / TARGET_SECONDS).toFixed(2)}), ` +
      `process CPU ${m.cpuSeconds.toFixed(1)} s, load average ${os.loadavg()[0]?.toFixed(1)}, peak RSS ${Math.round(m.peakMb)} MB (target ≤ ${TARGET_MB} MB, ratio ${(m.peakMb / TARGET_MB).toFixed(2)}; at the peak: JS heap ${m.peak.heapMb} MB, PGlite WebAssembly memory ${m.peak.wasmMb} MB), counts ${JSON.stringify(counts)}`,
  );

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * The V8 flags Roster runs with (bin/roster.js): with the embedded database, those of
 * packages/roster/bin/v8-flags.js (baseline compiler only, 8 MB semi-spaces, old generation growing
 * to twice what survived the last full collection), unless ROSTER_PGLITE_OPTIMIZE=true.
 */
const rosterFlags = (): string[] => (!serverUrl && process.env['ROSTER_PGLITE_OPTIMIZE'] !== 'true' && !process.execArgv.includes('--liftoff-only') ? [...embeddedV8Flags] : []);

/** Runs this script again as `--phase <phase>` in a fresh Node process (same loader flags), echoing its output; resolves with its stdout. */
async function runPhase(phase: 'prepare' | 'import', extra: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [...rosterFlags(), ...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, '--rows', String(ROWS), ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    process.stdout.write(chunk.replace(/^TOKEN .*\n?/gm, ''));
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the ${phase} process exited with ${code}`);
  return out;
}

/** Child 1, like `roster migrate`: create and migrate the data folder (or scratch database), add an owner with an API token. */
async function prepare(dataDir: string, url: string | undefined): Promise<void> {
  const database = await openDatabase({ dataDir, databaseUrl: url });
  const [owner] = await database.db.insert(admins).values({ email: 'bench@bench.test', name: 'bench', passwordHash: 'x', role: 'owner' }).returning();
  const token = newToken('rst');
  await database.db.insert(apiTokens).values({ adminId: owner!.id, name: 'bench', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  await database.close();
  console.log(`prepare process: data folder created and migrated, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (not part of the import figures)`);
  console.log(`TOKEN ${token}`);
}

/** Child 2, a fresh process like a running Roster: reopen the existing data, then import. */
async function importPhase(dataDir: string, url: string | undefined, file: string, token: string): Promise<void> {
  watchPglite();
  const database = await openDatabase({ dataDir, databaseUrl: url });
  const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: dataDir });
  if (!config.ok) throw new Error(config.error.join('\n'));
  const { app } = await buildApp({ database, config: config.value });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // With PGlite the database runs inside this process, so its memory is part of every RSS figure below.
  console.log(`import process: RSS before importing (existing data reopened, app built): ${mb(process.memoryUsage().rss)} MB (JS heap ${mb(process.memoryUsage().heapUsed)} MB, PGlite WebAssembly memory ${wasmMb()} MB; peak so far ${mb(process.resourceUsage().maxRSS * 1024)} MB)`);

  const http = await measure(async () => {
    const r = await fetch(`${address}/api/users/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    return (await r.json()) as { counts: Record<string, number> };
  });
  report(`HTTP route (${ROWS} creates)`, http, http.result.counts);

  await database.db.execute(sql`truncate users, outbox, audit_log cascade`);
  const service = await measure(() =>
    importUsersCsv(database.db, systemPrincipal, createReadStream(file), { dryRun: false, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 500 * 1024 * 1024 }),
  );
  report(`service (${ROWS} creates)`, service, service.result.counts);

  const again = await measure(() =>
    importUsersCsv(database.db, systemPrincipal, createReadStream(file), { dryRun: false, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 500 * 1024 * 1024 }),
  );
  report(`service (same file again: ${ROWS} unchanged)`, again, again.result.counts);
  await app.close();
  await database.close();
  const peak = mb(process.resourceUsage().maxRSS * 1024);
  console.log(`import process peak RSS over its whole life (reopen + all three imports): ${peak} MB (target ≤ ${TARGET_MB} MB, ratio ${(peak / TARGET_MB).toFixed(2)})`);
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-csv-'));
  const scratch = await scratchDatabase();
  const file = path.join(tmp, 'users.csv');
  const dataDir = path.join(tmp, 'data');
  const urlArgs = scratch.url ? ['--scratch-url', scratch.url] : [];
  try {
    await writeCsv(file, ROWS);
    console.log(`CSV: ${ROWS} rows, ${((await fs.stat(file)).size / 1024 / 1024).toFixed(1)} MB; database: ${scratch.url ? 'PostgreSQL' : 'PGlite'}`);
    console.log('Peak RSS figures are those of the import process, which reopens a data folder another process created and migrated.');
    console.log(`V8 flags of the child processes, as bin/roster.js runs Roster: ${[...rosterFlags(), ...process.execArgv.filter((a) => /^--(?!require|import)/.test(a))].join(' ') || '(none)'}`);
    const prepared = await runPhase('prepare', ['--data-dir', dataDir, ...urlArgs]);
    const token = /^TOKEN (\S+)$/m.exec(prepared)?.[1];
    if (!token) throw new Error('the prepare process printed no token');
    // The token goes by environment, not argv, so it does not show in the process list.
    await runPhase('import', ['--data-dir', dataDir, '--file', file, ...urlArgs], { BENCH_TOKEN: token });
  } finally {
    await scratch.drop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (args.phase === 'prepare') await prepare(args['data-dir'] as string, args['scratch-url']);
else if (args.phase === 'import') await importPhase(args['data-dir'] as string, args['scratch-url'], args.file as string, process.env['BENCH_TOKEN'] ?? '');
else await main();
