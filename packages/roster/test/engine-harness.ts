/**
 * The setup most engine integration tests share: the in-process Zendesk sandbox, a test database of
 * the given driver, the API, a job queue and a worker with the provisioning jobs (plus any extra
 * handlers), and an owner's headers. `close()` stops them in reverse order.
 */
import { createSandbox, type Sandbox } from '../../zendesk-sandbox/src/index.ts';
import { buildApp } from '../src/api/app.ts';
import type { ApiApp } from '../src/api/context.ts';
import { loadConfig } from '../src/config/config.ts';
import type { AnyJobHandler } from '../src/jobs/handler.ts';
import { startQueue, type Queue } from '../src/jobs/queue.ts';
import { createProvisioningJobs } from '../src/provisioning/jobs/provisioning-jobs.ts';
import { startWorker, type Worker } from '../src/runtime/worker.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from './test-app.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

export interface EngineHarness {
  t: TestDatabase;
  app: ApiApp;
  queue: Queue;
  worker: Worker;
  sandbox: Sandbox;
  sandboxUrl: string;
  headers: { authorization: string };
  /** Calls the sandbox's control API (`/__sandbox/…`) and returns its JSON body. */
  control(method: string, path: string, body?: unknown): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies read loosely in assertions
  close(): Promise<void>;
}

const silent = { info: () => undefined, error: () => undefined };

export async function openEngineHarness(
  driver: Parameters<typeof openTestDatabase>[0],
  opts: { extraHandlers?: (connectorOptions: { jobPollIntervalMs: number }) => AnyJobHandler[] } = {},
): Promise<EngineHarness> {
  const abort = new AbortController();
  const sandbox = createSandbox();
  const sandboxUrl = (await sandbox.listen(0)).url;
  const t = await openTestDatabase(driver);
  const queue = await startQueue(t.database, { supervise: false });
  const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
  if (!config.ok) throw new Error(config.error.join('\n'));
  const { app } = await buildApp({ database: t.database, config: config.value, queue });
  const { headers } = await createTestAdmin(t.database.db, { role: 'owner' });
  const connectorOptions = { jobPollIntervalMs: 20 };
  const handlers = [...createProvisioningJobs({ connectorOptions, relayLoopMs: 10 * 60_000, relayIdleMs: 100, signal: abort.signal }), ...(opts.extraHandlers?.(connectorOptions) ?? [])];
  const worker = await startWorker({ database: t.database, queue, log: silent, config: config.value, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), handlers });
  return {
    t,
    app,
    queue,
    worker,
    sandbox,
    sandboxUrl,
    headers,
    async control(method, path, body) {
      const r = await fetch(`${sandboxUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return (await r.json()) as Record<string, unknown>;
    },
    async close() {
      abort.abort();
      await worker.stop();
      await app.close();
      await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
      await t.close();
      await sandbox.close();
    },
  };
}
