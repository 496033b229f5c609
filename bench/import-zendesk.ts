/**
 * Import from Zendesk benchmark (issue 6): 100,000 users seeded in a sandbox process (plan
 * unlimited, every rate limit off, bulk jobs without queue delay or per-user pace), imported into
 * an embedded PGlite data folder.
 *
 * 1. read: the account's users listed through the connection alone (cursor pages of 100) — the API read time;
 * 2. session read + classify, as the import job runs it — target: ≤ 60 s beyond the read time, ≤ 500 MB peak RSS;
 * 3. confirm every New user and apply — target: ≤ 120 s (reported with its Zendesk part apart: each
 *    account gets its external id through bulk update jobs).
 *
 * Like csv-import.ts, a child process creates and migrates the data folder first (creating a PGlite
 * folder costs far more memory than reopening one, once per install); the import runs in a second,
 * fresh process, whose RSS is reported.
 *
 * 4. (--reclassify) a second session once they are all imported: classification where every user matches.
 *
 * (--classify-only) stop after step 2.
 *
 *   npx tsx bench/import-zendesk.ts [--users 100000] [--reclassify] [--classify-only] [--rpm 1000000]   (or USERS)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { systemPrincipal } from '../packages/roster/src/admins/permissions.ts';
import { buildApp } from '../packages/roster/src/api/app.ts';
import { loadConfig } from '../packages/roster/src/config/config.ts';
import { openDatabase } from '../packages/roster/src/db/database.ts';
import { users } from '../packages/roster/src/db/schema.ts';
import type { WorkerContext } from '../packages/roster/src/jobs/handler.ts';
import { ensureQueues, startQueue } from '../packages/roster/src/jobs/queue.ts';
import { createApp } from '../packages/roster/src/directory/apps/create-app.ts';
import { saveConnection } from '../packages/roster/src/provisioning/config/save-connection.ts';
import { importQueue } from '../packages/roster/src/provisioning/target-import/import-queue.ts';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runImportApply } from '../packages/roster/src/provisioning/target-import/apply-session.ts';
import { confirmSession } from '../packages/roster/src/provisioning/target-import/confirm-session.ts';
import { runImportRead } from '../packages/roster/src/provisioning/target-import/read-session.ts';
import { findSession, startSession } from '../packages/roster/src/provisioning/target-import/session-store.ts';
import { type MemoryPeak, sampleMemory, wasmMb, watchPglite } from './memory-sampler.ts';
import { ADMIN_EMAIL, API_TOKEN, SUBDOMAIN, control, loadAverage, startSandboxProcess } from './sandbox-common.ts';
import { embeddedV8Flags } from '../packages/roster/bin/v8-flags.js';

const { values: args } = parseArgs({
  options: { users: { type: 'string', default: process.env['USERS'] ?? '100000' }, reclassify: { type: 'boolean', default: false }, 'classify-only': { type: 'boolean', default: false }, rpm: { type: 'string' }, phase: { type: 'string' }, 'data-dir': { type: 'string' }, sandbox: { type: 'string' } },
});
const USERS = Number(args.users);
const KEY_HEX = '6b'.repeat(32);
const TARGET = { classifySeconds: 60, classifyMb: 500, applySeconds: 120 };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

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

const at = (p: MemoryPeak) => `at the peak: JS heap ${p.heapMb} MB, PGlite WebAssembly memory ${p.wasmMb} MB`;

/**
 * The V8 flags Roster runs with (bin/roster.js): with the embedded database, those of
 * packages/roster/bin/v8-flags.js (baseline compiler only, 8 MB semi-spaces, old generation growing
 * to twice what survived the last full collection), unless ROSTER_PGLITE_OPTIMIZE=true.
 */
const rosterFlags = (): string[] => (process.env['ROSTER_PGLITE_OPTIMIZE'] !== 'true' && !process.execArgv.includes('--liftoff-only') ? [...embeddedV8Flags] : []);

async function runPhase(phase: string, extra: string[]): Promise<void> {
  const child = spawn(process.execPath, [...rosterFlags(), ...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, '--users', String(USERS), ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the ${phase} process exited with ${code}`);
}

/** Child 1, like `roster migrate`. */
async function prepare(dataDir: string): Promise<void> {
  const database = await openDatabase({ dataDir });
  await database.close();
  console.log(`prepare process: data folder created and migrated, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (not part of the figures)`);
}

/** Child 2, a fresh process like a running Roster worker. */
async function importPhase(dataDir: string, sandboxUrl: string): Promise<void> {
  watchPglite();
  const database = await openDatabase({ dataDir });
  const parsed = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: dataDir, ROSTER_SECRET_KEY: KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  const queue = await startQueue(database, { supervise: false });
  const { app } = await buildApp({ database, config: parsed.value, queue });
  const ctx: WorkerContext = { database, queue, config: parsed.value, secretKey: Buffer.from(KEY_HEX, 'hex'), log: { info: () => undefined, error: (o, m) => console.error(m, o) } };
  await ensureQueues(queue, [importQueue]);
  // The bench plays the worker: it calls the services and runs the import's jobs itself, one after the other.
  const created = await createApp(database.db, systemPrincipal, { type: 'zendesk', displayName: 'Zendesk bench', settings: { subdomain: SUBDOMAIN } });
  await saveConnection(database.db, ctx.secretKey, systemPrincipal, created.id, { method: 'api_token', adminEmail: ADMIN_EMAIL, apiToken: API_TOKEN }, undefined);
  const env = engineEnvFrom(ctx, { jobPollIntervalMs: 20 });
  console.log(`import process: RSS before importing (data reopened, app built): ${mb(process.memoryUsage().rss)} MB (JS heap ${mb(process.memoryUsage().heapUsed)} MB, PGlite WebAssembly memory ${wasmMb()} MB; peak so far ${mb(process.resourceUsage().maxRSS * 1024)} MB); load average ${loadAverage()}`);

  const opened = await env.connect(created.id);
  if (!opened.ok) throw new Error(opened.error.message);
  const read = await measure(async () => {
    let n = 0;
    for await (const page of opened.value.connection.users.list({ pageSize: 100 })) {
      if (!page.ok) throw new Error(page.error.message);
      n += page.value.length;
    }
    return n;
  });
  console.log(`1. API read alone: ${read.result} users in ${read.seconds.toFixed(1)} s (process CPU ${read.cpuSeconds.toFixed(1)} s), peak RSS ${read.peakMb} MB (${at(read.peak)})`);

  const session = await startSession(database.db, queue, systemPrincipal, created.id);
  const classify = await measure(() => runImportRead(env, session.id, 'bench-reader'));
  const classified = await findSession(database.db, created.id, session.id);
  const beyond = classify.seconds - read.seconds;
  console.log(
    `2. session read + classify: ${classify.seconds.toFixed(1)} s → ${beyond.toFixed(1)} s beyond the read (target ≤ ${TARGET.classifySeconds} s, ratio ${(beyond / TARGET.classifySeconds).toFixed(2)}); ` +
      `peak RSS ${classify.peakMb} MB (target ≤ ${TARGET.classifyMb} MB, ratio ${(classify.peakMb / TARGET.classifyMb).toFixed(2)}; ${at(classify.peak)}); process CPU ${classify.cpuSeconds.toFixed(1)} s; status ${classified.status}, counts ${JSON.stringify(classified.counts)}`,
  );

  if (args['classify-only']) {
    console.log(`import process peak RSS over its whole life (read and classify only): ${mb(process.resourceUsage().maxRSS * 1024)} MB; load average ${loadAverage()}`);
    await app.close();
    await queue.stop({ graceful: false });
    await database.close();
    return;
  }
  const confirm = await measure(() => confirmSession(database.db, queue, systemPrincipal, created.id, session.id, { categories: ['new'] }, classified.version));
  console.log(`   confirm (select every New user, give each a directory id): ${confirm.seconds.toFixed(1)} s`);
  let targetMs = 0;
  let directoryMs = 0;
  const apply = await measure(() => runImportApply(env, session.id, 'bench-applier', { afterBatch: (_n, r) => void ((targetMs += r.targetMs), (directoryMs += r.directoryMs)) }));
  const applied = await findSession(database.db, created.id, session.id);
  const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.status, 'active'));
  console.log(
    `3. apply ${applied.counts['applied']} New users: ${apply.seconds.toFixed(1)} s (target ≤ ${TARGET.applySeconds} s, ratio ${(apply.seconds / TARGET.applySeconds).toFixed(2)}): ` +
      `Zendesk external ids ${(targetMs / 1000).toFixed(1)} s, directory transactions ${(directoryMs / 1000).toFixed(1)} s; peak RSS ${apply.peakMb} MB (${at(apply.peak)}); process CPU ${apply.cpuSeconds.toFixed(1)} s; ` +
      `status ${applied.status}, failed ${applied.counts['failed']}, directory users ${count?.n ?? '?'}`,
  );
  if (args.reclassify) {
    // A second session over the same account: every Zendesk user now matches a directory user (linked, unchanged).
    const again = await startSession(database.db, queue, systemPrincipal, created.id);
    const second = await measure(() => runImportRead(env, again.id, 'bench-reader-2'));
    const s2 = await findSession(database.db, created.id, again.id);
    console.log(
      `4. second session, every user in the directory: ${second.seconds.toFixed(1)} s → ${(second.seconds - read.seconds).toFixed(1)} s beyond the first read; peak RSS ${second.peakMb} MB (${at(second.peak)}); process CPU ${second.cpuSeconds.toFixed(1)} s; counts ${JSON.stringify(s2.counts)}`,
    );
  }
  console.log(`import process peak RSS over its whole life: ${mb(process.resourceUsage().maxRSS * 1024)} MB; load average ${loadAverage()}`);
  await app.close();
  await queue.stop({ graceful: false });
  await database.close();
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-import-'));
  const dataDir = path.join(tmp, 'data');
  const sandbox = await startSandboxProcess();
  try {
    // Limits off: the sandbox sends no rate-limit headers, so Roster's pacer keeps its assumed 200 requests a minute
    // (every request of the read and of the apply's Zendesk half waits for it). --rpm N: limits on with an account
    // budget of N a minute, which the pacer learns from the headers (the Zendesk half then shows the code's own cost).
    const limits = args.rpm ? { limits: true, requestsPerMinute: Number(args.rpm) } : { limits: false };
    await control(sandbox.url, 'PATCH', `/__sandbox/accounts/${SUBDOMAIN}`, { ...limits, pace: { queueDelayMs: 0, perItemMs: 0, concurrency: 30 } });
    for (let left = USERS; left > 0; left -= 50_000) await control(sandbox.url, 'POST', `/__sandbox/accounts/${SUBDOMAIN}/seed`, { count: Math.min(50_000, left), prefix: 'imp' });
    console.log(`sandbox: ${USERS} seeded users (+ the owner), ${args.rpm ? `account budget ${args.rpm}/min (headers sent)` : 'limits off (no rate-limit headers: the pacer assumes 200/min)'}, bulk jobs without delay (30 at once); ${sandbox.placement}`);
    console.log(`V8 flags of the Roster processes, as bin/roster.js runs them: ${[...rosterFlags(), ...process.execArgv.filter((a) => /^--(?!require|import)/.test(a))].join(' ') || '(none)'}`);
    await runPhase('prepare', ['--data-dir', dataDir]);
    await runPhase('import', ['--data-dir', dataDir, '--sandbox', sandbox.url, ...(args.reclassify ? ['--reclassify'] : []), ...(args['classify-only'] ? ['--classify-only'] : [])]);
  } finally {
    await sandbox.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (args.phase === 'prepare') await prepare(args['data-dir'] as string);
else if (args.phase === 'import') await importPhase(args['data-dir'] as string, args.sandbox as string);
else await main();
