/**
 * Initial sync into a SCIM 2.0 application (issue 16): N directory users and G groups, each user a
 * member of one group (group 0 holds min(5,000, N/2) users, the rest are spread over the others),
 * every group assigned (role `user`), into an empty SCIMMY peer whose proxy enforces a declared
 * limit of R requests per minute (sliding 60 s window, 429 + Retry-After above it; every answer
 * carries `X-RateLimit-Limit/Remaining/Reset` and `RateLimit-Policy: R;w=60`). `--declared headers`
 * (default): Roster learns R from those headers (connectors/scim/rate-headers.ts) — its pacer starts
 * at the connector's `rateBudget` (300/min assumed) until the first answer; `--declared budget`
 * stores R in the app's shared budget row (`rate_budgets`, source `target`) before the sync.
 *
 * Floor = the fewest requests the sync needs, divided by R:
 *   reads: 1 list of users + 1 list of groups (discovery — ServiceProviderConfig, ResourceTypes, Schemas —
 *          is read by Test connection before the sync, as an admin must, and shared: connectors/scim/discovery-cache.ts);
 *   bulk on:  ceil(N / maxOperations) user creates + ceil(G / maxOperations) group creates
 *             + ceil(M / maxOperations) for the M = N membership adds as PATCH operations inside
 *             /Bulk (the payloads fit maxPayloadSize at these sizes);
 *   bulk off: N user POSTs + G group POSTs + G PATCHes (one per group, adding its members:
 *             a PATCH `add` of `members` takes a list).
 * The bench also prints the ratio to the requests actually sent at R (how well the pacer fills the limit).
 * Then one member of the big group (also assigned directly, so the account stays) leaves it, and
 * the requests and bytes for that change are counted.
 * The peer (SCIMMY and its proxy) runs in a child process (bench/scim-peer-process.ts): Roster's CPU
 * (this process: engine, API, PGlite when no --database-url) and the peer's CPU are printed apart,
 * and a second floor is printed that counts the peer's own processing time (the peer works through
 * each request before answering; that time is the app's, not Roster's): the longer of the request floor and the time the peer was busy answering the sync's requests.
 * `--keep-alive-ms`: how long the peer keeps an idle connection (Node's default 5,000; 0: never closes
 * one; with 5,000 a /Bulk can be lost: connectors/scim/README.md "Lost /Bulk requests"). `--timeline` prints each request's arrival and answer time from the sync's start.
 *
 *   npx tsx bench/scim-initial-sync.ts [--users 10000] [--groups 1000] [--rpm 600] [--bulk on|off] [--declared headers|budget] [--keep-alive-ms 5000] [--timeline] [--database-url postgres://…]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { buildApp } from '../packages/roster/src/api/app.ts';
import { loadConfig } from '../packages/roster/src/config/config.ts';
import { newToken, sha256 } from '../packages/roster/src/admins/secrets.ts';
import { PEER_TOKEN } from '../packages/roster/src/connectors/scim/scim-peer.test-support.ts';
import { openDatabase } from '../packages/roster/src/db/database.ts';
import { outboxCursors, provisioningConfigs, provisioningCycles } from '../packages/roster/src/db/provisioning-schema.ts';
import { admins, apiTokens, assignments, groupMembers, groups, outbox, users } from '../packages/roster/src/db/schema.ts';
import type { WorkerContext } from '../packages/roster/src/jobs/handler.ts';
import { startQueue } from '../packages/roster/src/jobs/queue.ts';
import { engineEnvFrom } from '../packages/roster/src/provisioning/run/engine-env.ts';
import { runProvisioning } from '../packages/roster/src/provisioning/reconcile/run-provisioning.ts';
import { createProvisioningJobs } from '../packages/roster/src/provisioning/jobs/provisioning-jobs.ts';
import { startWorker } from '../packages/roster/src/runtime/worker.ts';
import { loadAverage } from './sandbox-common.ts';
import { startScimPeerProcess } from './scim-peer-process.ts';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '1000' },
    rpm: { type: 'string', default: '600' },
    bulk: { type: 'string', default: 'on' },
    'max-operations': { type: 'string', default: '1000' },
    declared: { type: 'string', default: 'headers' },
    'database-url': { type: 'string' },
    timeline: { type: 'boolean', default: false },
    'keep-alive-ms': { type: 'string', default: '5000' },
  },
});
const N = Number(args.users);
const G = Number(args.groups);
const RPM = Number(args.rpm);
const BULK = args.bulk !== 'off';
const MAX_OPS = Number(args['max-operations']);
const TARGET_RATIO = 1.15;
const KEY_HEX = '7a'.repeat(32);
/** `budget`: the limit stored in the app's shared budget (`rate_budgets`, source `target`) before the sync; `headers`: learned from the peer's rate-limit headers. */
const DECLARED = args.declared === 'budget' ? 'budget' : 'headers';
const BIG = Math.min(5_000, Math.floor(N / 2));

const peer = await startScimPeerProcess({ bulk: BULK ? { maxOperations: MAX_OPS, maxPayloadSize: 1_048_576 } : false, maxResults: 100, keepAliveTimeoutMs: Number(args['keep-alive-ms']) });
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-scim-bench-'));
const database = await openDatabase({ dataDir, databaseUrl: args['database-url'] ?? process.env['DATABASE_URL'] });
const parsed = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: dataDir, ROSTER_SECRET_KEY: KEY_HEX });
if (!parsed.ok) throw new Error(parsed.error.join('\n'));
const config = parsed.value;
const queue = await startQueue(database, { supervise: true });
const { app } = await buildApp({ database, config, queue });
const abort = new AbortController();
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;

try {
  const token = newToken('rst');
  const [admin] = await database.db.insert(admins).values({ email: 'bench@example.com', name: 'bench', passwordHash: 'x', role: 'owner', permissions: [] }).returning({ id: admins.id });
  await database.db.insert(apiTokens).values({ adminId: admin!.id, name: 'bench', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench reads bodies loosely
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<any> => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.body ? r.json() : {};
  };

  // The directory: N users, G groups, each user in one group.
  const userIds: string[] = [];
  for (let i = 0; i < N; i += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, N - i) }, (_, k) => {
      const n = i + k;
      return { email: `person${n}@scim-bench.example.com`, givenName: 'Person', familyName: String(n), displayName: `Person ${n}`, jobTitle: n % 2 ? 'Support' : 'Sales' };
    });
    userIds.push(...(await database.db.insert(users).values(rows).returning({ id: users.id })).map((r) => r.id));
  }
  const groupIds = (await database.db.insert(groups).values(Array.from({ length: G }, (_, g) => ({ name: g === 0 ? 'Big group' : `Team ${g}` }))).returning({ id: groups.id })).map((r) => r.id);
  const groupOf = (n: number) => (n < BIG || G === 1 ? 0 : 1 + ((n - BIG) % (G - 1)));
  const members = userIds.map((memberId, n) => ({ groupId: groupIds[groupOf(n)]!, memberType: 'user' as const, memberId }));
  for (let i = 0; i < members.length; i += 5_000) await database.db.insert(groupMembers).values(members.slice(i, i + 5_000));

  const appId = (await call('POST', '/api/apps', { type: 'scim', displayName: 'SCIM bench', settings: { baseUrl: `${peer.baseUrl}/` } })).id as string;
  await call('PUT', `/api/apps/${appId}/provisioning/connection`, { version: (await call('GET', `/api/apps/${appId}/provisioning`)).version, method: 'bearer', token: PEER_TOKEN });
  const tested = await call('POST', `/api/apps/${appId}/provisioning/test`);
  if (!tested.ok) throw new Error(`test connection failed: ${JSON.stringify(tested)}`);
  for (let i = 0; i < G; i += 1_000) {
    await database.db.insert(assignments).values(groupIds.slice(i, i + 1_000).map((principalId) => ({ applicationId: appId, principalType: 'group' as const, principalId, role: 'user', roleLabel: 'User' })));
  }
  // The member who leaves the big group later is assigned directly too: leaving changes only the membership.
  await database.db.insert(assignments).values({ applicationId: appId, principalType: 'user', principalId: userIds[1]!, role: 'user', roleLabel: 'User' });
  await database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, appId));
  const ctx: WorkerContext = { database, queue, config, secretKey: Buffer.from(KEY_HEX, 'hex'), log: { info: () => undefined, error: (o, m) => console.error(m, o) } };

  if (DECLARED === 'budget') {
    const account = (await call('GET', `/api/apps/${appId}/provisioning`)).subdomain as string;
    await database.db.execute(sql`insert into rate_budgets (account_key, limit_per_minute, window_started_at, limit_source) values (${`scim:${account}`}, ${RPM}, now() - interval '1 minute', 'target')
      on conflict (account_key) do update set limit_per_minute = excluded.limit_per_minute, limit_source = 'target', used = 0, window_started_at = excluded.window_started_at, blocked_until = null`);
  }
  // The limit declared from here on (a fresh window): the test connection above is not counted.
  await peer.limit(RPM);
  const mark = await peer.requestCount();
  const load0 = loadAverage();
  const cpu0 = process.cpuUsage();
  const peerCpu0 = await peer.cpuMicros();
  const wall0 = Date.now();
  const t0 = performance.now();
  const r = await runProvisioning(engineEnvFrom(ctx), appId, 'initial');
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peerCpuS = ((await peer.cpuMicros()) - peerCpu0) / 1e6;
  const load1 = loadAverage();
  const sent = await peer.requests(mark);
  const [cycle] = await database.db.select().from(provisioningCycles).where(eq(provisioningCycles.id, r.status === 'done' ? r.cycleId : ''));

  const kindOf = (q: { method: string; path: string; body: string; status: number }) => {
    const p = q.path.replace(/^.*\/scim\/v2/, '');
    if (p === '/Bulk') {
      const ops = (JSON.parse(q.body) as { Operations?: { method: string; path: string }[] }).Operations ?? [];
      const what = [...new Set(ops.map((o) => `${o.method} ${o.path.replace(/\/[^/]+$/, '/{id}')}`))].join('+');
      return `POST /Bulk (${what}) → ${q.status}`;
    }
    return `${q.method} ${p.replace(/^\/(Users|Groups)\/.+$/, '/$1/{id}')}`;
  };
  const byKind = new Map<string, number>();
  for (const q of sent) byKind.set(kindOf(q), (byKind.get(kindOf(q)) ?? 0) + 1);
  const r429 = sent.filter((q) => q.status === 429).length;
  const bulkOps = sent.filter((q) => q.path.endsWith('/Bulk') && q.status !== 429).reduce((n, q) => n + ((JSON.parse(q.body) as { Operations?: unknown[] }).Operations?.length ?? 0), 0);

  const reads = 2;
  const writes = BULK ? Math.ceil(N / MAX_OPS) + Math.ceil(G / MAX_OPS) + Math.ceil(N / MAX_OPS) : N + 2 * G;
  const floorRequests = reads + writes;
  const floorS = (floorRequests / RPM) * 60;
  const inApp = await peer.counts();
  /** The peer's own time on the sync's requests: from arrival at its proxy to the answer (rate-limit waits are not in it: a 429 is answered at once). */
  // The union of the arrival → answer intervals: the peer is one process, it cannot answer two requests in less time than both take together.
  let peerBusyMs = 0;
  let busyUntil = Number.NEGATIVE_INFINITY;
  for (const q of [...sent].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
    const from = Math.max(q.arrivedAt, busyUntil);
    if (q.answeredAt > from) peerBusyMs += q.answeredAt - from;
    busyUntil = Math.max(busyUntil, q.answeredAt);
  }
  const peerBusyS = peerBusyMs / 1000;

  console.log(`SCIM initial sync: ${N} users, ${G} groups (${N} memberships, biggest group ${BIG}); ${database.driver}; SCIMMY peer limit ${RPM} requests/min (${DECLARED === 'budget' ? 'stored in the shared budget' : 'learned from its rate-limit headers'}), bulk ${BULK ? `on (maxOperations ${MAX_OPS}, maxPayloadSize 1 MiB)` : 'off'}`);
  console.log(`  ${load0} at the start, ${load1} at the end`);
  console.log(`  outcome ${r.status}; cycle ${cycle?.status} counts ${JSON.stringify(cycle?.counts)}`);
  console.log(`  in the app: ${JSON.stringify(inApp)}`);
  console.log(`  wall ${wallS.toFixed(1)} s; CPU: Roster ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (this process: engine, API${database.driver === 'pglite' ? ', PGlite' : ''}), the peer ${peerCpuS.toFixed(1)} s (child process ${peer.pid}); Roster's peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(`  the peer busy with the sync's requests (the union of their arrival → answer intervals): ${peerBusyS.toFixed(1)} s`);
  if (args.timeline) for (const q of sent) console.log(`    ${((q.arrivedAt - wall0) / 1000).toFixed(2).padStart(7)} → ${((q.answeredAt - wall0) / 1000).toFixed(2).padStart(7)} s  ${kindOf(q)}${q.path.endsWith('/Bulk') ? '' : ` → ${q.status}`} ${decodeURIComponent(q.query).slice(0, 80)}`);
  const budget = (await database.db.execute(sql`select limit_per_minute, limit_source from rate_budgets`)) as unknown as { rows: unknown[] };
  console.log(`  shared budget after the sync: ${JSON.stringify(budget.rows)}`);
  console.log(`  requests sent ${sent.length} (${r429} answered 429; ${bulkOps} operations inside /Bulk)`);
  for (const [k, n] of [...byKind.entries()].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(6)}  ${k}`);
  console.log(`  counted at the proxy: ${sent.reduce((n, q) => n + Buffer.byteLength(q.body), 0)} bytes sent, ${sent.reduce((n, q) => n + q.answerBytes, 0)} bytes answered`);
  console.log(`  floor ${floorS.toFixed(1)} s = ${floorRequests} requests (${reads} reads + ${writes} writes) / ${RPM} per min; ratio ${(wallS / floorS).toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  const peerFloorS = Math.max(floorS, peerBusyS);
  console.log(`  floor with the peer's processing: ${peerFloorS.toFixed(1)} s = the longer of the request floor and the peer's busy time (on this machine, at this load); ratio ${(wallS / peerFloorS).toFixed(2)}`);
  console.log(`  at the requests actually sent: ${((sent.length / RPM) * 60).toFixed(1)} s at ${RPM}/min; ratio to that ${(wallS / ((sent.length / RPM) * 60)).toFixed(2)}`);

  // One member leaves the big group, through the API, with the engine's worker running as in production.
  if (BIG >= 2) {
    worker = await startWorker({ ...ctx, handlers: createProvisioningJobs({ signal: abort.signal }) });
    const relayCaughtUp = async () => {
      const [last] = await database.db.select({ id: outbox.id }).from(outbox).orderBy(sql`id desc`).limit(1);
      for (const end = Date.now() + 120_000; Date.now() < end; await new Promise((res) => setTimeout(res, 100))) {
        const [c] = await database.db.select().from(outboxCursors);
        if (c !== undefined && c.lastId >= (last?.id ?? 0)) return;
      }
      throw new Error('the relay did not catch up');
    };
    await relayCaughtUp();
    await new Promise((res) => setTimeout(res, 2_000));
    const leaver = userIds[1]!;
    const leaverId = (await peer.userIdByExternalId(leaver)) ?? '';
    const before = await peer.requestCount();
    const t1 = performance.now();
    await call('DELETE', `/api/groups/${groupIds[0]!}/members/user/${leaver}`);
    const gone = async () => !(await peer.groupHasMember('Big group', leaverId));
    for (const end = Date.now() + 120_000; !(await gone()) && Date.now() < end; ) await new Promise((res) => setTimeout(res, 50));
    const visibleS = (performance.now() - t1) / 1000;
    await relayCaughtUp();
    await new Promise((res) => setTimeout(res, 2_000));
    const change = await peer.requests(before);
    console.log(`one member leaves the ${BIG}-member group: ${(await gone()) ? `visible in the app after ${visibleS.toFixed(2)} s` : 'NOT visible after 120 s'}; ${change.length} request(s):`);
    for (const q of change) console.log(`    ${kindOf(q)} → ${q.status}: ${Buffer.byteLength(q.body)} bytes sent, ${q.answerBytes} bytes answered ${q.body.length < 400 ? q.body : ''}`);
    console.log(`  ${loadAverage()}`);
  }
} finally {
  abort.abort();
  await worker?.stop();
  await app.close();
  await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
  await database.close();
  await peer.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
