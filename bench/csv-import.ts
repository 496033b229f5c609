/**
 * CSV import benchmark: a generated 100,000-row users CSV (streamed to a temp file) imported
 * through the real HTTP route (listening server, streamed upload) and through the service.
 * Targets: ≤ 60 s and ≤ 600 MB peak RSS per import.
 *
 *   npx tsx bench/csv-import.ts [--rows 100000] [--database-url postgres://…]   (or DATABASE_URL)
 */
import { createWriteStream, createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../packages/roster/src/api/app.ts';
import { loadConfig } from '../packages/roster/src/config/config.ts';
import { openDatabase } from '../packages/roster/src/db/database.ts';
import { admins, apiTokens } from '../packages/roster/src/db/schema.ts';
import { newToken, sha256 } from '../packages/roster/src/admins/secrets.ts';
import { systemPrincipal } from '../packages/roster/src/admins/permissions.ts';
import { importUsersCsv } from '../packages/roster/src/bulk/import-users.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, 'database-url': { type: 'string' } } });
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

/** Samples RSS every 100 ms while `fn` runs. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number; cpuSeconds: number }> {
  let peak = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const start = performance.now();
  try {
    const result = await fn();
    const used = process.cpuUsage(cpu);
    return { result, seconds: (performance.now() - start) / 1000, peakMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

async function scratchDatabase(): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  if (!serverUrl) return { url: undefined, drop: async () => undefined };
  const name = `roster_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

// On a shared machine elapsed time depends on the load; this process's CPU time (which includes
// PGlite, not a PostgreSQL server) is the figure that does not.
const report = (label: string, m: { seconds: number; peakMb: number; cpuSeconds: number }, counts: Record<string, number>) =>
  console.log(
    `${label}: ${m.seconds.toFixed(1)} s (${Math.round(ROWS / m.seconds)} rows/s, target ≤ ${TARGET_SECONDS} s, ratio ${(m.seconds / TARGET_SECONDS).toFixed(2)}), ` +
      `process CPU ${m.cpuSeconds.toFixed(1)} s, load average ${os.loadavg()[0]?.toFixed(1)}, peak RSS ${Math.round(m.peakMb)} MB (target ≤ ${TARGET_MB} MB, ratio ${(m.peakMb / TARGET_MB).toFixed(2)}), counts ${JSON.stringify(counts)}`,
  );

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-csv-'));
  const scratch = await scratchDatabase();
  const file = path.join(tmp, 'users.csv');
  try {
    await writeCsv(file, ROWS);
    console.log(`CSV: ${ROWS} rows, ${((await fs.stat(file)).size / 1024 / 1024).toFixed(1)} MB; database: ${scratch.url ? 'PostgreSQL' : 'PGlite'}`);
    const database = await openDatabase({ dataDir: path.join(tmp, 'data'), databaseUrl: scratch.url });
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: tmp });
    if (!config.ok) throw new Error(config.error.join('\n'));
    const { app } = await buildApp({ database, config: config.value });
    const [owner] = await database.db.insert(admins).values({ email: 'bench@bench.test', name: 'bench', passwordHash: 'x', role: 'owner' }).returning();
    const token = newToken('rst');
    await database.db.insert(apiTokens).values({ adminId: owner!.id, name: 'bench', tokenHash: sha256(token), prefix: token.slice(0, 8) });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // PGlite runs inside this process, so its own memory (≈ 800 MB once opened) is part of the RSS.
    console.log(`RSS before importing (database open, app built): ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);

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
    report('HTTP route (100k creates)', http, http.result.counts);

    await database.db.execute(sql`truncate users, outbox, audit_log`);
    const service = await measure(() =>
      importUsersCsv(database.db, systemPrincipal, createReadStream(file), { dryRun: false, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 500 * 1024 * 1024 }),
    );
    report('service (100k creates)', service, service.result.counts);

    const again = await measure(() =>
      importUsersCsv(database.db, systemPrincipal, createReadStream(file), { dryRun: false, matchBy: 'email', mode: 'upsert', emptyCells: 'keep', maxBytes: 500 * 1024 * 1024 }),
    );
    report('service (same file again: 100k unchanged)', again, again.result.counts);
    await app.close();
    await database.close();
  } finally {
    await scratch.drop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

await main();
