/**
 * The chaos run against a SCIM 2.0 app (issue 16): the same shape as run-chaos.ts — Roster's API
 * in this process, real `roster worker` processes on a scratch PostgreSQL database, seeded directory
 * changes while workers are SIGKILLed and restarted, faults on through a soak after the last kill —
 * with the SCIMMY test peer (connectors/scim/scim-peer.test-support.ts, in this process) as the
 * target. Its fault proxy injects 500s, 503s with Retry-After, a 429 storm, latency, and
 * connections dropped before the app sees a request or after it processed it (the answer lost: a
 * create must be looked up, never repeated blindly). Once faults stop, a full cycle runs and the
 * queue drains, the peer must hold exactly the expected state (expected-state.ts with the SCIM
 * gallery entry's role ranks; compare-state.ts): one account per assigned user with its name,
 * email, role and active flag, no duplicate, none for an unassigned or deleted user, and each
 * assigned group once with its active members (SCIM groups take every role). The write audit
 * (write-audit.ts) reads the peer's record of every write with the account's state before it
 * (`peer.writes()`): no update, delete or membership change reached an account whose externalId
 * was not the directory user Roster meant.
 *
 * Not covered here (run-chaos.ts covers them against the Zendesk sandbox): edits by hand in the
 * target, duplicates by hand and a target reset.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { scimGalleryEntry } from '../../src/connectors/scim/gallery.ts';
import { PEER_TOKEN, startScimPeer } from '../../src/connectors/scim/scim-peer.test-support.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { createScratchDatabase, pgTemplateOf } from '../scratch-database.ts';
import { seededRandom } from '../seeded-random.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../test-app.ts';
import { type SnapshotGroups, type SnapshotUser, compareState } from './compare-state.ts';
import { createDirectoryDriver } from './directory-moves.ts';
import { expectedState } from './expected-state.ts';
import { type ChaosOptions, type ChaosResult, converge, cycleTimeline, fullCycleUnderFaults, ownerApi } from './run-chaos.ts';
import { createWorkerPool, startKiller } from './worker-processes.ts';
import { auditWrites } from './write-audit.ts';

/** ChaosOptions; `hand` and `keepFailedDatabase` are not used against SCIM. */
export type ScimChaosOptions = ChaosOptions;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Rec = Record<string, unknown> & { id: string };

/** A SCIM User as compare-state.ts reads a target account (its ids are the peer's strings). */
function snapshotUser(u: Rec): SnapshotUser {
  const emails = (u['emails'] as { value?: string; primary?: boolean }[] | undefined) ?? [];
  const email = (emails.find((e) => e.primary) ?? emails[0])?.value ?? null;
  const roles = ((u['roles'] as { value?: string }[] | undefined) ?? []).map((r) => r.value).filter((v): v is string => typeof v === 'string');
  return {
    id: u.id as unknown as number,
    external_id: typeof u['externalId'] === 'string' ? u['externalId'] : null,
    email,
    name: typeof u['displayName'] === 'string' ? u['displayName'] : '',
    role: roles[0] ? `role:${roles[0]}` : 'user',
    custom_role_id: null,
    suspended: u['active'] === false,
    // SCIM deletes are DELETEs: every account the app holds is live.
    active: true,
    owner: false,
  };
}

export async function runChaosScim(o: ScimChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const random = seededRandom(o.seed);
  const between = ([a, b]: [number, number]) => a + random() * (b - a);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-chaos-scim-${o.seed}-`));
  const scratch = await createScratchDatabase(o.serverUrl, 'roster_chaos_scim', { template: pgTemplateOf() });
  const cleanup: (() => Promise<unknown>)[] = [() => scratch.drop()];
  try {
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir: os.tmpdir(), poolSize: 4 });
    cleanup.unshift(() => database.close());
    // Bulk on, small pages: creates in /Bulk, memberships as PATCHes inside /Bulk, lists over several pages.
    // A declared limit well above the run's pace: the answers carry rate-limit headers (as apps that limit do), so the 429 storms pause the shared pacer without cutting its limit.
    const peer = await startScimPeer({ bulk: { maxOperations: 50, maxPayloadSize: 1_048_576 }, maxResults: 50, empty: true, requestsPerMinute: 3_000 });
    cleanup.unshift(() => peer.close());
    const queue = await startQueue(database, { supervise: false });
    cleanup.unshift(() => queue.stop({ graceful: false, wait: true, timeout: 5_000 }));
    // The workers never reach Zendesk; the SCIM app's address is in its settings.
    const pool = createWorkerPool({ databaseUrl: scratch.url, secretKeyHex: TEST_SECRET_KEY_HEX, zendeskUrl: 'http://127.0.0.1:9/{subdomain}', logDir, size: o.workers });
    cleanup.unshift(() => pool.stop());
    await pool.start();
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: logDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX });
    if (!config.ok) throw new Error(config.error.join('\n'));
    const { app } = await buildApp({ database, config: config.value, queue });
    cleanup.unshift(() => app.close());
    const { headers } = await createTestAdmin(database.db, { role: 'owner' });
    const { api, must } = ownerApi(app, headers);

    const appId = (await must('POST', '/api/apps', { type: 'scim', displayName: `SCIM chaos ${o.seed}`, settings: { baseUrl: `${peer.baseUrl}/`, roleValues: 'agent' } }))['id'] as string;
    await must('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await must('GET', `/api/apps/${appId}/provisioning`)).version, method: 'bearer', token: PEER_TOKEN });
    const tested = await must('POST', `/api/apps/${appId}/provisioning/test`);
    if (!tested['ok']) throw new Error(`test connection failed: ${JSON.stringify(tested)}`);
    const driver = createDirectoryDriver(api, appId, [{ key: 'user' }, { key: 'role:agent' }], random, `s${o.seed}`);
    await driver.seed(o.users, o.groups);
    log(`seed ${o.seed}: directory seeded (${o.users} users, ${o.groups} groups); faults on, provisioning on`);

    const strong = o.faultRates === 'strong';
    let storms = 0;
    const faults = (storm: boolean) => ({
      random: {
        seed: o.seed * 1_000 + storms++,
        errorRate: strong ? 0.2 : 0.1,
        unavailableRate: strong ? 0.06 : 0.03,
        retryAfterSeconds: 1,
        dropRate: strong ? 0.04 : 0.02,
        latencyMaxMs: strong ? 1_000 : 2_000,
        ...(storm ? { stormCount: 15 } : {}),
        // At least one lost answer per fault set, however few requests the run makes (else a short
        // run can roll no drop at all: 0 of 31 at 4 % happens about one run in four).
        loseAnswerAt: 3,
      },
    });
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    cleanup.unshift(() => db.end());
    await must('POST', `/api/apps/${appId}/provisioning/enable`);
    peer.faults(faults(true));

    const killer = startKiller({
      pool, workers: o.workers, killEveryMs: o.killEveryMs, random, log, seed: o.seed,
      afterKill: () => {
        if (random() < 0.4) peer.faults(faults(true));
      },
    });
    const sequenceStart = Date.now();
    for (let i = 0; i < o.changes; i++) {
      await driver.step();
      await sleep(between(o.changeGapMs));
    }
    await killer.stop();
    const sequenceMs = Date.now() - sequenceStart;

    let soakMs = 0;
    if ((o.soakMs ?? 0) > 0) {
      const soakStart = Date.now();
      await Promise.all(Array.from({ length: o.workers }, (_, i) => pool.restart(i)));
      peer.faults(faults(true));
      log(`seed ${o.seed}: soak, faults on after the last kill`);
      await fullCycleUnderFaults(db, appId, () => must('POST', `/api/apps/${appId}/provisioning/cycles`), soakStart + o.convergeTimeoutMs, log, o.seed);
      const left = soakStart + o.soakMs! - Date.now();
      if (left > 0) await sleep(left);
      soakMs = Date.now() - soakStart;
    }

    // Faults off, every worker up, one full cycle after the last change; then the queue drains.
    const faultStats = peer.faultStats();
    peer.faults({});
    const underFaults = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from provisioning_events where application_id = $1 group by status', [appId]);
    const eventsUnderFaults = Object.fromEntries(underFaults.rows.map((r) => [r.status, r.n]));
    await Promise.all(Array.from({ length: o.workers }, (_, i) => pool.restart(i)));
    const { convergeMs, cycleRequests } = await converge(db, appId, () => must('POST', `/api/apps/${appId}/provisioning/cycles`), o, logDir, log);

    const timeline = await cycleTimeline(db, appId, sequenceStart);
    const expected = await expectedState(scratch.url, appId, scimGalleryEntry.roleRank);
    // A SCIM group takes every role: each active account of a direct member must be in it.
    for (const g of expected.groups) g.members = new Set([...g.anyMembers].filter((id) => expected.accounts.get(id)?.suspended === false));
    const users = peer.users().map(snapshotUser);
    const groups: SnapshotGroups = {
      groups: peer.groups().map((g) => ({ id: g.id as unknown as number, name: String(g['displayName'] ?? ''), deleted: false, default: false })),
      group_memberships: peer.groups().flatMap((g) => ((g['members'] as { value: string }[] | undefined) ?? []).map((m) => ({ user_id: m.value as unknown as number, group_id: g.id as unknown as number }))),
    };
    const problems = compareState(expected, users, groups);
    const writes = await auditWrites(db, appId, peer.writes());
    const stats = pool.stats();
    const moves = driver.stats();
    const total = faultStats.requests;
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
      faults: { injected: faultStats.injected, dropped: faultStats.dropped, rateLimited: faultStats.rateLimited, requests: total, byStatus: {}, share: faultStats.injected / Math.max(1, total) },
      writes,
      hand: {},
      ms: { sequence: sequenceMs, soak: soakMs, converge: convergeMs, total: Date.now() - started },
      logDir,
    };
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}
