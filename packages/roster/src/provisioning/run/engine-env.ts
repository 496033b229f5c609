/** The engine's environment inside a worker: the database and connections opened from stored configuration. */
import type { WorkerContext } from '../../jobs/handler.ts';
import { openConnection } from '../connection/open-connection.ts';
import type { Connection } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import type { Result } from '../../errors/result.ts';
import type { Queue } from '../../jobs/queue.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';

/** What a run needs from its host: the database, connections, a clock, a logger, the queue. */
export interface EngineEnv {
  db: Db;
  /** Opens the application's connection (production: provisioning/connection/open-connection.ts), from `config` when the run loaded it already. */
  connect(applicationId: string, config?: ProvisioningConfig, opts?: { priority?: boolean }): Promise<Result<{ connection: Connection }, { code: string; message: string; advice?: string }>>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Lease renewal period (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  log?: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** For follow-up jobs and notifications (absent in some tests: then no email is queued). */
  queue?: Queue | undefined;
  /** `bulk` (tests) sends no single calls beside bulk jobs, `single` (quick runs) no bulk jobs (apply/target-writer.ts); default both channels. */
  applyChannels?: 'both' | 'bulk' | 'single';
}

/**
 * `clock.sleep` replaces the real timers for every wait of the engine and of its connections
 * (retry backoff, Retry-After): tests that drive failing targets shorten those waits with it.
 */
export function engineEnvFrom(ctx: WorkerContext, connectorOptions?: Record<string, unknown>, clock?: { sleep(ms: number): Promise<void> }): EngineEnv {
  const db = ctx.database.db;
  const sleep = clock?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    db,
    async connect(applicationId, config, opts) {
      const r = await openConnection({ db, secretKey: ctx.secretKey, targetUrls: ctx.config.targetUrls, applicationId, ...(config ? { config } : {}), ...(connectorOptions ? { connectorOptions } : {}), ...(clock ? { sleep } : {}), ...(opts?.priority ? { priority: true } : {}) });
      if (r.ok) return { ok: true, value: { connection: r.value.connection } };
      const advice = 'advice' in r.error ? r.error.advice : undefined;
      return { ok: false, error: { code: r.error.code, message: r.error.message, ...(advice ? { advice } : {}) } };
    },
    sleep,
    now: Date.now,
    log: ctx.log,
    queue: ctx.queue,
  };
}
