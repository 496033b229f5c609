/**
 * One seeded chaos run (issues 5 and 11's convergence proof), shared by the CI test and the bench:
 * Roster's API in this process (no worker), real `roster worker` processes on a scratch PostgreSQL
 * database, the sandbox in this process injecting faults (5xx, 503 with Retry-After, 429 storms,
 * latency, dropped connections, failed jobs). A seeded PRNG drives directory changes through the
 * API while workers are SIGKILLed and restarted and, optionally (hand-faults.ts), Zendesk is edited
 * by hand, gets duplicates by hand and is reset with its ids reused. Faults stay on through a soak
 * phase after the last kill (a full cycle and the queue's work run under them); then faults stop, a
 * full cycle is requested, the queue drains, and (1) the sandbox must equal the expected state
 * computed from the directory, (2) no write of Roster's reached an account whose identity did not
 * match (write-audit.ts, on the sandbox's write record).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createSandbox } from '../../../zendesk-sandbox/src/index.ts';
import { buildApp } from '../../src/api/app.ts';
import type { ApiApp } from '../../src/api/context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { createScratchDatabase, pgTemplateOf } from '../scratch-database.ts';
import { seededRandom } from '../seeded-random.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../test-app.ts';
import { type SnapshotGroups, type SnapshotUser, compareState } from './compare-state.ts';
import { type Api, type RoleChoice, createDirectoryDriver } from './directory-moves.ts';
import { expectedState } from './expected-state.ts';
import { createHandFaults } from './hand-faults.ts';
import { type RecordedWrite, type WriteAudit, auditWrites } from './write-audit.ts';
import { createWorkerPool, startKiller } from './worker-processes.ts';

export interface ChaosOptions {
  seed: number;
  /** PostgreSQL server URL; the run creates and drops its own database there. */
  serverUrl: string;
  users: number;
  groups: number;
  changes: number;
  workers: number;
  /** Pause between directory changes, ms (uniform in the range). */
  changeGapMs: [number, number];
  /** Pause between worker kills, ms (uniform in the range). */
  killEveryMs: [number, number];
  /** Compare Zendesk groups and memberships with the assigned directory groups (default true). */
  checkGroups?: boolean;
  /** How long convergence may take once faults stop, ms. */
  convergeTimeoutMs: number;
  /**
   * After the last kill, faults stay on this long (ms) while a full cycle and the queued work run
   * under them, before they stop for the verdict (default 0: faults stop with the last kill).
   */
  soakMs?: number;
  /** `classic`: issue 5's rates; `strong`: about twice as many errors and drops (default classic). */
  faultRates?: 'classic' | 'strong';
  /** Faults made in Zendesk itself (hand-faults.ts): chance per directory change of an edit / a duplicate by hand; one target reset mid-sequence. */
  hand?: { edits: number; duplicates: number; targetReset: boolean };
  /** Progress lines (the bench prints them; the test keeps them for a failure message). */
  log?: (line: string) => void;
  /** Leave the scratch database in place when the seed finds problems (the bench's --keep-failed), to read its log. */
  keepFailedDatabase?: boolean;
}

export interface ChaosResult {
  seed: number;
  /** Empty when the sandbox equals the expected state. */
  problems: string[];
  moves: Record<string, number>;
  refused: number;
  kills: number;
  workerStarts: number;
  workerCrashes: number;
  /** Full cycles requested after the faults stopped until one ran (more than 1: a request was dropped, see the run's log). */
  cycleRequests: number;
  expectedAccounts: number;
  /** The cycles and batches of the run, relative to the start of the change sequence. */
  timeline: string[];
  /** Provisioning events (by status) logged while faults and kills were on: the engine really worked under them. */
  eventsUnderFaults: Record<string, number>;
  faults: { injected: number; dropped: number; rateLimited: number; requests: number; byStatus: Record<string, number>; /** Injected faults (errors, storms, drops) per request that reached the sandbox. */ share: number };
  /** The write audit (write-audit.ts): `problems` empty when no write reached a mismatched account. */
  writes: WriteAudit;
  /** Faults made by hand in Zendesk, by kind. */
  hand: Record<string, number>;
  /** `soak`: faults on after the last kill. */
  ms: { sequence: number; soak: number; converge: number; total: number };
  logDir: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- control API bodies read loosely

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const random = seededRandom(o.seed);
  const between = ([a, b]: [number, number]) => a + random() * (b - a);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-chaos-${o.seed}-`));
  const scratch = await createScratchDatabase(o.serverUrl, 'roster_chaos', { template: pgTemplateOf() });
  let keep = false;
  const cleanup: (() => Promise<unknown>)[] = [() => (keep ? Promise.resolve(o.log?.(`kept the scratch database ${scratch.url}`)) : scratch.drop())];
  try {
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir: os.tmpdir(), poolSize: 4 });
    cleanup.unshift(() => database.close());
    const sandbox = createSandbox();
    const sandboxUrl = (await sandbox.listen(0)).url;
    cleanup.unshift(() => sandbox.close());
    // The queue's schema first (pg-boss creates it), then the workers, which create the job queues the API enqueues to.
    const queue = await startQueue(database, { supervise: false });
    cleanup.unshift(() => queue.stop({ graceful: false, wait: true, timeout: 5_000 }));
    const pool = createWorkerPool({ databaseUrl: scratch.url, secretKeyHex: TEST_SECRET_KEY_HEX, zendeskUrl: `${sandboxUrl}/{subdomain}`, logDir, size: o.workers });
    cleanup.unshift(() => pool.stop());
    await pool.start();
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: logDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
    if (!config.ok) throw new Error(config.error.join('\n'));
    const { app } = await buildApp({ database, config: config.value, queue });
    cleanup.unshift(() => app.close());
    const { headers } = await createTestAdmin(database.db, { role: 'owner' });

    const { api, must } = ownerApi(app, headers);
    const control = async (method: string, p: string, body?: unknown): Promise<Json> => {
      const r = await fetch(`${sandboxUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (r.status >= 300) throw new Error(`sandbox ${method} ${p} → ${r.status} ${await r.text()}`);
      return (await r.json()) as Json;
    };

    // Zendesk's real limits (Enterprise Plus: 2,500 requests a minute, 5 updates a minute per user), fast job queue.
    const sub = `chaos-${o.seed}`;
    const { account } = await control('POST', '/__sandbox/accounts', { subdomain: sub, plan: 'enterprise_plus', pace: { queueDelayMs: 50, perItemMs: 2 } });
    const appId = (await must('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } }))['id'] as string;
    await must('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await must('GET', `/api/apps/${appId}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    const tested = await must('POST', `/api/apps/${appId}/provisioning/test`);
    if (!tested['ok']) throw new Error(`test connection failed: ${JSON.stringify(tested)}`);
    const available = (await must('GET', `/api/apps/${appId}/provisioning/roles`))['items'] as Json[];
    const roles: RoleChoice[] = [{ key: 'end-user' }, { key: 'agent' }, { key: 'admin' }];
    const light = available.find((r) => r['label'] === 'Light agent');
    if (light) roles.push({ key: light['key'], label: light['label'] });

    const driver = createDirectoryDriver(api, appId, roles, random, `s${o.seed}`);
    await driver.seed(o.users, o.groups);
    log(`seed ${o.seed}: directory seeded (${o.users} users, ${o.groups} groups); faults on, provisioning on`);

    const strong = o.faultRates === 'strong';
    const faults = (storm: boolean) => ({
      seed: o.seed,
      errorRate: strong ? 0.2 : 0.1,
      serviceUnavailableRate: strong ? 0.06 : 0.03,
      retryAfterSec: 1,
      latencyMs: { fixed: 0, random: strong ? 1_000 : 2_000 },
      dropRate: strong ? 0.04 : 0.02,
      jobFailureRate: 0.1,
      ...(storm ? { rateLimitStorm: { count: 15, untilMs: 1_500 } } : {}),
    });
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    cleanup.unshift(() => db.end());
    const hand = createHandFaults({ sandboxUrl, sub, adminEmail: account.adminEmail, apiToken: account.apiToken, db, random });
    // Switching on tests the connection first, so the faults start right after it.
    await must('POST', `/api/apps/${appId}/provisioning/enable`);
    await control('PUT', `/__sandbox/accounts/${sub}/faults`, faults(true));

    // The sequence, with a killer beside it: SIGKILL a worker, restart it a moment later.
    const killer = startKiller({
      pool, workers: o.workers, killEveryMs: o.killEveryMs, random, log, seed: o.seed,
      afterKill: async () => {
        if (random() < 0.4) await control('PUT', `/__sandbox/accounts/${sub}/faults`, faults(true));
      },
    });
    const sequenceStart = Date.now();
    // The reset comes once enough accounts exist for stale links to matter: mid-sequence, or in the soak.
    const resetAt = o.hand?.targetReset ? Math.floor(o.changes * (0.3 + random() * 0.4)) : -1;
    let resetDone = false;
    const managedAccounts = async () => ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`))['users'] as Json[]).filter((u) => !u.owner && u.active && u.external_id).length;
    const reset = async (when: string) => {
      await hand.reset();
      resetDone = true;
      log(`seed ${o.seed}: target reset (users forgotten, ids reused) ${when}`);
    };
    for (let i = 0; i < o.changes; i++) {
      await driver.step();
      if (o.hand && random() < o.hand.edits) log(`seed ${o.seed}: ${(await hand.edit()) ?? 'no edit by hand possible'}`);
      if (o.hand && random() < o.hand.duplicates) log(`seed ${o.seed}: duplicate by hand ${(await hand.duplicate()) ?? 'not possible'}`);
      if (i >= resetAt && resetAt >= 0 && !resetDone && (await managedAccounts()) >= Math.min(10, o.users / 4)) await reset(`after change ${i + 1}`);
      await sleep(between(o.changeGapMs));
    }
    await killer.stop();
    const sequenceMs = Date.now() - sequenceStart;

    // Soak: every worker up, no more kills, faults still on. A full cycle must complete under them;
    // then edits by hand (and the target reset if it has not happened yet), a few directory changes
    // on the links they made stale, and another full cycle under faults; at least `soakMs` in all.
    let soakMs = 0;
    if ((o.soakMs ?? 0) > 0) {
      const soakStart = Date.now();
      const soakDeadline = soakStart + o.convergeTimeoutMs;
      await Promise.all(Array.from({ length: o.workers }, (_, i) => pool.restart(i)));
      await control('PUT', `/__sandbox/accounts/${sub}/faults`, faults(true));
      log(`seed ${o.seed}: soak, faults on after the last kill`);
      await fullCycleUnderFaults(db, appId, () => must('POST', `/api/apps/${appId}/provisioning/cycles`), soakDeadline, log, o.seed);
      if (o.hand) {
        for (let i = 0; i < 4; i++) log(`seed ${o.seed}: ${(await hand.edit()) ?? 'no edit by hand possible'}`);
        if (o.hand.targetReset && !resetDone) await reset('in the soak');
        for (let i = 0; i < 5; i++) {
          await driver.step();
          await sleep(between(o.changeGapMs));
        }
        await fullCycleUnderFaults(db, appId, () => must('POST', `/api/apps/${appId}/provisioning/cycles`), soakDeadline, log, o.seed);
      }
      const left = soakStart + o.soakMs! - Date.now();
      if (left > 0) await sleep(left);
      soakMs = Date.now() - soakStart;
    }

    // Faults off, every worker up, one full cycle after the last change; then the queue drains.
    await control('PUT', `/__sandbox/accounts/${sub}/faults`, {});
    const underFaults = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from provisioning_events where application_id = $1 group by status', [appId]);
    const eventsUnderFaults = Object.fromEntries(underFaults.rows.map((r) => [r.status, r.n]));
    await Promise.all(Array.from({ length: o.workers }, (_, i) => pool.restart(i)));
    const { convergeMs, cycleRequests } = await converge(db, appId, () => must('POST', `/api/apps/${appId}/provisioning/cycles`), o, logDir, log);

    const timeline = await cycleTimeline(db, appId, sequenceStart);
    const expected = await expectedState(scratch.url, appId);
    const snap = await control('GET', `/__sandbox/accounts/${sub}/snapshot`);
    const problems = compareState(expected, snap['users'] as SnapshotUser[], o.checkGroups === false ? undefined : (snap as unknown as SnapshotGroups), hand.duplicates);
    const counters = snap['counters'] as Json;
    const recorded = (await control('GET', `/__sandbox/accounts/${sub}/writes?since=0`))['writes'] as RecordedWrite[];
    const writes = await auditWrites(db, appId, recorded);
    keep = (problems.length > 0 || writes.problems.length > 0) && o.keepFailedDatabase === true;
    if (keep) fs.writeFileSync(path.join(logDir, 'writes.json'), JSON.stringify(recorded, null, 1));
    const stats = pool.stats();
    const moves = driver.stats();
    return {
      seed: o.seed,
      problems,
      eventsUnderFaults,
      timeline,
      moves: moves.moves,
      refused: moves.refused,
      kills: stats.kills,
      workerStarts: stats.starts,
      workerCrashes: stats.crashes,
      cycleRequests,
      expectedAccounts: expected.accounts.size,
      faults: {
        injected: counters['faultsInjected'],
        dropped: counters['dropped'],
        rateLimited: counters['rateLimited'],
        requests: counters['requests'] + counters['dropped'],
        byStatus: counters['byStatus'],
        share: counters['faultsInjected'] / Math.max(1, counters['requests'] + counters['dropped']),
      },
      writes,
      hand: hand.stats(),
      ms: { sequence: sequenceMs, soak: soakMs, converge: convergeMs, total: Date.now() - started },
      logDir,
    };
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}

/**
 * Requests full cycles until one started after the first request completes (faults on: one may fail,
 * or be dropped while a killed worker's lease is still held), or the deadline passes.
 */
/** The API as the owner, in process: `api` answers any status, `must` throws on a status ≥ 300. */
export function ownerApi(app: ApiApp, headers: Record<string, string>): { api: Api; must: (method: Parameters<Api>[0], url: string, body?: unknown) => Promise<Json> } {
  const api: Api = async (method, url, body) => {
    const r = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.body ? (r.json() as Json) : {} };
  };
  const must = async (method: Parameters<Api>[0], url: string, body?: unknown): Promise<Json> => {
    const r = await api(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return { api, must };
}

/**
 * Faults off and workers up: requests a full cycle (again when one fails or the request is dropped
 * behind a killed worker's lease) until one completes after the request, then waits for the queue to drain.
 */
export async function converge(db: pg.Client, appId: string, request: () => Promise<unknown>, o: { seed: number; convergeTimeoutMs: number }, logDir: string, log: (line: string) => void): Promise<{ convergeMs: number; cycleRequests: number }> {
  const convergeStart = Date.now();
  const deadline = convergeStart + o.convergeTimeoutMs;
  const now = async () => (await db.query<{ now: Date }>('select now()')).rows[0]!.now;
  let cycleRequests = 0;
  let requestedAt = await now();
  const requestCycle = async () => {
    requestedAt = await now();
    cycleRequests += 1;
    await request();
  };
  await requestCycle();
  for (;;) {
    if (Date.now() > deadline) throw new Error(`seed ${o.seed}: no full cycle completed within ${o.convergeTimeoutMs} ms after the faults stopped (logs in ${logDir})`);
    const cycles = (await db.query<{ status: string }>(`select status from provisioning_cycles where application_id = $1 and kind <> 'incremental' and started_at >= $2`, [appId, requestedAt])).rows;
    if (cycles.some((c) => c.status === 'completed')) break;
    if (cycles.some((c) => c.status === 'failed')) await requestCycle();
    else if (cycles.length === 0 && !(await cycleQueued(db, requestedAt)) && !(await liveCycle(db, appId))) {
      // Dropped: a worker saw a running cycle (one started before the request, or a killed worker's lease not yet stale).
      if (cycleRequests === 1) log(`seed ${o.seed}: the full cycle request was dropped (a running cycle's lease, maybe a killed worker's); requesting again every 0.5 s`);
      await requestCycle();
    }
    await sleep(500);
  }
  await drained(db, appId, deadline);
  return { convergeMs: Date.now() - convergeStart, cycleRequests };
}

/** The application's cycles as lines for a failure message: kind, status, start → end from the sequence's start, counts, error code. */
export async function cycleTimeline(db: pg.Client, appId: string, sequenceStart: number): Promise<string[]> {
  const rows = (
    await db.query<{ kind: string; status: string; s: number; f: number | null; counts: Record<string, number>; error: { code?: string } | null }>(
      `select kind, status, extract(epoch from started_at) * 1000 as s, extract(epoch from finished_at) * 1000 as f, counts, error from provisioning_cycles where application_id = $1 order by started_at`,
      [appId],
    )
  ).rows;
  return rows.map((c) => {
    const counts = Object.entries(c.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    return `${c.kind} ${c.status} +${((c.s - sequenceStart) / 1000).toFixed(1)} s${c.f ? ` → +${((c.f - sequenceStart) / 1000).toFixed(1)} s` : ''}${counts ? ` (${counts})` : ''}${c.error?.code ? ` [${c.error.code}]` : ''}`;
  });
}

export async function fullCycleUnderFaults(db: pg.Client, applicationId: string, request: () => Promise<unknown>, deadline: number, log: (line: string) => void, seed: number): Promise<boolean> {
  const since = (await db.query<{ now: Date }>('select now()')).rows[0]!.now;
  await request();
  let lastRequest = Date.now();
  while (Date.now() < deadline) {
    const cycles = (await db.query<{ status: string }>(`select status from provisioning_cycles where application_id = $1 and kind <> 'incremental' and started_at >= $2`, [applicationId, since])).rows;
    if (cycles.some((c) => c.status === 'completed')) return true;
    if (!cycles.some((c) => c.status === 'running') && Date.now() - lastRequest > 5_000) {
      await request();
      lastRequest = Date.now();
    }
    await sleep(500);
  }
  log(`seed ${seed}: no full cycle completed under faults before the deadline`);
  return false;
}

/** A full cycle running with a live heartbeat. */
export async function liveCycle(db: pg.Client, applicationId: string): Promise<boolean> {
  const r = await db.query(`select 1 from provisioning_cycles where application_id = $1 and status = 'running' and kind <> 'incremental' and heartbeat_at > now() - interval '15 seconds' limit 1`, [applicationId]);
  return (r.rowCount ?? 0) > 0;
}

/** A provisioning.cycle job waiting or running since `since`. */
export async function cycleQueued(db: pg.Client, since: Date): Promise<boolean> {
  const r = await db.query(`select 1 from pgboss.job where name = 'provisioning.cycle' and state in ('created', 'retry', 'active') and created_on >= $1 limit 1`, [since]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * Drained: no provisioning job waiting that is due, and no cycle or batch running with a live
 * heartbeat, three checks in a row. (A job a killed worker held stays `active` in pg-boss until it
 * expires; its lease's heartbeat stops, which is what counts.)
 */
export async function drained(db: pg.Client, applicationId: string, deadline: number): Promise<void> {
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error('the queue did not drain before the deadline');
    const jobs = await db.query(`select 1 from pgboss.job where name in ('provisioning.sync', 'provisioning.sync.quick', 'provisioning.cycle') and state in ('created', 'retry') and start_after <= now() + interval '3 seconds' limit 1`);
    const running = await db.query(`select 1 from provisioning_cycles where application_id = $1 and status = 'running' and heartbeat_at > now() - interval '15 seconds' limit 1`, [applicationId]);
    quiet = (jobs.rowCount ?? 0) + (running.rowCount ?? 0) === 0 ? quiet + 1 : 0;
    await sleep(1_000);
  }
}
