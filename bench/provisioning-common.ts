/**
 * Shared set-up of the provisioning benches: a sandbox process with an Enterprise account
 * (700 requests/min, bulk on, default job pace), a Roster database with N directory users in one
 * group, an application connected by API token with that group assigned, and the engine's env.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../packages/roster/src/api/app.ts';
import { loadConfig, type Config } from '../packages/roster/src/config/config.ts';
import { newToken, sha256 } from '../packages/roster/src/admins/secrets.ts';
import { openDatabase, type Database } from '../packages/roster/src/db/database.ts';
import { provisioningConfigs } from '../packages/roster/src/db/provisioning-schema.ts';
import { admins, apiTokens, assignments, groupMembers, groups, users } from '../packages/roster/src/db/schema.ts';
import type { WorkerContext } from '../packages/roster/src/jobs/handler.ts';
import { startQueue, type Queue } from '../packages/roster/src/jobs/queue.ts';
import { eq } from 'drizzle-orm';
import { control, startSandboxProcess } from './sandbox-common.ts';

export const ACCOUNT = 'prov';
const KEY_HEX = '7a'.repeat(32);

export interface ProvisioningBench {
  sandboxUrl: string;
  database: Database;
  queue: Queue;
  config: Config;
  ctx: WorkerContext;
  applicationId: string;
  groupId: string;
  userIds: string[];
  inject: (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => Promise<{ statusCode: number; json(): any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bench reads bodies loosely
  counters(): Promise<{ requests: number; byStatus: Record<string, number>; rateLimited: number }>;
  /** Users submitted through bulk jobs so far (the sum of the jobs' sizes). */
  jobUsers(): Promise<{ jobs: number; users: number }>;
  /** The sandbox's times of every job (ms): submitted, started, finished. */
  jobTimes(): Promise<{ created: number; started: number | null; finished: number | null; total: number }[]>;
  /** Seconds between the first and the last account created in the sandbox (its clock, whole seconds). */
  createSpan(): Promise<number | null>;
  account(): Promise<{ pace: { queueDelayMs: number; perItemMs: number; concurrency: number }; plan: { requestsPerMinute?: number } & Record<string, unknown> }>;
  /**
   * Closes the app, the queue and the database (the sandbox and the data folder stay), so that
   * another process can reopen them (`openWorkerContext`); `database`, `queue` and `inject` are
   * unusable afterwards.
   */
  detach(): Promise<{ dataDir: string; sandboxUrl: string }>;
  close(): Promise<void>;
}

/** The Roster config of the benches (silent logs, the bench's secret key, Zendesk at the sandbox). */
function benchConfig(dataDir: string, sandboxUrl: string): Config {
  const parsed = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: dataDir, ROSTER_SECRET_KEY: KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

/**
 * In a fresh process, as `roster serve` starts with an existing data folder: reopens the database
 * (PGlite folder or PostgreSQL) and starts the job queue; returns the worker's context.
 */
export async function openWorkerContext(opts: { dataDir: string; sandboxUrl: string; databaseUrl?: string | undefined }): Promise<{ ctx: WorkerContext; close(): Promise<void> }> {
  const database = await openDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  const config = benchConfig(opts.dataDir, opts.sandboxUrl);
  const queue = await startQueue(database, { supervise: true });
  // `roster serve` (the only way to run Roster on PGlite) holds the API in the same process.
  const { app } = await buildApp({ database, config, queue });
  const ctx: WorkerContext = { database, queue, config, secretKey: Buffer.from(KEY_HEX, 'hex'), log: { info: () => undefined, error: (o, m) => console.error(m, o) } };
  return {
    ctx,
    async close() {
      await app.close();
      await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
      await database.close();
    },
  };
}

export async function setUpProvisioningBench(opts: { directoryUsers: number; assignedUsers: number; databaseUrl?: string | undefined; pace?: Partial<{ queueDelayMs: number; perItemMs: number; concurrency: number }> }): Promise<ProvisioningBench> {
  const sandbox = await startSandboxProcess();
  const pace = opts.pace && Object.keys(opts.pace).length > 0 ? { pace: { queueDelayMs: 3000, perItemMs: 70, concurrency: 1, ...opts.pace } } : {};
  await control(sandbox.url, 'POST', '/__sandbox/accounts', { subdomain: ACCOUNT, plan: 'enterprise', apiToken: 'prov-token', adminEmail: 'admin@prov.example.com', ...pace });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-prov-bench-'));
  const database = await openDatabase({ dataDir, databaseUrl: opts.databaseUrl });
  const config = benchConfig(dataDir, sandbox.url);
  const queue = await startQueue(database, { supervise: true });
  const { app } = await buildApp({ database, config, queue });
  const token = newToken('rst');
  const [admin] = await database.db.insert(admins).values({ email: 'bench@example.com', name: 'bench', passwordHash: 'x', role: 'owner', permissions: [] }).returning({ id: admins.id });
  await database.db.insert(apiTokens).values({ adminId: admin!.id, name: 'bench', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  const inject: ProvisioningBench['inject'] = async (method, url, payload) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  const userIds: string[] = [];
  for (let i = 0; i < opts.directoryUsers; i += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, opts.directoryUsers - i) }, (_, k) => {
      const n = i + k;
      return { email: `person${n}@bench.example.com`, givenName: 'Person', familyName: String(n), displayName: `Person ${n}`, department: n % 2 ? 'Support' : 'Sales' };
    });
    userIds.push(...(await database.db.insert(users).values(rows).returning({ id: users.id })).map((r) => r.id));
  }
  const [group] = await database.db.insert(groups).values({ name: 'Provisioned' }).returning({ id: groups.id });
  for (let i = 0; i < opts.assignedUsers; i += 5_000) {
    await database.db.insert(groupMembers).values(userIds.slice(i, Math.min(i + 5_000, opts.assignedUsers)).map((memberId) => ({ groupId: group!.id, memberType: 'user', memberId })));
  }
  const created = await inject('POST', '/api/apps', { type: 'zendesk', displayName: 'Zendesk bench', settings: { subdomain: ACCOUNT } });
  const applicationId = created.json().id as string;
  await inject('PUT', `/api/apps/${applicationId}/provisioning/connection`, { version: (await inject('GET', `/api/apps/${applicationId}/provisioning`)).json().version, method: 'api_token', adminEmail: 'admin@prov.example.com', apiToken: 'prov-token' });
  const test = await inject('POST', `/api/apps/${applicationId}/provisioning/test`);
  if (!test.json().ok) throw new Error(`test connection failed: ${JSON.stringify(test.json())}`);
  await database.db.insert(assignments).values({ applicationId, principalType: 'group', principalId: group!.id, role: 'agent', roleLabel: 'Agent' });
  await database.db.update(provisioningConfigs).set({ enabled: true, state: 'idle' }).where(eq(provisioningConfigs.applicationId, applicationId));
  const ctx: WorkerContext = { database, queue, config, secretKey: Buffer.from(KEY_HEX, 'hex'), log: { info: () => undefined, error: (o, m) => console.error(m, o) } };
  let detached = false;
  return {
    sandboxUrl: sandbox.url,
    database,
    queue,
    config,
    ctx,
    applicationId,
    groupId: group!.id,
    userIds,
    inject,
    async counters() {
      // Only the parts read: building every user's view would stall the sandbox's jobs the bench times.
      const snap = (await control(sandbox.url, 'GET', `/__sandbox/accounts/${ACCOUNT}/snapshot?parts=counters`)) as { counters: { requests: number; byStatus: Record<string, number>; rateLimited: number } };
      return snap.counters;
    },
    async jobUsers() {
      const snap = (await control(sandbox.url, 'GET', `/__sandbox/accounts/${ACCOUNT}/snapshot?parts=jobs`)) as { jobs: { total: number }[] };
      return { jobs: snap.jobs.length, users: snap.jobs.reduce((n, j) => n + j.total, 0) };
    },
    async jobTimes() {
      const snap = (await control(sandbox.url, 'GET', `/__sandbox/accounts/${ACCOUNT}/snapshot?parts=jobs`)) as { jobs: { total: number; created_at_ms: number; started_at_ms: number | null; finished_at_ms: number | null }[] };
      return snap.jobs.map((j) => ({ created: j.created_at_ms, started: j.started_at_ms, finished: j.finished_at_ms, total: j.total }));
    },
    async createSpan() {
      const snap = (await control(sandbox.url, 'GET', `/__sandbox/accounts/${ACCOUNT}/snapshot?parts=users`)) as { users: { created_at: string; external_id: string | null }[] };
      const times = snap.users.filter((u) => u.external_id).map((u) => Date.parse(u.created_at));
      return times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : null;
    },
    async account() {
      return ((await control(sandbox.url, 'GET', `/__sandbox/accounts/${ACCOUNT}`)) as { account: Awaited<ReturnType<ProvisioningBench['account']>> }).account;
    },
    async detach() {
      if (!detached) {
        detached = true;
        await app.close();
        await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
        await database.close();
      }
      return { dataDir, sandboxUrl: sandbox.url };
    },
    async close() {
      if (!detached) {
        await app.close();
        await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
        await database.close();
      }
      await sandbox.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
