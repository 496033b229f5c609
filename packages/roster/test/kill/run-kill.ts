/**
 * The kill test (issue 11, proof of items 3–4), shared by the CI test and bench/kill-takeover.ts:
 * real `roster worker` processes on a scratch PostgreSQL database, the sandbox and Roster's API in
 * this process. Per job kind, a run that creates `users` accounts is started, the worker holding its
 * lease is SIGKILLed mid-run (its pid is in the lease's holder), and the clock runs until every
 * change is visible: every account in Zendesk with its external id, active, and linked in Roster,
 * with no duplicate. The other worker must take over; nothing is requested again by hand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { SnapshotUser } from '../chaos/compare-state.ts';
import { createWorkerPool } from '../chaos/worker-processes.ts';
import { type Json, openEngineHarness } from '../engine-harness.ts';
import { TEST_SECRET_KEY_HEX } from '../test-app.ts';

/**
 * `incremental`: a group of users assigned to a running application (one outbox change → one batch
 * with the group). `cycle`: users assigned before provisioning is switched on (the initial cycle).
 * `kept_plan`: the same with approval required, the plan approved (the apply job).
 */
export type KillKind = 'incremental' | 'cycle' | 'kept_plan';
export const KILL_KINDS: readonly KillKind[] = ['incremental', 'cycle', 'kept_plan'];

export interface KillOptions {
  serverUrl: string;
  kinds: readonly KillKind[];
  /** Runs per kind. */
  rounds: number;
  users: number;
  /** Sandbox job pace per item, ms (slows bulk jobs so the kill lands mid-run). */
  perItemMs?: number;
  /** Give up waiting for a run to become visible after this long, ms. */
  visibleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface KillRun {
  kind: KillKind;
  round: number;
  /** Accounts in Zendesk when the worker was killed (of `users`). */
  atKill: number;
  /** Seconds from the SIGKILL until every change was visible (null: not within the timeout). */
  visibleSeconds: number | null;
  /** Seconds from the SIGKILL until another worker closed the dead lease and re-enqueued its scope. */
  takeoverSeconds: number | null;
  problems: string[];
}

export interface KillResult {
  runs: KillRun[];
  logDir: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Tries per kind and round before a run that always finishes before the kill is left uncounted. */
const LATE_ATTEMPTS = 3;

export async function runKill(o: KillOptions): Promise<KillResult> {
  const log = o.log ?? (() => undefined);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-kill-'));
  // The API, the sandbox and the database in this process (the one engine harness); the workers are processes.
  const h = await openEngineHarness('postgres', { worker: false, serverUrl: o.serverUrl });
  const cleanup: (() => Promise<unknown>)[] = [() => h.close()];
  try {
    const { sandboxUrl } = h;
    const databaseUrl = h.t.location.databaseUrl!;
    const pool = createWorkerPool({ databaseUrl, secretKeyHex: TEST_SECRET_KEY_HEX, zendeskUrl: `${sandboxUrl}/{subdomain}`, logDir, size: 2 });
    cleanup.unshift(() => pool.stop());
    await pool.start();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanup.unshift(() => db.end());

    const must = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown, extra: Record<string, string> = {}): Promise<Json> => {
      const r = await h.request(method, url, body, extra);
      if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
      return r.body ? (r.json() as Json) : {};
    };
    const control = async (method: string, p: string, body?: unknown): Promise<Json> => {
      const r = await fetch(`${sandboxUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (r.status >= 300) throw new Error(`sandbox ${method} ${p} → ${r.status} ${await r.text()}`);
      return (await r.json()) as Json;
    };

    let serial = 0;
    const runs: KillRun[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      // A run whose accounts all land before the kill can (one bulk job, a slow poll under load) is
      // tried again on a new account with a slower job pace: every kind must be killed mid-run once a round.
      for (const kind of o.kinds) for (let attempt = 1; attempt <= LATE_ATTEMPTS; attempt++) {
        const sub = `kill-${kind.replace('_', '')}-${round}${attempt > 1 ? `-try${attempt}` : ''}`;
        const perItemMs = (o.perItemMs ?? 25) * 2 ** (attempt - 1);
        const { account } = await control('POST', '/__sandbox/accounts', { subdomain: sub, plan: 'enterprise_plus', pace: { queueDelayMs: 50, perItemMs } });
        const appId = (await must('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } }))['id'] as string;
        await must('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await must('GET', `/api/apps/${appId}/provisioning`))['version'], method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
        if (kind === 'kept_plan') {
          const cfg = await must('GET', `/api/apps/${appId}/provisioning`);
          await must('PATCH', `/api/apps/${appId}/provisioning`, { settings: { requireApproval: true }, version: cfg['version'] });
        }
        // The directory: users in one group.
        const group = await must('POST', '/api/groups', { name: `Kill ${sub}` });
        const userIds: string[] = [];
        for (let i = 0; i < o.users; i++) {
          serial += 1;
          userIds.push((await must('POST', '/api/users', { email: `kill${serial}@example.test`, givenName: 'Kill', familyName: `User ${serial}`, displayName: `Kill User ${serial}` }))['id'] as string);
        }
        await must('POST', `/api/groups/${group['id']}/members/bulk`, { members: userIds.map((id) => ({ memberType: 'user', memberId: id })) });
        const assign = () => must('POST', `/api/apps/${appId}/assignments`, { principalType: 'group', principalId: group['id'], role: 'end-user' });

        let leaseKind: string;
        if (kind === 'incremental') {
          await must('POST', `/api/apps/${appId}/provisioning/enable`);
          await waitFor('the initial (empty) cycle', 60_000, async () => (await db.query(`select 1 from provisioning_cycles where application_id = $1 and kind = 'initial' and status = 'completed'`, [appId])).rowCount === 1);
          await assign();
          leaseKind = 'incremental';
        } else if (kind === 'cycle') {
          await assign();
          await must('POST', `/api/apps/${appId}/provisioning/enable`);
          leaseKind = 'initial';
        } else {
          await assign();
          await must('POST', `/api/apps/${appId}/provisioning/enable`);
          const planId = await waitFor('the plan awaiting approval', 60_000, async () => {
            const r = await db.query<{ plan_id: string | null }>(`select error->>'planId' as plan_id from provisioning_cycles where application_id = $1 and status = 'completed' and error->>'code' = 'awaiting_approval'`, [appId]);
            return r.rows[0]?.plan_id ?? null;
          });
          const plan = await must('GET', `/api/apps/${appId}/provisioning/plans/${planId}`);
          await must('POST', `/api/apps/${appId}/provisioning/plans/${planId}/approve`, undefined, { 'if-match': `"${plan['version']}"` });
          leaseKind = 'approved_plan';
        }

        // Mid-run: the lease is held and the first accounts reached Zendesk (or the run has been going a while).
        const inZendesk = async () => ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`))['users'] as SnapshotUser[]).filter((u) => u.external_id !== null && userIds.includes(u.external_id));
        const victim = await waitFor(`a running ${leaseKind} lease`, 60_000, async () => {
          const r = await db.query<{ holder: string | null; age: number }>(`select holder, extract(epoch from now() - started_at) as age from provisioning_cycles where application_id = $1 and kind = $2 and status = 'running'`, [appId, leaseKind]);
          const lease = r.rows[0];
          if (!lease?.holder) return (await inZendesk()).length >= o.users ? 'late' : null;
          const sent = (await inZendesk()).length;
          if (sent >= o.users) return 'late';
          if (lease.age < 1.5 && sent === 0) return null;
          return Number(lease.holder.split(':')[2]);
        }, 20);
        if (victim === 'late') {
          log(`${kind} round ${round}: every account reached Zendesk before the kill could land (job pace ${perItemMs} ms per item); ${attempt < LATE_ATTEMPTS ? 'trying again slower' : 'run not counted'}`);
          continue;
        }
        process.kill(victim, 'SIGKILL');
        const killedAt = Date.now();
        const killedAtDb = (await db.query<{ t: number }>('select extract(epoch from clock_timestamp())::float8 as t')).rows[0]!.t;
        const atKill = (await inZendesk()).length;
        log(`${kind} round ${round}: SIGKILL worker pid ${victim} with ${atKill}/${o.users} accounts in Zendesk`);

        const problems: string[] = [];
        let visibleSeconds: number | null = null;
        const deadline = killedAt + (o.visibleTimeoutMs ?? 60_000);
        for (;;) {
          const accounts = await inZendesk();
          const linked = (await db.query<{ n: number }>(`select count(*)::int as n from links where application_id = $1 and object_type = 'user'`, [appId])).rows[0]!.n;
          const ok = accounts.length === o.users && new Set(accounts.map((a) => a.external_id)).size === o.users && accounts.every((a) => a.active && !a.suspended) && linked === o.users;
          if (ok) {
            visibleSeconds = (Date.now() - killedAt) / 1000;
            break;
          }
          if (Date.now() > deadline) {
            problems.push(`${kind} round ${round}: after ${(o.visibleTimeoutMs ?? 60_000) / 1000} s, ${accounts.length} accounts in Zendesk (${new Set(accounts.map((a) => a.external_id)).size} distinct), ${linked} linked, of ${o.users}; ${await story(db, appId)}`);
            break;
          }
          await sleep(100);
        }
        const lost = await db.query<{ t: number }>(`select extract(epoch from finished_at)::float8 as t from provisioning_cycles where application_id = $1 and error->>'code' = 'worker_lost'`, [appId]);
        const takeoverSeconds = lost.rows[0] ? Math.max(0, lost.rows[0].t - killedAtDb) : null;
        log(`${kind} round ${round}: ${visibleSeconds === null ? 'NOT visible' : `visible ${visibleSeconds.toFixed(1)} s after the kill`}; lease taken over after ${takeoverSeconds === null ? '?' : takeoverSeconds.toFixed(1)} s`);
        runs.push({ kind, round, atKill, visibleSeconds, takeoverSeconds, problems });
        // The killed slot comes back for the next run (one at a time: the other worker is there all along).
        for (let i = 0; i < 2; i++) if (!pool.alive(i)) await pool.restart(i);
        break;
      }
    }
    return { runs, logDir };
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}

/** The application's runs, plans and provisioning jobs, for a failure message. */
async function story(db: pg.Client, appId: string): Promise<string> {
  const cycles = await db.query(`select kind, status, error->>'code' as code, counts, scope from provisioning_cycles where application_id = $1 order by started_at`, [appId]);
  const plans = await db.query(`select kind, status, reason->'result' as result from provisioning_plans where application_id = $1 order by created_at`, [appId]);
  const jobs = await db.query(`select name, state, data, output from pgboss.job where name like 'provisioning.%' and (data->>'applicationId' = $1 or name = 'provisioning.plan') and name <> 'provisioning.relay' order by created_on`, [appId]);
  return `runs ${JSON.stringify(cycles.rows)}; plans ${JSON.stringify(plans.rows)}; jobs ${JSON.stringify(jobs.rows)}`;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | false>, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** p-th percentile (nearest rank) of the values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
