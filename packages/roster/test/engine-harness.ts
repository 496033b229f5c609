/**
 * The one harness of the engine's integration tests: the in-process Zendesk sandbox, a test database
 * of the given driver, the API, a job queue and a worker with the provisioning jobs (plus any extra
 * handlers), and an owner's headers — each part an option where a test needs it otherwise (no worker:
 * the test runs the engine itself through `engineEnv()`; no queue; an SMTP sink; more settings).
 * With it come the helpers those tests share: API calls as the owner, the sandbox's control API, a
 * wait-for-condition, "the relay has caught up", and a connected application on a fresh sandbox
 * account. `close()` stops everything in reverse order.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { createSandbox, type Sandbox } from '../../zendesk-sandbox/src/index.ts';
import { buildApp } from '../src/api/app.ts';
import type { ApiApp } from '../src/api/context.ts';
import { type Config, loadConfig } from '../src/config/config.ts';
import { outboxCursors } from '../src/db/provisioning-schema.ts';
import { outbox } from '../src/db/schema.ts';
import type { AnyJobHandler, WorkerContext } from '../src/jobs/handler.ts';
import { startQueue, type Queue } from '../src/jobs/queue.ts';
import { type EngineEnv, engineEnvFrom } from '../src/provisioning/run/engine-env.ts';
import { createProvisioningJobs } from '../src/provisioning/jobs/provisioning-jobs.ts';
import { startWorker, type Worker } from '../src/runtime/worker.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from './test-app.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

/** Response bodies and sandbox snapshots, read loosely in assertions. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies read loosely in assertions

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EngineHarnessOptions {
  /** A worker running the provisioning jobs (and `extraHandlers`) in this process. Default true; without it the test runs the engine itself (`engineEnv()`). */
  worker?: boolean;
  /** The API enqueues to the queue (default true). False: the API runs without one, as in tests of routes only (the queue still serves `ctx` and `engineEnv()`). */
  queue?: boolean;
  /** More job handlers for the worker, e.g. the import's. */
  extraHandlers?: (connectorOptions: { jobPollIntervalMs: number }) => AnyJobHandler[];
  /** How often the connector polls a bulk job (default 20 ms). */
  jobPollIntervalMs?: number;
  /** An SMTP sink, with ROSTER_SMTP_URL pointing at it (`harness.smtp`). */
  smtp?: boolean;
  /** More settings for the configuration (e.g. ROSTER_PUBLIC_URL). */
  env?: Record<string, string>;
  /** PostgreSQL: the server to create the database on (default TEST_DATABASE_URL), e.g. a benchmark's. */
  serverUrl?: string;
}

export interface ConnectedApp {
  id: string;
  /** The sandbox account: subdomain, adminEmail, apiToken, … */
  account: Json;
  /** Calls the account's Zendesk API as its own admin (a change made by hand in Zendesk); throws on ≥ 400. */
  zendesk(method: string, path: string, body?: unknown): Promise<Json>;
}

export interface EngineHarness {
  t: TestDatabase;
  app: ApiApp;
  config: Config;
  /** What the worker's handlers get: database, queue, log, configuration, secret key. */
  ctx: WorkerContext;
  queue: Queue;
  /** Undefined with `worker: false`. */
  worker: Worker | undefined;
  sandbox: Sandbox;
  sandboxUrl: string;
  /** Undefined without `smtp: true`. */
  smtp: SmtpSink | undefined;
  /** The Organization Owner's authorization header. */
  headers: { authorization: string };
  /** Aborted by `close()` first: give it to job handlers a test starts itself (their relay loops end with it). */
  signal: AbortSignal;
  /** The engine's environment for runs made by the test itself (the worker's connector options; `extras` as `engineEnvFrom`'s, e.g. an injected sleep). */
  engineEnv(extras?: Parameters<typeof engineEnvFrom>[2]): EngineEnv;
  /** An API request as the owner (`extra`: more headers). */
  request(method: Method, url: string, payload?: unknown, extra?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** An API call as the owner: the JSON body (`{}` when empty); throws on a status ≥ 400. */
  call(method: Method, url: string, payload?: unknown, extra?: Record<string, string>): Promise<Json>;
  /** Calls the sandbox's control API (`/__sandbox/…`) and returns its JSON body. */
  control(method: string, path: string, body?: unknown): Promise<Json>;
  /** The sandbox account's users other than its owner. */
  zendeskUsers(sub: string): Promise<Json[]>;
  /** Polls `probe` every 100 ms (waking the worker's queues each time) until it returns a truthy value; throws `timed out waiting for <what>` after `ms`. */
  until<T>(what: string, probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms?: number): Promise<T>;
  /** Waits until the relay has read every outbox row written so far. */
  relayed(): Promise<void>;
  /**
   * A fresh sandbox account (`account`: its options, e.g. pace) and an application connected to it by
   * API token, with `settings` patched in and switched on when `enable` is set.
   */
  connectApp(sub: string, opts?: { account?: Json; settings?: Json; enable?: boolean; displayName?: string }): Promise<ConnectedApp>;
  close(): Promise<void>;
}

const silent = { info: () => undefined, error: () => undefined, warn: () => undefined };

export async function openEngineHarness(driver: Parameters<typeof openTestDatabase>[0], opts: EngineHarnessOptions = {}): Promise<EngineHarness> {
  const abort = new AbortController();
  const sandbox = createSandbox();
  const sandboxUrl = (await sandbox.listen(0)).url;
  const smtp = opts.smtp ? await startSmtpSink() : undefined;
  const t = await openTestDatabase(driver, opts.serverUrl ? { serverUrl: opts.serverUrl } : {});
  const queue = await startQueue(t.database, { supervise: false });
  const loaded = loadConfig({
    ROSTER_LOG_LEVEL: 'silent',
    ROSTER_DATA_DIR: t.location.dataDir,
    ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX,
    ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}`,
    ...(smtp ? { ROSTER_SMTP_URL: smtp.url } : {}),
    ...opts.env,
  });
  if (!loaded.ok) throw new Error(loaded.error.join('\n'));
  const config = loaded.value;
  const { app } = await buildApp({ database: t.database, config, ...(opts.queue === false ? {} : { queue }) });
  const { headers } = await createTestAdmin(t.database.db, { role: 'owner' });
  const connectorOptions = { jobPollIntervalMs: opts.jobPollIntervalMs ?? 20 };
  const ctx: WorkerContext = { database: t.database, queue, log: silent, config, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex') };
  const worker =
    opts.worker === false
      ? undefined
      : await startWorker({
          ...ctx,
          handlers: [...createProvisioningJobs({ connectorOptions, relayLoopMs: 10 * 60_000, relayIdleMs: 100, signal: abort.signal }), ...(opts.extraHandlers?.(connectorOptions) ?? [])],
        });

  const request: EngineHarness['request'] = (method, url, payload, extra = {}) =>
    app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const call: EngineHarness['call'] = async (method, url, payload, extra) => {
    const r = await request(method, url, payload, extra);
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.body ? (r.json() as Json) : {};
  };
  const control: EngineHarness['control'] = async (method, path, body) => {
    const send = () => fetch(`${sandboxUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    // A read is sent again once: after a run blocked this process's event loop for seconds, a pooled
    // keep-alive socket the in-process sandbox has just closed fails the first attempt (ECONNRESET).
    const r = await send().catch((e: unknown) => (method === 'GET' ? send() : Promise.reject(e)));
    return (await r.json()) as Json;
  };
  async function until<T>(what: string, probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms = 45_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      // The worker polls its queues now rather than at its interval (0.5–1 s): a job the test waits on starts at once.
      worker?.wake();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    t,
    app,
    config,
    ctx,
    queue,
    worker,
    sandbox,
    sandboxUrl,
    smtp,
    headers,
    signal: abort.signal,
    engineEnv: (extras) => engineEnvFrom(ctx, connectorOptions, extras),
    request,
    call,
    control,
    zendeskUsers: async (sub) => ((await control('GET', `/__sandbox/accounts/${sub}/snapshot`)).users as Json[]).filter((u) => !u.owner),
    until,
    async relayed() {
      const [last] = await t.database.db.select({ id: outbox.id }).from(outbox).orderBy(sql`id desc`).limit(1);
      await until('the relay to catch up', async () => {
        const [c] = await t.database.db.select().from(outboxCursors);
        return c !== undefined && c.lastId >= (last?.id ?? 0);
      });
    },
    async connectApp(sub, o = {}) {
      const { account } = await control('POST', '/__sandbox/accounts', { subdomain: sub, ...o.account });
      const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: o.displayName ?? `Zendesk ${sub}`, settings: { subdomain: sub } })).id as string;
      await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
      if (o.settings && Object.keys(o.settings).length) await call('PATCH', `/api/apps/${id}/provisioning`, { settings: o.settings, version: (await call('GET', `/api/apps/${id}/provisioning`)).version });
      if (o.enable) await call('POST', `/api/apps/${id}/provisioning/enable`);
      const auth = `Basic ${Buffer.from(`${account.adminEmail}/token:${account.apiToken}`).toString('base64')}`;
      const zendesk = async (method: string, path: string, body?: unknown): Promise<Json> => {
        const r = await fetch(`${sandboxUrl}/${sub}${path}`, { method, headers: { 'content-type': 'application/json', authorization: auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        if (r.status >= 400) throw new Error(`Zendesk ${method} ${path} → ${r.status} ${await r.text()}`);
        return r.status === 204 ? {} : ((await r.json()) as Json);
      };
      return { id, account, zendesk };
    },
    async close() {
      abort.abort();
      await worker?.stop();
      await app.close();
      // Graceful: the relay loop ends within relayIdleMs of the abort, before the database closes.
      await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
      await t.close();
      await sandbox.close();
      await smtp?.close();
    },
  };
}
